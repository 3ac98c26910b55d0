/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The <xen/arch_hooks.h> functions this stage of the port can honestly provide. Guest
 * memory and event delivery need stage-2 tables and the vGIC, which come with domains;
 * until then no domain exists, so these refuse (NULL / -EFAULT) rather than pretend.
 * Console: drivers/char/pl011.c. Guest atomics: guest_atomics.c.
 */
#include <asm/setup.h>
#include <xen/arch_hooks.h>
#include <xen/errno.h>

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
    (void)v; /* PPI 31 through the vGIC: with the vGIC */
}

void arch_vcpu_wake_poller(struct vcpu *v)
{
    (void)v; /* with the scheduler */
}
