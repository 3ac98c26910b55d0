/* SPDX-License-Identifier: Apache-2.0 */
/* AArch32's view of the GICv3 CPU interface (ICC_* as CP15 registers; ICC_SGI1R by MCRR)
 * and MPIDR (no Aff3), for the shared GIC driver (arch/arm/gic.c). */
#ifndef GUEST_ARM32_GIC_CPUIF_H
#define GUEST_ARM32_GIC_CPUIF_H

#include <stdint.h>

#define CP15_WRITE(enc, v) __asm__ volatile("mcr p15, " enc ::"r"((uint32_t)(v)))

static inline uint64_t read_mpidr(void)
{
    uint32_t v;

    __asm__ volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(v));
    return v;
}

static inline void icc_sre_write(uint32_t v)
{
    CP15_WRITE("0, %0, c12, c12, 5", v);
}
static inline void icc_pmr_write(uint32_t v)
{
    CP15_WRITE("0, %0, c4, c6, 0", v);
}
static inline void icc_bpr1_write(uint32_t v)
{
    CP15_WRITE("0, %0, c12, c12, 3", v);
}
static inline void icc_ctlr_write(uint32_t v)
{
    CP15_WRITE("0, %0, c12, c12, 4", v);
}
static inline void icc_igrpen1_write(uint32_t v)
{
    CP15_WRITE("0, %0, c12, c12, 7", v);
}
static inline void icc_eoir1_write(uint32_t v)
{
    CP15_WRITE("0, %0, c12, c12, 1", v);
}

static inline void icc_sgi1r_write(uint64_t v)
{
    __asm__ volatile("mcrr p15, 0, %0, %1, c12" ::"r"((uint32_t)v), "r"((uint32_t)(v >> 32)));
}

static inline uint32_t icc_iar1_read(void)
{
    uint32_t v;

    __asm__ volatile("mrc p15, 0, %0, c12, c12, 0" : "=r"(v));
    return v;
}

#endif
