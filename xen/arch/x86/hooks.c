/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The <xen/arch_hooks.h> functions this stage of the port can honestly provide. Guest
 * memory and event delivery need nested page tables and the vCPU state, which come with
 * domains; until then no domain exists, so these refuse (NULL / -EFAULT) rather than
 * pretend. Console: uart16550.c. Guest atomics: xen/arch/shared with <asm/guest_atomics.h>.
 */
#include <asm/guest_atomics.h>
#include <asm/x86.h>
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
    /* No timer interrupt or softirq work exists yet that a hypercall could delay. */
    return false;
}

void *arch_map_guest_frame(struct domain *d, gfn_t gfn)
{
    (void)d;
    (void)gfn;
    return NULL;
}

void arch_unmap_guest_frame(struct domain *d, void *va)
{
    (void)d;
    (void)va;
}

int arch_copy_from_guest(struct domain *d, void *dst, gpaddr_t src, size_t len)
{
    (void)d;
    (void)dst;
    (void)src;
    (void)len;
    return -EFAULT;
}

int arch_copy_to_guest(struct domain *d, gpaddr_t dst, const void *src, size_t len)
{
    (void)d;
    (void)dst;
    (void)src;
    (void)len;
    return -EFAULT;
}

void arch_vcpu_raise_upcall(struct vcpu *v)
{
    (void)v; /* the callback vector through SVM event injection: with domains */
}

void arch_vcpu_wake_poller(struct vcpu *v)
{
    (void)v; /* with the scheduler */
}
