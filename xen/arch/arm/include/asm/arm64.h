/* SPDX-License-Identifier: Apache-2.0 */
/* arm64 system registers and bit fields the port uses, by their architectural names. */
#ifndef MINIXEN_ARM_ASM_ARM64_H
#define MINIXEN_ARM_ASM_ARM64_H

#define CURRENTEL_EL2 (2 << 2)

/* ESR_ELx */
#define ESR_EC_SHIFT 26
#define ESR_EC_MASK  0x3f
#define ESR_IL       (1u << 25)
#define ESR_ISS_MASK 0x1ffffff

#define EC_UNKNOWN  0x00
#define EC_WFX      0x01
#define EC_CP15_32  0x03 /* MCR/MRC p15 from AArch32 */
#define EC_CP15_64  0x04 /* MCRR/MRRC p15 */
#define EC_CP14_32  0x05 /* MCR/MRC p14 (debug) */
#define EC_CP14_LS  0x06 /* LDC/STC p14 (DBGDTRRX/TX) */
#define EC_FP_ASIMD 0x07 /* FP/SIMD access trapped by CPTR_EL2 */
#define EC_CP10_ID  0x08 /* VMRS of an ID register (HCR_EL2.TID0/TID3) */
#define EC_PAC      0x09 /* pointer authentication instruction trapped */
#define EC_CP14_64  0x0c /* MRRC p14 (DBGDRAR, DBGDSAR) */
#define EC_SVC64    0x15
#define EC_HVC32    0x12
#define EC_SMC32    0x13
#define EC_HVC64    0x16
#define EC_SMC64    0x17
#define EC_SYSREG   0x18
#define EC_SVE      0x19 /* SVE access trapped by CPTR_EL2 */
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_SP_ALIGN 0x26
#define EC_SERROR   0x2f
#define EC_BRK64    0x3c
#define EC_NR       64

/* ESR ISS of EC 0x18 (MSR/MRS): Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10],
 * Rt [9:5], CRm [4:1], direction [0] (1 = read). */
#define ISS_SYSREG(op0, op1, crn, crm, op2)                                                        \
    ((uint32_t)(op0) << 20 | (uint32_t)(op2) << 17 | (uint32_t)(op1) << 14 |                       \
     (uint32_t)(crn) << 10 | (uint32_t)(crm) << 1)
#define ISS_SYSREG_MASK ISS_SYSREG(3, 7, 15, 15, 7)
#define ISS_READ        1u

/* ESR_EL2 of HVC #0xEA1 (Xen's hypercall tag) from AArch64: EC 0x16, IL, ISS = imm16. */
#define ESR_HVC_XEN 0x5a000ea1

/* Which of the 16 vector entries was taken: (from << 2) | type. */
#define VEC_SYNC    0
#define VEC_IRQ     1
#define VEC_FIQ     2
#define VEC_SERROR  3
#define VEC_CUR_SP0 0
#define VEC_CUR_SPX 1
#define VEC_LOW_A64 2
#define VEC_LOW_A32 3

/* DAIF */
#define DAIF_I (1ul << 7)

/* MAIR attribute indexes, matching mm.c's MAIR_EL2 value. */
#define MT_DEVICE_nGnRnE 0
#define MT_NORMAL_WB     1

/* SCTLR_EL2 (non-VHE layout): the RES1 bits plus what we turn on. */
#define SCTLR_EL2_RES1 0x30c50830ul
#define SCTLR_M        (1ul << 0)
#define SCTLR_A        (1ul << 1)
#define SCTLR_C        (1ul << 2)
#define SCTLR_SA       (1ul << 3)
#define SCTLR_I        (1ul << 12)
#define SCTLR_WXN      (1ul << 19)

#define PAGE_SHIFT_4K 12
#define STACK_SIZE    (16 * 1024)
#define NR_CPUS       8

/* The trap frame laid down by entry.S; offsets used by the assembly. */
#define FRAME_X0   0
#define FRAME_LR   (30 * 8)
#define FRAME_ELR  (31 * 8)
#define FRAME_SPSR (32 * 8)
#define FRAME_ESR  (33 * 8)
#define FRAME_FAR  (34 * 8)
#define FRAME_SP   (35 * 8)
#define FRAME_SIZE (36 * 8)

#ifndef __ASSEMBLY__
#include <xen/types.h>

typedef uint64_t paddr_t; /* host physical address */

#define READ_SYSREG(r)                                                                             \
    ({                                                                                             \
        uint64_t v__;                                                                              \
        __asm__ __volatile__("mrs %0, " #r : "=r"(v__));                                           \
        v__;                                                                                       \
    })
#define WRITE_SYSREG(v, r) __asm__ __volatile__("msr " #r ", %0" ::"r"((uint64_t)(v)) : "memory")

static inline void isb(void)
{
    __asm__ __volatile__("isb" ::: "memory");
}

struct cpu_regs {
    uint64_t x[31]; /* x0..x30 */
    uint64_t elr, spsr, esr, far, sp;
};
_Static_assert(sizeof(struct cpu_regs) == FRAME_SIZE, "entry.S frame layout");

#endif
#endif
