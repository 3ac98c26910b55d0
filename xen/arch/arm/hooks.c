/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The <xen/arch_hooks.h> functions this stage of the port can honestly provide. Guest
 * memory and event delivery need stage-2 tables and the vGIC, which come with domains;
 * until then no domain exists, so these refuse (NULL / -EFAULT) rather than pretend.
 * Console: drivers/char/pl011.c. Guest atomics: guest_atomics.c. Guest memory and
 * arch_guest_physmap_add_page: guest_memory.c.
 */
#include <asm/setup.h>
#include <xen/arch_hooks.h>
#include <asm/guest_memmap.h>
#include <asm/domain_build.h>
#include <asm/vgic.h>
#include <xen/sched.h>
#include <asm/time.h>
#include <asm/vcpu.h>
#include <public/sched.h>
#include <xen/domain.h>
#include <xen/errno.h>
#include <xen/lib.h>

void arch_cpu_relax(void)
{
    __asm__ __volatile__("yield" ::: "memory");
}

unsigned long arch_local_irq_save(void)
{
    unsigned long flags;

    __asm__ __volatile__("mrs %0, daif\n msr daifset, #2" : "=r"(flags)::"memory");
    return flags;
}

void arch_local_irq_restore(unsigned long flags)
{
    __asm__ __volatile__("msr daif, %0" ::"r"(flags) : "memory");
}

bool arch_hypercall_preempt_check(void)
{
    /*
     * ISR_EL1.I: a physical IRQ is pending for this CPU (HCR_EL2.IMO routes them to us).
     * A long hypercall stops so the timer, a kick or the UART get their turn.
     */
    return (READ_SYSREG(isr_el1) & (1ul << 7)) != 0;
}

void arm_check_starved(struct domain *d)
{
    struct arm_domain *ad = arm_domain(d);

    if (__atomic_load_n(&d->atomics_starved, __ATOMIC_RELAXED) == 0 || ad == NULL)
        return;
    if (__atomic_exchange_n(&ad->starved_paused, true, __ATOMIC_ACQ_REL))
        return;
    printk("d%u: paused: it kept hypervisor-shared words busy (XSA-295)\n", d->domain_id);
    domain_pause(d);
}

void arch_vcpu_raise_upcall(struct vcpu *v)
{
    /* PPI 31 through the vGIC; vgic_inject_irq wakes v and kicks its CPU. */
    vgic_inject_irq(v, GUEST_EVTCHN_PPI_INTID);
    arm_check_starved(v->domain);
}

void arch_vcpu_wake_poller(struct vcpu *v)
{
    vcpu_wake(v);
}

bool arch_vcpu_has_wakeup_event(struct vcpu *v)
{
    bool loaded;

    /* evtchn_upcall_pending is byte 0 of vcpu_info; the guest may write it any time. */
    if (v->vcpu_info != NULL && *(volatile const uint8_t *)v->vcpu_info != 0)
        return true;
    if (v->arch == NULL)
        return false;
    loaded = v == arm_current_vcpu();
    if (arm_vtimer_expired(v, loaded))
        return true;
    /*
     * The hypercall fast path (entry.S) does not read the list registers back on exit: do
     * it now if v is loaded here, or an interrupt the guest has already taken would still
     * look pending and SCHEDOP_block/WFI would return at once, forever.
     */
    if (loaded && !arm_vcpu(v)->lrs_synced)
        vgic_sync(v);
    return vgic_vcpu_pending(v);
}

void arch_domain_shutdown(struct domain *d, unsigned int reason)
{
    if (d->arch == NULL)
        return;
    /*
     * SYSTEM_RESET / SCHEDOP_shutdown(reboot): build the domain again from its config, but
     * only once no CPU still runs or holds one of its vCPUs; the caller may be one of them.
     */
    if (reason == SHUTDOWN_reboot)
        domain_restart_when_quiescent(d, arm_rebuild_domain);
}

int arch_vcpu_initialise(struct vcpu *v, gpaddr_t arg)
{
    /* Xen on ARM has no VCPUOP_initialise (PSCI CPU_ON starts vCPUs): never offered. */
    (void)v;
    (void)arg;
    return -ENOSYS;
}

bool arch_guest_time_base(struct domain *d, struct vcpu_time_info *t)
{
    /*
     * None, as on Xen on Arm: guests take their time from the generic timer (the virtual
     * counter, which is the physical one here: CNTVOFF_EL2 is 0), and add it to the wall
     * clock in shared_info.
     */
    (void)d;
    (void)t;
    return false;
}
