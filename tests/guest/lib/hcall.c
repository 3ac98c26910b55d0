/* SPDX-License-Identifier: Apache-2.0 */
/* Typed hypercall wrappers (see hcall.h). */
#include "hcall.h"
#include <stddef.h>

#include "guest_arch.h"

#define U(p) ((unsigned long)(uintptr_t)(p))

long hc_evtchn(unsigned int cmd, void *arg)
{
    return arch_hypercall(__HYPERVISOR_event_channel_op, cmd, U(arg), 0, 0, 0);
}

long hc_hvm_get_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = {.domid = DOMID_SELF, .index = index};
    long rc = arch_hypercall(__HYPERVISOR_hvm_op, HVMOP_get_param, U(&p), 0, 0, 0);

    *value = rc == 0 ? p.value : 0;
    return rc;
}

long hc_sched(unsigned int cmd, void *arg)
{
    return arch_hypercall(__HYPERVISOR_sched_op, cmd, U(arg), 0, 0, 0);
}

long hc_vcpu(unsigned int cmd, unsigned int vcpu, void *arg)
{
    return arch_hypercall(__HYPERVISOR_vcpu_op, cmd, vcpu, U(arg), 0, 0);
}

long hc_memory(unsigned int cmd, void *arg)
{
    return arch_hypercall(__HYPERVISOR_memory_op, cmd, U(arg), 0, 0, 0);
}

long hc_version(unsigned int cmd, void *arg)
{
    return arch_hypercall(__HYPERVISOR_xen_version, cmd, U(arg), 0, 0, 0);
}

long hc_console_write(const char *s, unsigned long len)
{
    return arch_hypercall(__HYPERVISOR_console_io, CONSOLEIO_write, len, U(s), 0, 0);
}

long hc_console_read(char *buf, unsigned long len)
{
    return arch_hypercall(__HYPERVISOR_console_io, CONSOLEIO_read, len, U(buf), 0, 0);
}

long ev_alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = {.dom = dom, .remote_dom = remote};
    long rc = hc_evtchn(EVTCHNOP_alloc_unbound, &op);

    if (rc == 0 && port != NULL)
        *port = op.port;
    return rc;
}

long ev_bind_interdomain(domid_t remote, evtchn_port_t rport, evtchn_port_t *port)
{
    struct evtchn_bind_interdomain op = {.remote_dom = remote, .remote_port = rport};
    long rc = hc_evtchn(EVTCHNOP_bind_interdomain, &op);

    if (rc == 0 && port != NULL)
        *port = op.local_port;
    return rc;
}

long ev_bind_ipi(uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_ipi op = {.vcpu = vcpu};
    long rc = hc_evtchn(EVTCHNOP_bind_ipi, &op);

    if (rc == 0 && port != NULL)
        *port = op.port;
    return rc;
}

long ev_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_virq op = {.virq = virq, .vcpu = vcpu};
    long rc = hc_evtchn(EVTCHNOP_bind_virq, &op);

    if (rc == 0 && port != NULL)
        *port = op.port;
    return rc;
}

long ev_bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu op = {.port = port, .vcpu = vcpu};

    return hc_evtchn(EVTCHNOP_bind_vcpu, &op);
}

long ev_close(evtchn_port_t port)
{
    struct evtchn_close op = {.port = port};

    return hc_evtchn(EVTCHNOP_close, &op);
}

long ev_send(evtchn_port_t port)
{
    struct evtchn_send op = {.port = port};

    return hc_evtchn(EVTCHNOP_send, &op);
}

long ev_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
    struct evtchn_status op = {.dom = dom, .port = port};
    long rc = hc_evtchn(EVTCHNOP_status, &op);

    *st = op;
    return rc;
}

long ev_unmask(evtchn_port_t port)
{
    struct evtchn_unmask op = {.port = port};

    return hc_evtchn(EVTCHNOP_unmask, &op);
}

long ev_reset(domid_t dom)
{
    struct evtchn_reset op = {.dom = dom};

    return hc_evtchn(EVTCHNOP_reset, &op);
}

long ev_set_priority(evtchn_port_t port, uint32_t prio)
{
    struct evtchn_set_priority op = {.port = port, .priority = prio};

    return hc_evtchn(EVTCHNOP_set_priority, &op);
}

uint64_t guest_now_ns(void)
{
    uint64_t c = arch_counter(), f = arch_counter_freq();

    return c / f * 1000000000ull + c % f * 1000000000ull / f;
}

uint64_t ticks_from_ms(uint64_t ms)
{
    return arch_counter_freq() / 1000 * ms;
}

long sched_poll(evtchn_port_t *ports, unsigned int n, uint64_t timeout_ns)
{
    struct sched_poll op = {.nr_ports = n};

    set_xen_guest_handle_64(op.ports, ports);
    /*
     * The deadline is absolute hypervisor system time. Xen on Arm counts it from its own
     * boot while the guest's virtual counter starts at the domain's creation, so "now"
     * as the guest sees it is never later than the hypervisor's: the poll can end early,
     * never late. Callers re-check and poll again until their own deadline passes.
     */
    op.timeout = timeout_ns ? guest_now_ns() + timeout_ns : 0;
    return hc_sched(SCHEDOP_poll, &op);
}

long sched_block(void)
{
    return hc_sched(SCHEDOP_block, NULL);
}

long sched_yield(void)
{
    return hc_sched(SCHEDOP_yield, NULL);
}

static void __attribute__((noreturn)) shutdown(unsigned int reason)
{
    struct sched_shutdown op = {.reason = reason};
    unsigned int i;

    for (i = 0; i < 100; i++)
        hc_sched(SCHEDOP_shutdown, &op);
    for (;;)
        arch_relax(); /* a hypervisor that refuses shutdown leaves us here, quietly */
}

void sched_poweroff(void)
{
    shutdown(SHUTDOWN_poweroff);
}

void sched_crash(void)
{
    shutdown(SHUTDOWN_crash);
}

void sched_reboot(void)
{
    shutdown(SHUTDOWN_reboot);
}
