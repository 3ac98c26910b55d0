/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What arm_guest.c (shared by both ARM widths) and each width's arch.c and head.S give
 * each other: the identity map's level-1 table of 1 GiB blocks (LPAE long descriptors on
 * both), and the width's hooks. The width's arm_cpu.h has its register accessors and
 * constants (ARM_L1_ENTRIES, ARM_PSCI_CPU_ON, ARM_NAME).
 */
#ifndef GUEST_ARM_GUEST_H
#define GUEST_ARM_GUEST_H

#include "arm_cpu.h"

#define ARM_PTE_BLOCK    1ull
#define ARM_PTE_ATTR(i)  ((uint64_t)(i) << 2)
#define ARM_PTE_SH_INNER (3ull << 8)
#define ARM_PTE_AF       (1ull << 10)
#define ARM_PTE_XN       (3ull << 53)
#define ARM_MAIR_DEVICE  0 /* attribute index 0: Device-nGnRnE */
#define ARM_MAIR_NORMAL  1 /* attribute index 1: Normal, write-back */

extern uint64_t arm_l1_table[ARM_L1_ENTRIES];

/* arch.c: on vCPU 0, the width's own edits of the built table, then arm_mmu_on(). */
void arm_mmu_finish(void);
/* arch.c: this vCPU's MMU on, over arm_l1_table. */
void arm_mmu_on(void);

/* probe.c: send SGI sgi to ourselves for the interrupt storm (arm64 with its fault
 * recovery armed: a trapped write is counted, not fatal). */
void arm_storm_sgi(unsigned int sgi);

/* head.S */
unsigned long arch_smccc_hvc(unsigned long fid, unsigned long a1, unsigned long a2,
                             unsigned long a3);
unsigned long arch_smccc_smc(unsigned long fid, unsigned long a1, unsigned long a2,
                             unsigned long a3);
extern char secondary_entry[];

#endif
