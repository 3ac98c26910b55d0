/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Synchronous exceptions for the running guest, delivered as the CPU would deliver them to
 * its EL1. The guest's EL1 registers are live in the CPU while its exit is handled, so
 * they are written directly.
 *
 * An AArch64 EL1: ELR_EL1/SPSR_EL1/ESR_EL1 (and FAR_EL1 for aborts) written, then the
 * guest resumes at its own VBAR_EL1 vector with EL1h and D, A, I, F masked.
 *
 * An AArch32 EL1 (HCR_EL2.RW clear: an AArch32 domain): the exception's own mode
 * (Undefined, or Abort), its banked LR and SPSR written (the LRs are x22 and x20 of the
 * frame), the fault status and address registers for an abort in the format the guest's
 * TTBCR.EAE chose, then the guest resumes at its vector (VBAR, or the high vectors when
 * SCTLR.V) in ARM or Thumb state as SCTLR.TE says, with IRQs masked (and asynchronous
 * aborts, for an abort). Arm ARM G1.12.
 */
#include <asm/setup.h>
#include <asm/vcpu.h>

#define SPSR_M_MASK    0x1ful
#define SPSR_M_EL0T    0x00ul
#define SPSR_M_EL1T    0x04ul
#define SPSR_M_AARCH32 0x10ul
#define SPSR_PAN       (1ul << 22)
#define SPSR_EL1H_DAIF 0x3c5ul
#define SCTLR_SPAN     (1ul << 23)

#define HCR_RW (1ul << 31)

/* AArch32 PSTATE (CPSR) fields. */
#define PSR32_M_UND   0x1bul
#define PSR32_M_ABT   0x17ul
#define PSR32_T       (1ul << 5)
#define PSR32_F       (1ul << 6)
#define PSR32_I       (1ul << 7)
#define PSR32_A       (1ul << 8)
#define PSR32_E       (1ul << 9)
/* Its SCTLR: vectors high, exceptions big-endian, exceptions in Thumb. */
#define SCTLR32_V     (1ul << 13)
#define SCTLR32_EE    (1ul << 25)
#define SCTLR32_TE    (1ul << 30)
#define TTBCR_EAE     (1ul << 31)
#define VEC32_UND     0x04
#define VEC32_PABT    0x0c
#define VEC32_DABT    0x10
#define X_LR_ABT      20 /* the AArch32 banked registers as the frame holds them */
#define X_LR_UND      22
/* DFSR/IFSR for a synchronous external abort: long-descriptor format, or short. */
#define FSR_LPAE_EXT  ((1u << 9) | 0x10u)
#define FSR_SHORT_EXT 0x08u
#define DFSR_WNR      (1u << 11)

#define EC_IABT_EL1       0x21
#define EC_DABT_EL1       0x25
#define FSC_SYNC_EXTERNAL 0x10 /* what a bus error on a device-less address gives */
#define ISS_WNR           (1u << 6)

static bool el1_is_aarch32(void)
{
    return !(READ_SYSREG(hcr_el2) & HCR_RW);
}

/* FEAT_PAN: exception entry sets PSTATE.PAN unless SCTLR_EL1.SPAN says keep it. */
static uint64_t entry_pan(uint64_t spsr)
{
    if (!((READ_SYSREG(id_aa64mmfr1_el1) >> 20) & 0xf))
        return 0;
    if (!(READ_SYSREG(sctlr_el1) & SCTLR_SPAN))
        return SPSR_PAN;
    return spsr & SPSR_PAN;
}

/* Where the guest's EL1 takes exceptions: VBAR (AArch32: or the high vectors). */
static uint64_t vector_base(void)
{
    if (el1_is_aarch32() && (READ_SYSREG(sctlr_el1) & SCTLR32_V))
        return 0xffff0000ul;
    return el1_is_aarch32() ? READ_SYSREG(vbar_el1) & 0xffffffe0ul : READ_SYSREG(vbar_el1);
}

bool arm_guest_in_vectors(uint64_t va)
{
    /* AArch64: 16 entries of 0x80 bytes; AArch32: 8 words. */
    return va - vector_base() < (el1_is_aarch32() ? 0x20u : 0x800u);
}

