/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Time on arm64: the generic timer.
 *
 *  - arch_now_ns(): CNTPCT_EL0 scaled to nanoseconds. The physical counter is the one clock
 *    every CPU shares (the architecture keeps it synchronised), so no per-CPU offsets.
 *  - The scheduler's one-shot timer of each CPU is the EL2 physical timer (CNTHP, PPI 26):
 *    guests cannot touch it, and it leaves both EL1 timers to the guest.
 *  - The guest's virtual timer (CNTV, PPI 27) belongs to whichever vCPU runs: vtimer.c.
 */
#include <asm/gic.h>

#include <asm/setup.h>
#include <asm/time.h>
#include <xen/arch_hooks.h>
#include <xen/sched.h>

#define NS_PER_S 1000000000ull

#define CNT_CTL_ENABLE  (1ul << 0)
#define CNT_CTL_IMASK   (1ul << 1)
#define CNT_CTL_ISTATUS (1ul << 2)

static uint64_t cnt_freq;       /* CNTFRQ_EL0, ticks per second */
static uint64_t ns_per_tick32;  /* (NS_PER_S << 32) / cnt_freq: now_ns without a division */
static uint64_t ticks_per_ns32; /* (cnt_freq << 32) / NS_PER_S, rounded up: the reverse */

void arm_time_init(void)
{
    cnt_freq = READ_SYSREG(cntfrq_el0);
    if (cnt_freq == 0)
        panic("time: CNTFRQ_EL0 is 0 (firmware did not program the counter frequency)");
    ns_per_tick32 = (uint64_t)(((__uint128_t)NS_PER_S << 32) / cnt_freq);
    ticks_per_ns32 = (uint64_t)((((__uint128_t)cnt_freq << 32) + NS_PER_S - 1) / NS_PER_S);
}

uint64_t arm_ticks(void)
{
    /* The ISB keeps the counter read from being hoisted before earlier instructions. */
    isb();
    return READ_SYSREG(cntpct_el0);
}

uint64_t arm_ticks_to_ns(uint64_t ticks)
{
    return (uint64_t)(((__uint128_t)ticks * ns_per_tick32) >> 32);
}

uint64_t arm_ns_to_ticks(uint64_t ns)
{
    /* The multiplier is rounded up, so this never comes out early. */
    return (uint64_t)(((__uint128_t)ns * ticks_per_ns32) >> 32);
}

uint64_t arch_now_ns(void)
{
    return arm_ticks_to_ns(arm_ticks());
}

/*
 * Per CPU, touched by that CPU only with interrupts masked: the scheduler's deadline and
 * the compare value CNTHP holds (0: disarmed), both in counter ticks.
 */
struct hyp_timer_cpu {
    uint64_t sched_deadline;
    uint64_t programmed;
};

static struct hyp_timer_cpu hyp_timer_cpus[NR_CPUS];

/*
 * Make CNTHP fire no later than `ticks`. A timer already due earlier is left alone: an
 * early interrupt only recomputes (arm_hyp_timer_interrupt), so moving a deadline later
 * or cancelling it needs no register write at all.
 */
void arm_hyp_timer_want(uint64_t ticks)
{
    struct hyp_timer_cpu *t = &hyp_timer_cpus[smp_processor_id()];

    if (ticks == 0 || (t->programmed != 0 && t->programmed <= ticks))
        return;
    t->programmed = ticks;
    WRITE_SYSREG(ticks, cnthp_cval_el2);
    WRITE_SYSREG(CNT_CTL_ENABLE, cnthp_ctl_el2);
}

void arch_set_cpu_timer(uint64_t deadline_ns)
{
    struct hyp_timer_cpu *t = &hyp_timer_cpus[smp_processor_id()];

    /*
     * No interrupt masking needed: EL2 never unmasks IRQs in this port (even the idle loop
     * waits with WFI, IRQs masked), so nothing can interleave with this CPU's own state.
     * Rounded up and one tick late, so the interrupt never comes before arch_now_ns() has
     * reached the deadline (a scheduler that finds nothing due would re-arm the same value).
     */
    t->sched_deadline = deadline_ns != 0 ? arm_ns_to_ticks(deadline_ns) + 1 : 0;
    arm_hyp_timer_want(t->sched_deadline);
}

void arm_time_init_cpu(void)
{
    WRITE_SYSREG(0, cnthp_ctl_el2);
    isb();
}

void arm_hyp_timer_interrupt(unsigned int intid)
{
    struct hyp_timer_cpu *t = &hyp_timer_cpus[smp_processor_id()];
    uint64_t now = arm_ticks(), vt;

    (void)intid;
    /* Level-triggered: disarm first; whatever is still due re-arms it below. */
    WRITE_SYSREG(0, cnthp_ctl_el2);
    t->programmed = 0;
    vt = arm_vtimer_expire(now);
    if (t->sched_deadline != 0 && now >= t->sched_deadline) {
        t->sched_deadline = 0;
        sched_timer_interrupt(); /* may call arch_set_cpu_timer() for its next deadline */
    }
    arm_hyp_timer_want(t->sched_deadline);
    arm_hyp_timer_want(vt);
}
