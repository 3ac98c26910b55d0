/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AArch32 coprocessor traps (ESR EC 0x03-0x06, 0x08, 0x0C) from a guest: an AArch32
 * domain's kernel (EL1), or the AArch32 processes (EL0) any guest kernel may run.
 *
 * What traps here is what MDCR_EL2 traps (debug and PMU registers: vdebug.c is the
 * AArch64 side) and HCR_EL2.TIDCP (implementation-defined registers). As in Xen 4.17
 * (xen/arch/arm/vcpreg.c), for a guest kernel:
 *  - the PMU's registers (p15, c9, c12-c14) read as zero and ignore writes: "no
 *    counters", which Linux, which reads PMCR without asking ID_DFR0 first, survives;
 *  - the debug registers read as an ARMv7.1 debug unit with two breakpoints and one
 *    watchpoint that nothing can enable: DBGDIDR says so, DBGDSCR reads zero (monitor
 *    mode off) and ignores writes, as do the vector catch, breakpoint 0-1 and watchpoint 0
 *    registers and the OS double lock; the OS lock takes writes and ignores them; Linux's
 *    hw_breakpoint probes exactly these;
 *  - anything else is UNDEFINED to it.
 * From EL0, the one register a process may read is PMUSERENR (zero: "EL0 may not use the
 * PMU"); everything else is UNDEFINED for it and its kernel decides. Never fatal.
 *
 * A conditional instruction whose condition failed is skipped (guest_insn.c).
 */
#include <asm/guest_insn.h>
#include <asm/vcpu.h>
#include <asm/vdebug.h>

/* MCR/MRC (EC 0x03, 0x05): Opc2 [19:17], Opc1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1]:
 * the same fields as EC 0x18's ISS with op0 = 0. */
#define ISS_CP32(opc1, crn, crm, opc2) ISS_SYSREG(0, opc1, crn, crm, opc2)
#define ISS_CP32_MASK                  ISS_SYSREG(0, 7, 15, 15, 7)
#define ISS_RT_SHIFT                   5
#define ISS_RT_MASK                    0x1f
#define AARCH32_PC                     15

#define CP15_PMUSERENR  ISS_CP32(0, 9, 14, 0) /* MRC p15, 0, Rt, c9, c14, 0 */
#define CP14_DBGDIDR    ISS_CP32(0, 0, 0, 0)
#define CP14_DBGDSCRINT ISS_CP32(0, 0, 1, 0)
#define CP14_DBGOSLAR   ISS_CP32(0, 1, 0, 4)

/* DBGDIDR: 1 watchpoint - 1 [31:28] = 0, 2 breakpoints - 1 [27:24], debug v7.1 [19:16]. */
#define DBGDIDR_1WP_2BP_V71 ((1u << 24) | (5u << 16))

/* A PMU register of the guest kernel's: p15, opc1 0, c9, CRm c12-c14 (any opc2). */
static bool is_pmu(uint32_t reg)
{
    uint32_t crm = (reg >> 1) & 0xf, crn = (reg >> 10) & 0xf, opc1 = (reg >> 14) & 7;

    return crn == 9 && opc1 == 0 && crm >= 12 && crm <= 14;
}

/* Debug registers read as zero and writes ignored (p14, opc1 0). */
static bool is_dbg_raz_wi(uint32_t reg)
{
    static const uint32_t regs[] = {
        ISS_CP32(0, 0, 2, 2), /* DBGDSCRext */
        ISS_CP32(0, 0, 7, 0), /* DBGVCR */
        ISS_CP32(0, 0, 0, 4), /* DBGBVR0 */
        ISS_CP32(0, 0, 0, 5), /* DBGBCR0 */
        ISS_CP32(0, 0, 0, 6), /* DBGWVR0 */
        ISS_CP32(0, 0, 0, 7), /* DBGWCR0 */
        ISS_CP32(0, 0, 1, 4), /* DBGBVR1 */
        ISS_CP32(0, 0, 1, 5), /* DBGBCR1 */
        ISS_CP32(0, 1, 3, 4), /* DBGOSDLR */
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(regs); i++)
        if (reg == regs[i])
            return true;
    return false;
}

/* A guest kernel's MRC/MCR: *val in (a write) or out (a read). */
static enum vreg_result kernel_cp32(unsigned int ec, uint32_t reg, bool read, uint64_t midr,
                                    uint32_t *val)
{
    if (ec == EC_CP15_32 && is_pmu(reg)) {
        *val = 0;
        return VREG_DONE;
    }
    if (ec != EC_CP14_32)
        return VREG_UNDEF;
    if (reg == CP14_DBGDIDR && read) {
        /* Variant [7:4] and revision [3:0] are the processor's own. */
        *val = DBGDIDR_1WP_2BP_V71 | (uint32_t)((midr >> 20) & 0xf) << 4 | (uint32_t)(midr & 0xf);
        return VREG_DONE;
    }
    if ((reg == CP14_DBGDSCRINT && read) || (reg == CP14_DBGOSLAR && !read) || is_dbg_raz_wi(reg)) {
        *val = 0;
        return VREG_DONE;
    }
    return VREG_UNDEF;
}

void vcp32_trap(struct cpu_regs *regs, uint32_t esr, uint64_t midr)
{
    unsigned int ec = (esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
    unsigned int rt = (esr >> ISS_RT_SHIFT) & ISS_RT_MASK;
    uint32_t reg = esr & ISS_CP32_MASK, val = 0;
    bool read = esr & ISS_READ, mcr = ec == EC_CP15_32 || ec == EC_CP14_32;
    enum vreg_result r = VREG_UNDEF;

    if (!arm_insn_cond_passes(regs, esr)) {
        arm_skip_insn(regs, esr);
        return;
    }
    if (mcr && rt != AARCH32_PC) {
        if (!read)
            val = (uint32_t)regs->x[rt];
        if (!arm_guest_at_el0(regs))
            r = kernel_cp32(ec, reg, read, midr, &val);
        else if (ec == EC_CP15_32 && reg == CP15_PMUSERENR && read)
            r = VREG_DONE; /* PMUSERENR reads 0 at EL0 (writes there are UNDEFINED) */
    }
    if (r != VREG_DONE) {
        arm_inject_undef(regs, regs->elr);
        return;
    }
    if (read)
        regs->x[rt] = val;
    arm_skip_insn(regs, esr);
}
