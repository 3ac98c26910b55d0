/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The <xen/arch_hooks.h> functions this stage of the port can honestly provide. Guest
 * memory and event delivery need stage-2 tables and the vGIC, which come with domains;
 * until then no domain exists, so these refuse (NULL / -EFAULT) rather than pretend.
 * Console: xen/drivers/char/serial.c. Guest atomics: guest_atomics.c. Guest memory and
 * arch_guest_ram_*, arch_guest_physmap_*: guest_memory.c.
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
#include <xen/event.h>
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

bool arch_vcpu_raise_upcall(struct vcpu *v)
{
    /*
     * PPI 31 through the vGIC; a guest that disabled it takes it when it enables it. For
     * the vCPU this CPU runs (an event it sends itself, a VIRQ raised in its trap), the
     * list register is written now: nothing to wake, and its exit needs no flush.
     */
    if (v == arm_current_vcpu() && vgic_raise_here(v, GUEST_EVTCHN_PPI_INTID))
        return false;
    return vgic_mark_irq(v, GUEST_EVTCHN_PPI_INTID) == v;
}

void arch_vcpu_wake_poller(struct vcpu *v)
{
    vcpu_wake(v);
}

void arch_vcpu_enable_event_delivery(struct vcpu *v)
{
    /*
     * v is the caller, inside a hypercall: on entry.S's fast path (AArch64) its PSTATE is
     * still in SPSR_EL2, and the ERET that ends the hypercall, or the switch back to v
     * later, takes it from there; on the full exit (AArch32) the frame's copy is restored.
     * Both are written: the one not in use is not read.
     */
    arm_vcpu(v)->regs.spsr &= ~DAIF_I; /* an AArch32 guest's call takes the full exit */
    WRITE_SYSREG(READ_SYSREG(spsr_el2) & ~DAIF_I, spsr_el2);
}

bool arch_vcpu_has_wakeup_event(struct vcpu *v)
{
    bool loaded;

    if (vcpu_upcall_pending(v))
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

int arch_vcpu_initialise(struct vcpu *v, gpaddr_t arg)
{
    /* Xen on ARM has no VCPUOP_initialise (PSCI CPU_ON starts vCPUs): never offered. */
    (void)v;
    (void)arg;
    return -ENOSYS;
}

const struct guest_layout *arch_guest_layout_now(struct vcpu *v)
{
    /* ARM guests of both widths share one layout (64-bit words): nothing to latch. */
    return v->domain->guest_layout;
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
