/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arm32 (AArch32 EL1) glue of the conformance guest, besides what both ARM widths share
 * (arch/arm/arm_guest.c): the MMU's control registers (LPAE: TTBCR.EAE, MAIR0, TTBR0 from
 * head.S), the interrupt mask in the CPSR, the virtual counter through CP15, and the
 * report of an unexpected exception.
 */
#include "arm_guest.h"
#include "gic.h"
#include "guest_arch.h"

void arch_mmu_enable(uint32_t ttbr0_lo, uint32_t ttbr0_hi, uint32_t mair0, uint32_t mair1);

void arm_mmu_on(void)
{
    /* MAIR0: attribute 0 Device-nGnRnE, 1 Normal write-back. */
    arch_mmu_enable((uint32_t)(uintptr_t)arm_l1_table, 0, 0xffu << (8 * ARM_MAIR_NORMAL), 0);
}

void arm_mmu_finish(void)
{
    arm_mmu_on();
}

void arch_irq_enable(void)
{
    __asm__ volatile("cpsie i" ::: "memory");
}

void arch_irq_disable(void)
{
    __asm__ volatile("cpsid i" ::: "memory");
}

bool arch_irq_enabled(void)
{
    uint32_t cpsr;

    __asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
    return !(cpsr & (1u << 7));
}

uint64_t arch_counter(void)
{
    uint32_t lo, hi;

    __asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi)::"memory"); /* CNTVCT */
    return (uint64_t)hi << 32 | lo;
}

/* vectors.S: kind 0 reset, 1 undefined, 2 SVC, 3 prefetch abort, 4 data abort, 7 FIQ. */
void arch_trap(unsigned long kind, unsigned long fsr, unsigned long pc, unsigned long far);
void arch_trap(unsigned long kind, unsigned long fsr, unsigned long pc, unsigned long far)
{
    guest_fatal("unexpected exception (kind << 32 | FSR, PC, FAR)", (uint64_t)kind << 32 | fsr, pc,
                far);
}

const char *arch_platform_init(void)
{
    return gic_init();
}

/* libgcc's division helpers call raise(SIGFPE) on a division by zero: a guest bug. */
int raise(int sig);
int raise(int sig)
{
    guest_fatal("division by zero (raise)", (uint64_t)sig, 0, 0);
    return -1;
}
