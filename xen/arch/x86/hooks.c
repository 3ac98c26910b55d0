/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The small <xen/arch_hooks.h> functions. Elsewhere: guest memory (guest_mem.c), event
 * delivery, wake-up events and kicks (run.c), the clock (apic.c) and the CPU timer
 * (time.c), VCPUOP_initialise (vcpu_context.c), the console (xen/drivers/char/serial.c),
 * guest atomics (xen/arch/shared with <asm/guest_atomics.h>).
 */
#include <asm/guest_atomics.h>
#include <asm/platform.h>
#include <asm/pvh.h>
#include <asm/setup.h>
#include <asm/vcpu.h>
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <public/sched.h>

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
    /*
     * Hypercalls run with interrupts masked (the run loop's exit handling), so the
     * scheduler's timer and the kicks of other CPUs wait in the LAPIC's IRR: one waiting
     * means this CPU has other work, and the hypercall continues later (-ERESTART).
     */
    return lapic_irq_pending();
}

unsigned int arch_this_cpu(void)
{
    return smp_processor_id();
}
