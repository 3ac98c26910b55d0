/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Synchronous exceptions for the running guest, delivered as the CPU would deliver them to
 * EL1: ELR_EL1/SPSR_EL1/ESR_EL1 (and FAR_EL1 for aborts) written, then the guest resumes at
 * its own VBAR_EL1 vector with EL1h and D, A, I, F masked. The guest's EL1 registers are
 * live in the CPU while its exit is handled, so they are written directly.
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

#define EC_IABT_EL1       0x21
#define EC_DABT_EL1       0x25
#define FSC_SYNC_EXTERNAL 0x10 /* what a bus error on a device-less address gives */
#define ISS_WNR           (1u << 6)

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

    /* FEAT_PAN: exception entry sets PSTATE.PAN unless SCTLR_EL1.SPAN says keep it. */
    if ((READ_SYSREG(id_aa64mmfr1_el1) >> 20) & 0xf) {
        if (!(READ_SYSREG(sctlr_el1) & SCTLR_SPAN))
            new_spsr |= SPSR_PAN;
        else
            new_spsr |= spsr & SPSR_PAN;
    }
    WRITE_SYSREG(ret_addr, elr_el1);
    WRITE_SYSREG(spsr, spsr_el1);
    WRITE_SYSREG(esr, esr_el1);
    regs->elr = READ_SYSREG(vbar_el1) + offset;
    regs->spsr = new_spsr;
}

bool arm_guest_at_el0(const struct cpu_regs *regs)
{
    uint64_t mode = regs->spsr & SPSR_M_MASK;

    return (mode & SPSR_M_AARCH32) || mode == SPSR_M_EL0T;
}

void arm_inject_undef(struct cpu_regs *regs, uint64_t insn_addr)
{
    /* EC 0 (unknown reason), keeping the instruction length of the trapped instruction. */
    inject_sync(regs, regs->esr & ESR_IL, insn_addr);
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
    inject_abort(regs, va, EC_DABT_EL1, (uint32_t)regs->esr & ISS_WNR);
}

void arm_inject_iabt(struct cpu_regs *regs, uint64_t va)
{
    inject_abort(regs, va, EC_IABT_EL1, 0);
}
