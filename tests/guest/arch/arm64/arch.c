/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arm64 glue of the conformance guest, besides what both ARM widths share
 * (arch/arm/arm_guest.c): the MMU's control registers, the EL0 alias isolation.c's AArch32
 * probe runs from, the interrupt mask in DAIF, the virtual counter, and the report of an
 * unexpected exception.
 */
#include "arm_guest.h"
#include "gic.h"
#include "guest_arch.h"
#include "isolation.h"

#define PTE_PXN       (1ull << 53)
#define PTE_AP_RO_EL0 (3ull << 6) /* read-only at EL1 and EL0 */

void arch_mmu_enable(uint64_t ttbr0, uint64_t tcr, uint64_t mair);

uint64_t el0_alias_base; /* isolation.h */

void arm_mmu_on(void)
{
    uint64_t mair = 0xffull << (8 * ARM_MAIR_NORMAL); /* attribute 0: Device-nGnRnE */
    /* T0SZ 25, WB-WA walks, inner shareable, 4K granule, no TTBR1 walks, IPS from the CPU. */
    uint64_t tcr = 25ul | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 23) |
                   ((sysreg_read(id_aa64mmfr0_el1) & 7) << 32);

    arch_mmu_enable((uintptr_t)arm_l1_table, tcr, mair);
}

void arm_mmu_finish(void)
{
    unsigned int i = (unsigned int)((uintptr_t)arm_l1_table >> 30);

    /*
     * The GiB we run in again, read-only and executable only at EL0, for the AArch32 EL0
     * probe of isolation.c (EL0-accessible memory cannot be EL1's: an alias). AArch32
     * addresses are 32-bit, so the alias takes a GiB below 4 GiB without RAM, if there is
     * one (the first GiB holds the devices), and without the GIC: a dom0's GIC is where the
     * host's is, which on ZynqMP is just below 4 GiB.
     */
    for (unsigned int gb = 3; gb >= 1 && el0_alias_base == 0; gb--) {
        if ((arm_l1_table[gb] & ARM_PTE_ATTR(7)) == ARM_PTE_ATTR(ARM_MAIR_DEVICE) && gb != i &&
            !gic_in_gib(gb)) {
            arm_l1_table[gb] = ((uint64_t)i << 30) | ARM_PTE_BLOCK | ARM_PTE_AF | ARM_PTE_SH_INNER |
                               ARM_PTE_ATTR(ARM_MAIR_NORMAL) | PTE_AP_RO_EL0 | PTE_PXN;
            el0_alias_base = (uint64_t)gb << 30;
        }
    }
    arm_mmu_on();
}

void arch_irq_enable(void)
{
    __asm__ volatile("msr daifclr, #2" ::: "memory");
}

void arch_irq_disable(void)
{
    __asm__ volatile("msr daifset, #2" ::: "memory");
}

bool arch_irq_enabled(void)
{
    return !(sysreg_read(daif) & (1u << 7));
}

uint64_t arch_counter(void)
{
    __asm__ volatile("isb" ::: "memory");
    return sysreg_read(cntvct_el0);
}

void arch_trap(unsigned long kind, unsigned long esr, unsigned long elr, unsigned long far);
void arch_trap(unsigned long kind, unsigned long esr, unsigned long elr, unsigned long far)
{
    (void)kind;
    guest_fatal("unexpected exception (ESR, ELR, FAR)", esr, elr, far);
}

void arch_isolation_mark(void); /* isolation.c */

const char *arch_platform_init(void)
{
    arch_isolation_mark(); /* every role: a marker another domain must never read */
    return gic_init();
}
