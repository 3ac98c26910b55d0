/* SPDX-License-Identifier: Apache-2.0 */
/* arm64's system registers and constants for the shared ARM glue (arch/arm/arm_guest.h). */
#ifndef GUEST_ARM64_ARM_CPU_H
#define GUEST_ARM64_ARM_CPU_H

#include <stdint.h>

#define ARM_L1_ENTRIES  512          /* 1 GiB blocks over a 39-bit space (T0SZ = 25) */
#define ARM_PSCI_CPU_ON 0xC4000003ul /* SMC64 */
#define ARM_NAME        "arm64"

#define sysreg_read(r)                                                                             \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        __asm__ volatile("mrs %0, " #r : "=r"(v_));                                                \
        v_;                                                                                        \
    })
#define sysreg_write(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))

static inline unsigned int arm_cpu_index(void)
{
    return (unsigned int)sysreg_read(tpidr_el1); /* head.S */
}

static inline uint64_t arm_cntfrq(void)
{
    return sysreg_read(cntfrq_el0);
}

static inline void arm_cntv_cval_write(uint64_t v)
{
    sysreg_write(cntv_cval_el0, v);
}

static inline void arm_cntv_ctl_write(uint32_t v)
{
    sysreg_write(cntv_ctl_el0, v);
}

#endif
