/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host harness: a fake machine on which the event core runs as a Linux program.
 *
 * arch_host.c implements <xen/arch_hooks.h> for the host: guest RAM is a per-domain array
 * of pages; the guest atomics are the real port primitives (LL/SC and LSE on aarch64,
 * `lock` instructions on x86_64) so threads exercise them for real; upcalls and poll
 * wake-ups are counted per vCPU.
 */
#ifndef MINIXEN_TEST_HARNESS_H
#define MINIXEN_TEST_HARNESS_H

#include <xen/domain.h>
#include <xen/event.h>
#include <xen/evtchn.h>

#define HARNESS_GUEST_PAGES 1024 /* guest RAM per domain: 4 MiB */

/* Create domain `id` with guest RAM, shared_info, vcpu_info in shared_info, 2-level ABI. */
struct domain *harness_domain(domid_t id, uint32_t nr_vcpus, bool privileged,
                              const struct guest_layout *layout);
/* Destroy every domain and free everything: call from each test's teardown. */
void harness_reset(void);

/* Guest memory. gfn 0 is never handed out (a gfn of 0 must look like a plausible bug). */
gfn_t harness_alloc_gfn(struct domain *d);            /* a fresh zeroed page */
void *harness_gfn_to_va(struct domain *d, gfn_t gfn); /* NULL outside d's RAM */
gpaddr_t harness_va_to_gpa(struct domain *d, const void *va);
/* For tests that scribble over guest memory: d's pages are harness_first_gfn() onwards. */
gfn_t harness_first_gfn(void);
uint32_t harness_gfns_allocated(struct domain *d); /* pages handed out so far */
/* The pages holding d's hypercall arguments (scribbling them only confuses the test). */
gfn_t harness_scratch_gfn(struct domain *d, unsigned int *nr_pages);

/*
 * Issue a hypercall as vCPU v: copy *arg (size bytes) into v's scratch page, call
 * do_event_channel_op, re-issue while it returns -ERESTART (as a guest re-executes a
 * continued hypercall), copy the struct back. Returns the hypercall's result.
 */
long harness_evtchn_op(struct vcpu *v, int cmd, void *arg, size_t size);

/* Counters kept by the host arch hooks. */
unsigned long harness_upcalls(const struct vcpu *v);    /* arch_vcpu_raise_upcall calls */
unsigned long harness_poll_wakes(const struct vcpu *v); /* arch_vcpu_wake_poller calls */
/* Which guest-atomic primitives this run exercises (for test diagnostics). */
const char *harness_atomics_name(void);

/* Fault injection: make the next n guest atomics on d's memory give up. */
void harness_starve_atomics(struct domain *d, unsigned int n);
/* Fault injection: make the next n heap allocations fail (0 stops it). */
void harness_fail_next_allocs(unsigned int n);

/* Everything the hypervisor printed since the last call (for dump tests); caller frees. */
char *harness_take_console(void);

#endif
