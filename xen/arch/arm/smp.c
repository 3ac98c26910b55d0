/* SPDX-License-Identifier: Apache-2.0 */
/* Physical CPUs: who we are and how to make another CPU look at its scheduler. */
#include <asm/gic.h>
#include <asm/setup.h>
#include <xen/arch_hooks.h>

unsigned int arch_this_cpu(void)
{
    return smp_processor_id();
}

void arch_cpu_kick(unsigned int cpu)
{
    /* The calling CPU checks its scheduler and vGIC on its own way back to the guest. */
    if (cpu == smp_processor_id() || cpu >= NR_CPUS)
        return;
    gic_send_sgi(cpu, SGI_KICK);
}
