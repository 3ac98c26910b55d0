/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Each CPU's one-shot APIC timer serves two clients: the common scheduler's deadline
 * (arch_set_cpu_timer: slices, guest timers for VIRQ_TIMER, poll time-outs) and the
 * virtual LAPIC timers of the vCPUs pinned to the CPU. It is programmed for whichever
 * comes first; when it fires, every vLAPIC timer that is due raises its vector (waking
 * its vCPU), then the scheduler runs its own deadline, as the arm64 port's CNTHP does.
 *
 * A vCPU's vLAPIC timer is only ever written on its own CPU (its MSR exits and this
 * interrupt), with interrupts masked, so the per-CPU lists need no lock.
 *
 * The guests' pvclock (vcpu_info.time) is the same clock seen from the guest: the TSC and
 * its calibrated rate (arch_guest_time_base).
 */
#include <asm/platform.h>
#include <asm/setup.h>
#include <asm/vcpu.h>
#include <xen/irq.h>
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/vcpu_time.h>

#define PCPU_MAX_VCPUS 32

/*
 * How far ahead a deadline that has already passed is programmed. Not "at once": the
 * slice end stays in the past until the run loop's sched_pick() ends the slice, so its
 * interrupt re-arms itself, and a one-shot shorter than this handler fires again before
 * the IRET's next instruction, the CLI of the run loop's interrupt window: the CPU then
 * lives in this handler for good (as under QEMU's -icount, where a tick is a fixed count of
 * instructions). 10 us is far more than the handler takes and delays nothing that waits.
 */
#define PAST_DEADLINE_NS 10000u

static uint64_t sched_deadline_ns[NR_CPUS];
static struct vcpu *pcpu_vcpus[NR_CPUS][PCPU_MAX_VCPUS];
static unsigned int pcpu_nr_vcpus[NR_CPUS];

int x86_time_add_vcpu(struct vcpu *v, unsigned int cpu)
{
    if (cpu >= NR_CPUS || pcpu_nr_vcpus[cpu] == PCPU_MAX_VCPUS)
        return -ENOSPC;
    pcpu_vcpus[cpu][pcpu_nr_vcpus[cpu]++] = v;
    return 0;
}

void x86_timer_reprogram(void)
{
    unsigned int cpu = smp_processor_id();
    uint64_t deadline = sched_deadline_ns[cpu], now;

    for (unsigned int i = 0; i < pcpu_nr_vcpus[cpu]; i++) {
        uint64_t t = x86_vcpu(pcpu_vcpus[cpu][i])->vlapic.timer_deadline_ns;

        if (t != 0 && (deadline == 0 || t < deadline))
            deadline = t;
    }
    if (deadline == 0) {
        lapic_timer_oneshot_ns(0);
        return;
    }
    now = arch_now_ns();
    lapic_timer_oneshot_ns(deadline > now ? deadline - now : PAST_DEADLINE_NS);
}

void arch_set_cpu_timer(uint64_t deadline_ns)
{
    unsigned long flags = arch_local_irq_save();

    sched_deadline_ns[smp_processor_id()] = deadline_ns;
    x86_timer_reprogram();
    arch_local_irq_restore(flags);
}

static void timer_interrupt(unsigned int irq)
{
    unsigned int cpu = smp_processor_id();
    uint64_t now = arch_now_ns();

    (void)irq;
    for (unsigned int i = 0; i < pcpu_nr_vcpus[cpu]; i++)
        vlapic_timer_expired(pcpu_vcpus[cpu][i], now);
    if (sched_deadline_ns[cpu] != 0 && now >= sched_deadline_ns[cpu]) {
        sched_deadline_ns[cpu] = 0;
        sched_timer_interrupt(); /* may call arch_set_cpu_timer() for its next deadline */
    }
    x86_timer_reprogram();
}

/* The pvclock scale of the TSC (vcpu_time.h), fixed once the TSC is calibrated. */
static uint32_t pvclock_mul;
static int8_t pvclock_shift;

bool arch_guest_time_base(struct domain *d, struct vcpu_time_info *t)
{
    /*
     * Guests run with a TSC offset of 0 (svm.c) and arch_now_ns() is the TSC since reset
     * scaled by its calibrated rate, so system time at TSC 0 is 0 and one base serves every
     * vCPU of every domain for good. No TSC_STABLE flag: nothing here has checked that the
     * CPUs' TSCs agree, so a guest keeps its own reads monotonic, as Linux does without it.
     */
    (void)d;
    if (pvclock_mul == 0)
        return false; /* before x86_time_init(): no domain exists yet */
    t->tsc_timestamp = 0;
    t->system_time = 0;
    t->tsc_to_system_mul = pvclock_mul;
    t->tsc_shift = pvclock_shift;
    t->flags = 0;
    return true;
}

void x86_time_init(void)
{
    irq_register(VECTOR_TIMER, timer_interrupt);
    time_scale_from_hz(tsc_hz(), &pvclock_mul, &pvclock_shift);
}
