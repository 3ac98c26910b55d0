/* SPDX-License-Identifier: Apache-2.0 */
/* arm64's view of the GICv3 CPU interface (ICC_*_EL1 system registers) and MPIDR_EL1, for
 * the shared GIC driver (arch/arm/gic.c). */
#ifndef GUEST_ARM64_GIC_CPUIF_H
#define GUEST_ARM64_GIC_CPUIF_H

#include <stdint.h>

#define ICC_WRITE(enc, v) __asm__ volatile("msr " enc ", %0" ::"r"((uint64_t)(v)))

static inline uint64_t read_mpidr(void)
{
    uint64_t v;

    __asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
    return v;
}

static inline void icc_sre_write(uint32_t v)
{
    ICC_WRITE("S3_0_C12_C12_5", v);
}
static inline void icc_pmr_write(uint32_t v)
{
    ICC_WRITE("S3_0_C4_C6_0", v);
}
static inline void icc_bpr1_write(uint32_t v)
{
    ICC_WRITE("S3_0_C12_C12_3", v);
}
static inline void icc_ctlr_write(uint32_t v)
{
    ICC_WRITE("S3_0_C12_C12_4", v);
}
static inline void icc_igrpen1_write(uint32_t v)
{
    ICC_WRITE("S3_0_C12_C12_7", v);
}
static inline void icc_eoir1_write(uint32_t v)
{
    ICC_WRITE("S3_0_C12_C12_1", v);
}
static inline void icc_sgi1r_write(uint64_t v)
{
    ICC_WRITE("S3_0_C12_C11_5", v);
}

static inline uint32_t icc_iar1_read(void)
{
    uint64_t v;

    __asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(v));
    return (uint32_t)v;
}

#endif
