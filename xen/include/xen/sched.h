/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scheduler: static partitioning with round-robin sharing (xen/common/sched.c).
 *
 * Every vCPU is pinned to one physical CPU for life (the DT says which, or vCPU i of a
 * domain goes to CPU i mod nr_cpus). Each CPU keeps its own run queue, so the hot paths
 * take only that CPU's lock. Several runnable vCPUs on one CPU share it round-robin in
 * SCHED_SLICE_NS slices on the CPU's one-shot timer.
 *
 * How the port drives it (ARM: xen/arch/arm; x86: xen/arch/x86):
 *
 *   boot:     sched_init(nr_cpus); sched_add_vcpu() for every vCPU; each CPU then enters
 *             its run loop.
 *   run loop: with interrupts masked, on every way back to a guest and whenever the CPU
 *             is idle:   next = sched_pick(cpu, prev);
 *             next == NULL: idle (ARM wfi / x86 hlt, interrupts enabled) and ask again;
 *             next != prev: save prev's context, load next's, then sched_switched(next).
 *   timer:    the CPU's one-shot timer interrupt calls sched_timer_interrupt().
 *   kicks:    vcpu_wake() for a vCPU of another CPU calls arch_cpu_kick(); the kicked CPU
 *             just returns through its run loop, where sched_pick() sees the change.
 */
#ifndef MINIXEN_SCHED_H
#define MINIXEN_SCHED_H

#include <xen/domain.h>

#define SCHED_SLICE_NS 10000000ull /* 10 ms */

/* Per-CPU run queues for cpus 0..nr_cpus-1 (before any vCPU is added). */
int sched_init(unsigned int nr_cpus);

/*
 * Pin v to physical CPU cpu. online: runnable from the start (vCPU 0); otherwise down
 * until vcpu_set_online() (PSCI CPU_ON, VCPUOP_up). -EINVAL for a bad cpu.
 */
int sched_add_vcpu(struct vcpu *v, unsigned int cpu, bool online);

/*
 * The vCPU cpu should run now, given that prev (NULL: idle) ran until here. Returns prev
 * itself when it keeps the CPU. Interrupts masked; called by the port's run loop only.
 */
struct vcpu *sched_pick(unsigned int cpu, struct vcpu *prev);

/*
 * The port has loaded next's context on this CPU (NULL: saved prev's and idles):
 * bookkeeping, runstate area, and restarts of domains that became quiescent.
 */
void sched_switched(struct vcpu *next);

/*
 * Fast path of a port's exit handling (cpu: this CPU, interrupts masked, prev loaded and
 * running): true if sched_pick(cpu, prev) would return prev and change nothing, so the port
 * may resume prev without calling it. A kick from another CPU follows any change that
 * makes this stale.
 */
bool sched_keeps(unsigned int cpu, const struct vcpu *prev);

/*
 * The same after a hypercall that at most woke vCPUs (hypercall_only_wakes): its caller
 * was running and kept when it entered (every way back to a guest passes sched_keeps()
 * or sched_pick(); a change from another CPU since comes with a kick, still pending
 * while we run with interrupts masked), and a wake on this CPU sets timer_dirty. So only
 * that one flag can have changed here.
 */
bool sched_kept_after_wakes(unsigned int cpu);

/* This CPU's one-shot timer fired: slices, guest timers (VIRQ_TIMER), poll timeouts. */
void sched_timer_interrupt(void);

/* The vCPU whose context is loaded on this CPU (NULL while idle). */
struct vcpu *sched_current(void);

/*
 * v has something to do (an event, an interrupt, PSCI CPU_ON done): if it is blocked it
 * becomes runnable; if it runs or will run on another CPU, that CPU is kicked. Any
 * context, any CPU, interrupts masked or not.
 */
void vcpu_wake(struct vcpu *v);

