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
 * timer (time.c) fires no later than its deadline, and arm_vtimer_expire() injects the
 * interrupt, which wakes a vCPU that blocked in WFI. CNTVOFF_EL2 is 0: virtual time is
 * physical time, so CNTV_CVAL is directly a CNTHP compare value.
 *
 * The wake list of a CPU holds only vCPUs pinned to it and is touched only by that CPU,
 * with interrupts masked (switches and the CNTHP interrupt), so it needs no lock. vCPUs of
 * a domain that has shut down are dropped from it when it is next scanned (vCPUs are never
 * freed while the hypervisor runs).
 */
#include <asm/domain.h>
#include <asm/guest_memmap.h>
#include <asm/setup.h>
#include <asm/time.h>
#include <asm/vgic.h>
#include <xen/domain.h>
#include <xen/fence.h>

#define CNT_CTL_ENABLE  (1ul << 0)
#define CNT_CTL_IMASK   (1ul << 1)
#define CNT_CTL_ISTATUS (1ul << 2)

struct vtimer_cpu {
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

/* Put v at the head of c's list. */
static void enqueue(struct vtimer_cpu *c, struct vcpu *v)
{
    struct arm_vcpu *av = arm_vcpu(v);

    av->vtimer_next = c->head;
    if (c->head != NULL)
        arm_vcpu(c->head)->vtimer_pprev = &av->vtimer_next;
    av->vtimer_pprev = &c->head;
    c->head = v;
}

/* Unlink v from the list it is on (O(1): it knows the link that points at it). */
static void unlink(struct arm_vcpu *av)
{
    *av->vtimer_pprev = av->vtimer_next;
    if (av->vtimer_next != NULL)
        arm_vcpu(av->vtimer_next)->vtimer_pprev = av->vtimer_pprev;
    av->vtimer_next = NULL;
    av->vtimer_pprev = NULL;
}

void arm_vtimer_save(struct vcpu *v)
{
    struct vtimer_cpu *c = &vtimer_cpus[smp_processor_id()];
    struct arm_vcpu *av = arm_vcpu(v);

    av->cntv_ctl = READ_SYSREG(cntv_ctl_el0);
    av->cntv_cval = READ_SYSREG(cntv_cval_el0);
    WRITE_SYSREG(0, cntv_ctl_el0);
    c->loaded = NULL;
    if (!armed(av->cntv_ctl))
        return;
    enqueue(c, v);
    arm_hyp_timer_want(av->cntv_cval);
}

void arm_vtimer_restore(struct vcpu *v)
{
    struct vtimer_cpu *c = &vtimer_cpus[smp_processor_id()];
    struct arm_vcpu *av = arm_vcpu(v);

    if (av->vtimer_pprev != NULL)
        unlink(av);
    /* CVAL before CTL, so an enabled timer never compares against a stale value. */
    WRITE_SYSREG(av->cntv_cval, cntv_cval_el0);
    WRITE_SYSREG(av->cntv_ctl, cntv_ctl_el0);
    c->loaded = v;
}

bool arm_vtimer_expired(struct vcpu *v, bool loaded)
{
    const struct arm_vcpu *av = arm_vcpu(v);

    if (loaded) {
        uint64_t ctl = READ_SYSREG(cntv_ctl_el0);

        return armed(ctl) && (ctl & CNT_CTL_ISTATUS) != 0;
    }
    return armed(av->cntv_ctl) && arm_ticks() >= av->cntv_cval;
}

/* Physical PPI 27 at EL2: the running vCPU's timer condition is met. */
void arm_vtimer_interrupt(unsigned int intid)
{
    struct vcpu *v = vtimer_cpus[smp_processor_id()].loaded;

    (void)intid;
    WRITE_SYSREG(READ_SYSREG(cntv_ctl_el0) | CNT_CTL_IMASK, cntv_ctl_el0);
    isb();
    if (v != NULL)
        inject(v);
}

uint64_t arm_vtimer_expire(uint64_t now)
{
    struct vtimer_cpu *c = &vtimer_cpus[smp_processor_id()];
    struct vcpu **pp = &c->head;
    uint64_t next = 0;

    /* Each step unlinks an entry or moves past it: bounded by the list's length. */
    while (*pp != NULL) {
        struct vcpu *v = *pp;
        struct arm_vcpu *av = arm_vcpu(v);
        bool gone = READ_ONCE(v->domain->is_shut_down);

        if (!gone && av->cntv_cval > now) {
            if (next == 0 || av->cntv_cval < next)
                next = av->cntv_cval;
            pp = &av->vtimer_next;
            continue;
        }
        unlink(av); /* *pp now names the next entry */
        if (gone)
            continue;
        /* As if the hardware had fired while it ran: masked until the guest rewrites. */
        av->cntv_ctl |= CNT_CTL_IMASK;
        inject(v); /* wakes v: scheduler locks, never this list */
    }
    return next;
}
