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

/* What arch_pv_console_gfn() answers for every domain (0: no ring; harness_reset: 0). */
extern gfn_t harness_pv_console_gfn;

/* Counters kept by the host arch hooks. */
unsigned long harness_upcalls(const struct vcpu *v);    /* arch_vcpu_raise_upcall calls */
unsigned long harness_poll_wakes(const struct vcpu *v); /* arch_vcpu_wake_poller calls */
/* arch_domain_construct calls; the one for this domain id fails (-ENOMEM; default none) */
unsigned int harness_domains_constructed(void);
extern unsigned int harness_fail_construct_id;
/* arch_vcpu_enable_event_delivery calls (SCHEDOP_block) */
unsigned long harness_event_delivery_enables(const struct vcpu *v);
unsigned long harness_vcpu_initialised(const struct vcpu *v); /* arch_vcpu_initialise oks */
/* Which guest-atomic primitives this run exercises (for test diagnostics). */
const char *harness_atomics_name(void);

/* Fault injection: make the next n guest atomics on d's memory give up. */
void harness_starve_atomics(struct domain *d, unsigned int n);
/* Fault injection: make the next n heap allocations fail (0 stops it). */
void harness_fail_next_allocs(unsigned int n);
/* What heap_total_bytes() says (default 64 MiB; harness_reset puts it back). */
void harness_set_heap_total(size_t bytes);

/* Everything the hypervisor printed since the last call (for dump tests); caller frees. */
char *harness_take_console(void);

/*
 * Any hypercall as vCPU v: hypercall_dispatch(nr, args) re-issued while it returns
 * -ERESTART, with the arguments it updated, as a port re-executes a continued hypercall.
 * Pointer arguments are guest addresses: put the structs in guest memory first
 * (harness_gfn_to_va / harness_va_to_gpa, or harness_guest_buf).
 */
long harness_hypercall(struct vcpu *v, unsigned long nr, unsigned long a0, unsigned long a1,
                       unsigned long a2, unsigned long a3, unsigned long a4);
/* A fresh zeroed guest page of d: its host address, and its guest address in *gpa. */
void *harness_guest_buf(struct domain *d, gpaddr_t *gpa);

/* ---- The fake machine the scheduler runs on (arch_host.c) ------------------------------- */

#define HARNESS_MAX_CPUS 8

/* The scheduler on nr_cpus fake CPUs; harness_reset() starts it again from scratch. */
int harness_sched_init(unsigned int nr_cpus);

/* arch_now_ns(): a clock that moves only when a test moves it (starts at 1 s). */
void harness_set_now(uint64_t ns);
void harness_advance(uint64_t ns);
/* arch_guest_time_base(): the time base of a counter at hz that reads 0 at system time
 * 1 s, for every domain (0: none, the default, as on ARM). */
void harness_set_time_base(uint64_t hz);
/* What arch_guest_layout_now() answers from now on (NULL: each domain's own layout). */
void harness_set_layout_now(const struct guest_layout *l);
/* arch_this_cpu() of the calling thread (each test thread may play another CPU). */
void harness_set_cpu(unsigned int cpu);
/* The deadline a CPU's last arch_set_cpu_timer() asked for (0: none). */
uint64_t harness_cpu_timer(unsigned int cpu);
/* arch_cpu_kick() calls that targeted cpu. */
unsigned long harness_cpu_kicks(unsigned int cpu);
/* Make an interrupt pending (or not) in v's fake virtual interrupt controller. */
void harness_set_wakeup_event(struct vcpu *v, bool pending);
/* The page arch_guest_physmap_set() put at gfn of d (NULL: none, or cleared). */
void *harness_physmap_lookup(struct domain *d, gfn_t gfn);
/* Domain id's RAM is "1:1" (arch_domain_direct_mapped): populate only puts back a frame
 * where it was built. */
extern bool harness_direct_mapped[MAX_DOMAINS];
/* Times d shut down (common code counts them), and the last reason. */
unsigned int harness_shutdowns(struct domain *d, unsigned int *last_reason);
unsigned int harness_rebuilds(struct domain *d); /* arch_domain_rebuild() calls */
/* Clock, timers and kicks back to their start (harness_reset does it). */
void harness_machine_reset(void);

/*
 * The machine stopping: arch_machine_power_off(), arch_machine_restart() and arch_halt()
 * (panic, machine_halt) never return. harness_catch_machine_stop() runs fn(arg) on this
 * thread and, if it stops the machine, unwinds back and says how (HARNESS_MACHINE_RUNS: fn
 * returned). Outside it the machine stopping ends the test program, as a failure.
 */
enum harness_machine_stop {
    HARNESS_MACHINE_RUNS = 0,
    HARNESS_MACHINE_POWERED_OFF,
    HARNESS_MACHINE_RESTARTED,
    HARNESS_MACHINE_HALTED,
};
enum harness_machine_stop harness_catch_machine_stop(void (*fn)(void *), void *arg);

#endif