/*
 * v (the current vCPU) blocks until vcpu_wake(), unless arch_vcpu_has_wakeup_event(v)
 * already holds (SCHEDOP_block, WFI, HLT). The port then goes through its run loop.
 */
void vcpu_block(struct vcpu *v);

/* SCHEDOP_yield: let another runnable vCPU of this CPU run first. */
void vcpu_yield(struct vcpu *v);

/* PSCI CPU_ON/CPU_OFF, VCPUOP_up/down. Taking a vCPU down also drops its timers. */
void vcpu_set_online(struct vcpu *v, bool online);
bool vcpu_is_online(const struct vcpu *v);

/*
 * One-shot guest timer of v at deadline_ns (arch_now_ns time; 0 cancels): sends
 * VIRQ_TIMER to v when it passes (set_timer_op, VCPUOP_set_singleshot_timer).
 */
void vcpu_set_guest_timer(struct vcpu *v, uint64_t deadline_ns);

/*
 * SCHEDOP_poll: block v (current) until one of ports is pending or deadline_ns passes
 * (0: no timeout). Returns 0 when woken or timed out, -EINVAL for a bad port, or 0 at
 * once when a port is already pending. The hypercall layer validates the guest's list.
 */
int vcpu_poll(struct vcpu *v, const evtchn_port_t *ports, unsigned int nr_ports,
              uint64_t deadline_ns);

/*
 * End d (SHUTDOWN_* reason): all its vCPUs stop for good, the console says why; a domU
 * that asked to reboot is then restarted (domain_restart_when_quiescent with the port's
 * arch_domain_rebuild). Idempotent. When the last domain ends, the console prints
 * "minixen: all domains have shut down". When d is the hardware domain (dom0) the machine
 * follows it (hwdom_shutdown, xen/include/xen/shutdown.h): powered off, reset or halted,
 * and this does not return; a domU only ends (or, on reboot, restarts) itself.
 */
void domain_shutdown(struct domain *d, unsigned int reason);

/* "poweroff", "reboot", "crash", ... for a SHUTDOWN_* reason; NULL for an unknown one. */
const char *shutdown_reason_name(unsigned int reason);

/*
 * Does the scheduler still hold d's vCPUs? False while one of them is up, is still the
 * chosen vCPU of some CPU (a CPU lets go of a vCPU that went down at its next
 * sched_pick()), or still has its context in a CPU (until that CPU's sched_switched()).
 * Once it is true after domain_shutdown(), d may be destroyed or rebuilt.
 */
bool sched_domain_quiescent(struct domain *d);

/*
 * SHUTDOWN_reboot of a domU (domain_shutdown() calls this with arch_domain_rebuild for a
 * domain that has just shut down): once sched_domain_quiescent(d), on the CPU that sees it
 * (in sched_switched(), right after it let go of d's last vCPU, interrupts masked),
 * domain_reset(d), then rebuild(d) lays d's boot image out again and resets its vCPUs'
 * contexts (0 or an error: d then stays down). d is then running again from vCPU 0, with
 * its id and memory. Idempotent while a restart is pending.
 */
void domain_restart_when_quiescent(struct domain *d, int (*rebuild)(struct domain *d));

/* Pause/unpause every vCPU of d (debugging, starved atomics). Counted: nests. */
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);

/* SCHEDOP_shutdown_code: the first code recorded is the reason a later shutdown reports. */
void domain_set_shutdown_code(struct domain *d, uint8_t code);

/*
 * v's runstate as its guest lays it out (vcpu_runstate_info: 48 bytes, 44 for x86_32
 * guests) into buf; returns the length. sched_write_runstate_area() copies it to v's
 * registered area (v must be current: the address is a guest virtual one).
 */
size_t sched_runstate_snapshot(struct vcpu *v, uint8_t buf[48]);
int sched_write_runstate_area(struct vcpu *v);

/* "running", "blocked", "polling", ... for the 'q' debug key. */
const char *sched_vcpu_state_name(const struct vcpu *v);

#endif
