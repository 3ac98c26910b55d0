/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The small <xen/arch_hooks.h> functions. Elsewhere: guest memory (guest_mem.c), event
 * delivery and kicks (run.c), the clock (apic.c), the console (uart16550.c), guest
 * atomics (xen/arch/shared with <asm/guest_atomics.h>).
 */
#include <asm/guest_atomics.h>
#include <asm/platform.h>
#include <asm/setup.h>
#include <asm/vcpu.h>
#include <xen/arch_hooks.h>
#include <xen/errno.h>

void arch_cpu_relax(void)
{
    raw_cpu_relax();
}

unsigned long arch_local_irq_save(void)
{
    unsigned long flags;

    __asm__ __volatile__("pushfq\n popq %0\n cli" : "=r"(flags)::"memory");
    return flags;
}

void arch_local_irq_restore(unsigned long flags)
{
    if (flags & RFLAGS_IF)
        local_irq_enable();
}

bool arch_hypercall_preempt_check(void)
{
    /* No hypercall here runs long enough yet to need it. */
    return false;
}

unsigned int arch_this_cpu(void)
{
    return smp_processor_id();
}

void arch_set_cpu_timer(uint64_t deadline_ns)
{
    uint64_t now = arch_now_ns();

    if (deadline_ns == 0)
        lapic_timer_oneshot_ns(0);
    else
        lapic_timer_oneshot_ns(deadline_ns > now ? deadline_ns - now : 1);
}

bool arch_vcpu_has_wakeup_event(struct vcpu *v)
{
    return x86_vcpu_upcall_pending(v) && !x86_vcpu(v)->upcall_in_service;
}

void arch_domain_shutdown(struct domain *d, unsigned int reason)
{
    (void)d;
    (void)reason; /* no restart: the domain's memory stays until the machine stops */
}

int arch_vcpu_initialise(struct vcpu *v, gpaddr_t arg)
{
    /* The port's own hypercall table has no vcpu_op yet: unreachable until it moves to
     * the common table (next commits), where this sets the vCPU's VMCB state. */
    (void)v;
    (void)arg;
    return -ENOSYS;
}