/* Enter the AArch32 EL1's mode (PSR32_M_UND or _ABT) at its vector, lr in its LR. */
static void inject_a32(struct cpu_regs *regs, uint64_t mode, uint64_t vec, uint64_t lr)
{
    uint64_t cpsr = regs->spsr, sctlr = READ_SYSREG(sctlr_el1), base = vector_base();
    uint64_t new = mode | PSR32_I | (cpsr & PSR32_F) | entry_pan(cpsr);

    new |= mode == PSR32_M_ABT ? PSR32_A : (cpsr & PSR32_A);
    if (sctlr & SCTLR32_TE)
        new |= PSR32_T;
    if (sctlr & SCTLR32_EE)
        new |= PSR32_E;
    if (mode == PSR32_M_ABT) {
        regs->x[X_LR_ABT] = lr & 0xffffffffu;
        WRITE_SYSREG(cpsr, spsr_abt);
    } else {
        regs->x[X_LR_UND] = lr & 0xffffffffu;
        WRITE_SYSREG(cpsr, spsr_und);
    }
    regs->elr = base + vec;
    regs->spsr = new;
}

static void inject_sync(struct cpu_regs *regs, uint64_t esr, uint64_t ret_addr)
{
    uint64_t spsr = regs->spsr;
    uint64_t mode = spsr & SPSR_M_MASK;
    uint64_t offset, new_spsr = SPSR_EL1H_DAIF;

    if (mode & SPSR_M_AARCH32)
        offset = 0x600; /* lower EL (EL0) using AArch32 */
    else if (mode == SPSR_M_EL0T)
        offset = 0x400; /* lower EL using AArch64 */
    else if (mode == SPSR_M_EL1T)
        offset = 0x000; /* current EL with SP_EL0 */
    else
        offset = 0x200; /* current EL with SP_ELx */

    new_spsr |= entry_pan(spsr);
    WRITE_SYSREG(ret_addr, elr_el1);
    WRITE_SYSREG(spsr, spsr_el1);
    WRITE_SYSREG(esr, esr_el1);
    regs->elr = READ_SYSREG(vbar_el1) + offset;
    regs->spsr = new_spsr;
}

void arm_inject_undef(struct cpu_regs *regs, uint64_t insn_addr)
{
    if (el1_is_aarch32()) { /* LR: the instruction + 4 in ARM state, + 2 in Thumb */
        inject_a32(regs, PSR32_M_UND, VEC32_UND, insn_addr + ((regs->spsr & PSR32_T) ? 2 : 4));
        return;
    }
    /* EC 0 (unknown reason), keeping the instruction length of the trapped instruction. */
    inject_sync(regs, regs->esr & ESR_IL, insn_addr);
}

/* An AArch32 EL1's DFSR/IFSR for a synchronous external abort, in its TTBCR's format. */
static uint32_t fsr32_external(void)
{
    return (READ_SYSREG(tcr_el1) & TTBCR_EAE) ? FSR_LPAE_EXT : FSR_SHORT_EXT;
}

static void inject_abort(struct cpu_regs *regs, uint64_t va, unsigned int ec_el1,
                         uint32_t extra_iss)
{
    /* The abort classes of "from a lower EL" are one below those of "same EL". */
    unsigned int ec = arm_guest_at_el0(regs) ? ec_el1 - 1 : ec_el1;

    WRITE_SYSREG(va, far_el1);
    inject_sync(regs, (uint64_t)ec << ESR_EC_SHIFT | ESR_IL | extra_iss | FSC_SYNC_EXTERNAL,
                regs->elr);
}

void arm_inject_dabt(struct cpu_regs *regs, uint64_t va)
{
    if (el1_is_aarch32()) { /* DFAR is FAR_EL1[31:0], DFSR is ESR_EL1; LR: + 8 */
        uint64_t far = READ_SYSREG(far_el1);

        WRITE_SYSREG((far & ~0xffffffffull) | (va & 0xffffffffu), far_el1);
        WRITE_SYSREG(fsr32_external() | ((regs->esr & ISS_WNR) ? DFSR_WNR : 0), esr_el1);
        inject_a32(regs, PSR32_M_ABT, VEC32_DABT, regs->elr + 8);
        return;
    }
    inject_abort(regs, va, EC_DABT_EL1, (uint32_t)regs->esr & ISS_WNR);
}

void arm_inject_iabt(struct cpu_regs *regs, uint64_t va)
{
    if (el1_is_aarch32()) { /* IFAR is FAR_EL1[63:32], IFSR is IFSR32_EL2; LR: + 4 */
        uint64_t far = READ_SYSREG(far_el1);

        WRITE_SYSREG((far & 0xffffffffull) | (va & 0xffffffffu) << 32, far_el1);
        WRITE_SYSREG(fsr32_external(), ifsr32_el2);
        inject_a32(regs, PSR32_M_ABT, VEC32_PABT, regs->elr + 4);
        return;
    }
    inject_abort(regs, va, EC_IABT_EL1, 0);
}
