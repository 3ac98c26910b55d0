/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Typed wrappers over the hypercalls the guest uses (public/ headers only). Each returns
 * Xen's result: 0 or a positive value on success, -XEN_E* on failure.
 */
#ifndef GUEST_HCALL_H
#define GUEST_HCALL_H

#include <public/errno.h>
#include <public/event_channel.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/xen.h>

long hc_evtchn(unsigned int cmd, void *arg);
long hc_sched(unsigned int cmd, void *arg);
/* HVMOP_get_param on the caller's own domain: *value (0 on an error). */
long hc_hvm_get_param(uint32_t index, uint64_t *value);
long hc_vcpu(unsigned int cmd, unsigned int vcpu, void *arg);
long hc_memory(unsigned int cmd, void *arg);
long hc_version(unsigned int cmd, void *arg);
long hc_console_write(const char *s, unsigned long len);
/* CONSOLEIO_read: the serial input waiting for this domain (dom0 only): count or error. */
long hc_console_read(char *buf, unsigned long len);

/* EVTCHNOP shorthands; the out port is written only on success. */
long ev_alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port);
long ev_bind_interdomain(domid_t remote, evtchn_port_t rport, evtchn_port_t *port);
long ev_bind_ipi(uint32_t vcpu, evtchn_port_t *port);
long ev_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port);
long ev_bind_vcpu(evtchn_port_t port, uint32_t vcpu);
long ev_close(evtchn_port_t port);
long ev_send(evtchn_port_t port);
long ev_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st);
long ev_unmask(evtchn_port_t port);
long ev_reset(domid_t dom);
long ev_set_priority(evtchn_port_t port, uint32_t prio);

/* SCHEDOP_poll on ports, returning after an event or `timeout_ns` (relative; 0: none). */
long sched_poll(evtchn_port_t *ports, unsigned int n, uint64_t timeout_ns);
long sched_block(void);
long sched_yield(void);
void sched_poweroff(void) __attribute__((noreturn));
void sched_crash(void) __attribute__((noreturn));
void sched_reboot(void) __attribute__((noreturn));

/* Guest time in ns from the arch counter (Xen's poll deadline is absolute system time). */
uint64_t guest_now_ns(void);
uint64_t ticks_from_ms(uint64_t ms);

#endif
