/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86 port's area of role=main (arch_area_isolation), both widths: the CPU a PVH guest
 * is shown (cpu_policy.c), X86_CPU_POLICY_RESULTS results, then what it finds outside its
 * RAM (mmio.c), X86_MMIO_RESULTS results.
 */
#include "guest_arch.h"
#include "x86_probe.h"

void arch_area_isolation(void)
{
    x86_area_cpu_policy();
    x86_area_mmio();
}
