/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest's EL1 virtual timer (CNTV_*, PPI 27).
 *
 * While a vCPU runs, the hardware timer is its own: the guest programs CNTV_CVAL/CTL
 * directly (no trap). When it fires, the physical PPI 27 comes to EL2; as Xen does, we set
 * CNTV_CTL.IMASK (so the level-triggered line drops and the guest runs on) and inject the
 * virtual PPI 27. The guest's handler sees IMASK and rewrites CTL when it reprograms.
 *
 * When the vCPU is switched out, its timer is saved and switched off (the next vCPU owns
 * the hardware). An armed timer then puts the vCPU on its CPU's wake list; the CPU's CNTHP
 * timer (time.c) fires at the earliest deadline there, and arm_vtimer_expire() injects the
 * interrupt, which wakes a vCPU that blocked in WFI. CNTVOFF_EL2 is 0: virtual time is
 * physical time, so deadlines convert without offsets.
 */
#include <asm/domain.h>
#include <asm/guest_memmap.h>
#include <asm/setup.h>
#include <asm/time.h>
#include <asm/vgic.h>
#include <xen/spinlock.h>

#define CNT_CTL_ENABLE  (1ul << 0)
#define CNT_CTL_IMASK   (1ul << 1)
#define CNT_CTL_ISTATUS (1ul << 2)

struct vtimer_cpu {
    spinlock_t lock;     /* the wake list: also edited by domain shutdown on other CPUs */
    struct vcpu *head;   /* descheduled vCPUs of this CPU with an armed timer */
    struct vcpu *loaded; /* whose timer is in the hardware now (this CPU only) */
};

static struct vtimer_cpu vtimer_cpus[NR_CPUS];

static bool armed(uint64_t ctl)
{
    return (ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK)) == CNT_CTL_ENABLE;
}

static void inject(struct vcpu *v)
{
    vgic_inject_irq(v, GUEST_VTIMER_PPI_INTID);
}

/* Under the lock: unlink v from c's list if it is there. */
static void dequeue_locked(struct vtimer_cpu *c, struct vcpu *v)
{
    struct arm_vcpu *av = arm_vcpu(v);

    if (!av->vtimer_queued)
        return;
    for (struct vcpu **pp = &c->head; *pp != NULL; pp = &arm_vcpu(*pp)->vtimer_next) {
        if (*pp == v) {
            *pp = av->vtimer_next;
            break;
        }
    }
    av->vtimer_next = NULL;
    av->vtimer_queued = false;
}

void arm_vtimer_save(struct vcpu *v)
{
    struct vtimer_cpu *c = &vtimer_cpus[smp_processor_id()];
    struct arm_vcpu *av = arm_vcpu(v);
    unsigned long flags;

    av->cntv_ctl = READ_SYSREG(cntv_ctl_el0);
    av->cntv_cval = READ_SYSREG(cntv_cval_el0);
    WRITE_SYSREG(0, cntv_ctl_el0);
    isb();
    c->loaded = NULL;
    if (!armed(av->cntv_ctl))
        return;
    av->vtimer_deadline_ns = arm_ticks_to_ns(av->cntv_cval);
    flags = spin_lock_irqsave(&c->lock);
    av->vtimer_next = c->head;
    c->head = v;
    av->vtimer_queued = true;
    spin_unlock_irqrestore(&c->lock, flags);
    arm_hyp_timer_reprogram();
}

void arm_vtimer_restore(struct vcpu *v)
{
    struct vtimer_cpu *c = &vtimer_cpus[smp_processor_id()];
    struct arm_vcpu *av = arm_vcpu(v);

    if (av->vtimer_queued) {
        unsigned long flags = spin_lock_irqsave(&c->lock);

        dequeue_locked(c, v);
        spin_unlock_irqrestore(&c->lock, flags);
    }
    /* CVAL before CTL, so an enabled timer never compares against a stale value. */
    WRITE_SYSREG(av->cntv_cval, cntv_cval_el0);
    WRITE_SYSREG(av->cntv_ctl, cntv_ctl_el0);
    c->loaded = v;
}

bool arm_vtimer_expired(struct vcpu *v)
{
    const struct arm_vcpu *av = arm_vcpu(v);

    if (vtimer_cpus[smp_processor_id()].loaded == v) {
        uint64_t ctl = READ_SYSREG(cntv_ctl_el0);

        return armed(ctl) && (ctl & CNT_CTL_ISTATUS) != 0;
    }
    return armed(av->cntv_ctl) && arm_ticks() >= av->cntv_cval;
}

/* Physical PPI 27 at EL2: the running vCPU's timer condition is met. */
void arm_vtimer_interrupt(void)
{
    struct vcpu *v = vtimer_cpus[smp_processor_id()].loaded;

    WRITE_SYSREG(READ_SYSREG(cntv_ctl_el0) | CNT_CTL_IMASK, cntv_ctl_el0);
    isb();
    if (v != NULL)
        inject(v);
}

uint64_t arm_vtimer_next_deadline(void)
{
    struct vtimer_cpu *c = &vtimer_cpus[smp_processor_id()];
    uint64_t min = 0;
    unsigned long flags = spin_lock_irqsave(&c->lock);

    for (struct vcpu *v = c->head; v != NULL; v = arm_vcpu(v)->vtimer_next) {
        uint64_t d = arm_vcpu(v)->vtimer_deadline_ns;

        if (min == 0 || d < min)
            min = d;
    }
    spin_unlock_irqrestore(&c->lock, flags);
    return min == 0 && c->head != NULL ? 1 : min;
}

void arm_vtimer_expire(uint64_t now_ns)
{
    struct vtimer_cpu *c = &vtimer_cpus[smp_processor_id()];

    /*
     * One due vCPU per pass, injected outside the lock (injection wakes the vCPU, which
     * takes scheduler locks and may re-program this CPU's timer). Each pass removes one
     * entry, so the loop ends.
     */
    for (;;) {
        struct vcpu *due = NULL;
        unsigned long flags = spin_lock_irqsave(&c->lock);

        for (struct vcpu *v = c->head; v != NULL; v = arm_vcpu(v)->vtimer_next) {
            if (arm_vcpu(v)->vtimer_deadline_ns <= now_ns) {
                due = v;
                break;
            }
        }
        if (due != NULL) {
            dequeue_locked(c, due);
            /* As if the hardware had fired while it ran: masked until the guest rewrites. */
            arm_vcpu(due)->cntv_ctl |= CNT_CTL_IMASK;
        }
        spin_unlock_irqrestore(&c->lock, flags);
        if (due == NULL)
            return;
        inject(due);
    }
}

void arm_vtimer_domain_shutdown(struct domain *d)
{
    for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
        struct vtimer_cpu *c = &vtimer_cpus[cpu];
        unsigned long flags = spin_lock_irqsave(&c->lock);

        for (uint32_t i = 0; i < d->max_vcpus; i++) {
            struct vcpu *v = d->vcpu[i];

            if (v != NULL && v->arch != NULL && v->processor == cpu)
                dequeue_locked(c, v);
        }
        spin_unlock_irqrestore(&c->lock, flags);
    }
}
