/* SPDX-License-Identifier: Apache-2.0 */
/* AArch32's CP15 registers and constants for the shared ARM glue (arch/arm/arm_guest.h). */
#ifndef GUEST_ARM32_ARM_CPU_H
#define GUEST_ARM32_ARM_CPU_H

#include <stdint.h>

#define ARM_L1_ENTRIES  4            /* TTBCR.T0SZ 0: four 1 GiB blocks, the whole 32-bit space */
#define ARM_PSCI_CPU_ON 0x84000003ul /* SMC32 */
#define ARM_NAME        "arm32"

#define CP15_READ(enc)                                                                             \
    ({                                                                                             \
        uint32_t v_;                                                                               \
        __asm__ volatile("mrc p15, " enc : "=r"(v_));                                              \
        v_;                                                                                        \
    })
#define CP15_WRITE(enc, v) __asm__ volatile("mcr p15, " enc ::"r"((uint32_t)(v)))

static inline unsigned int arm_cpu_index(void)
{
    return CP15_READ("0, %0, c13, c0, 4"); /* TPIDRPRW: head.S's cpu_setup */
}

static inline uint64_t arm_cntfrq(void)
{
    return CP15_READ("0, %0, c14, c0, 0");
}

static inline void arm_cntv_cval_write(uint64_t v)
{
    __asm__ volatile("mcrr p15, 3, %0, %1, c14" ::"r"((uint32_t)v), "r"((uint32_t)(v >> 32)));
}

static inline void arm_cntv_ctl_write(uint32_t v)
{
    CP15_WRITE("0, %0, c14, c3, 1", v);
}

#endif
