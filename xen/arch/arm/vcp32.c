/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AArch32 coprocessor traps (ESR EC 0x03-0x06, 0x08, 0x0C) from a guest.
 *
 * Guests run their EL1 in AArch64 (HCR_EL2.RW), but a guest kernel may run AArch32
 * processes at EL0, and their MRC/MCR to the debug (p14) and PMU (p15 c9) registers trap
 * here through MDCR_EL2 just as the AArch64 forms do (vdebug.c). Which process of which
 * guest ran such an instruction is none of the hypervisor's business: like Xen
 * (xen/arch/arm/vcpreg.c), the instruction becomes UNDEFINED for that process, and its
 * kernel decides; the domain goes on. Xen emulates a few of these for an AArch32 *EL1*,
 * which our guests cannot have; from EL0 all it emulates is the read of PMUSERENR
 * (zero: "EL0 may not use the PMU"), and so do we.
 *
 * A conditional AArch32 instruction may trap even when its condition fails; it must then
 * do nothing, so the condition is checked first (with the IT state for T32).
 */
#include <asm/vcpu.h>
#include <asm/vdebug.h>

/* ISS of EC 0x03-0x06, 0x0C: condition valid [24], condition [23:20]. */
#define ISS_CV                         (1u << 24)
#define ISS_COND_SHIFT                 20
/* MCR/MRC (EC 0x03, 0x05): Opc2 [19:17], Opc1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1]:
 * the same fields as EC 0x18's ISS with op0 = 0. */
#define ISS_CP32(opc1, crn, crm, opc2) ISS_SYSREG(0, opc1, crn, crm, opc2)
#define ISS_CP32_MASK                  ISS_SYSREG(0, 7, 15, 15, 7)
#define ISS_CP15_PMUSERENR             ISS_CP32(0, 9, 14, 0) /* MRC p15, 0, Rt, c9, c14, 0 */
#define ISS_RT_SHIFT                   5
#define ISS_RT_MASK                    0x1f
#define AARCH32_PC                     15

/* SPSR of an AArch32 context: NZCV [31:28], IT[1:0] [26:25], IT[7:2] [15:10], T [5]. */
#define SPSR_N           (1u << 31)
#define SPSR_Z           (1u << 30)
#define SPSR_C           (1u << 29)
#define SPSR_V           (1u << 28)
#define SPSR_T           (1u << 5)
#define SPSR_IT_LO_SHIFT 25
#define SPSR_IT_LO_MASK  (0x3ul << SPSR_IT_LO_SHIFT)
#define SPSR_IT_HI_SHIFT 10
#define SPSR_IT_HI_MASK  (0x3ful << SPSR_IT_HI_SHIFT)

#define COND_AL 0xe

static unsigned int itstate(uint64_t spsr)
{
    return (unsigned int)((spsr & SPSR_IT_LO_MASK) >> SPSR_IT_LO_SHIFT) |
           (unsigned int)((spsr & SPSR_IT_HI_MASK) >> SPSR_IT_HI_SHIFT) << 2;
}

static uint64_t set_itstate(uint64_t spsr, unsigned int it)
{
    spsr &= ~(SPSR_IT_LO_MASK | SPSR_IT_HI_MASK);
    return spsr | (uint64_t)(it & 3) << SPSR_IT_LO_SHIFT | (uint64_t)(it >> 2) << SPSR_IT_HI_SHIFT;
}

/* The condition the trapped instruction was executed under (ESR, else the IT block). */
static unsigned int trapped_cond(uint64_t spsr, uint32_t esr)
{
    unsigned int it = itstate(spsr);

    if (esr & ISS_CV)
        return (esr >> ISS_COND_SHIFT) & 0xf;
    if ((spsr & SPSR_T) && (it & 0xf) != 0)
        return it >> 4;
    return COND_AL; /* unconditional */
}

static bool cond_passes(uint64_t spsr, unsigned int cond)
{
    bool n = spsr & SPSR_N, z = spsr & SPSR_Z, c = spsr & SPSR_C, v = spsr & SPSR_V;
    bool r;

    switch (cond >> 1) {
    case 0: /* EQ / NE */
        r = z;
        break;
    case 1: /* CS / CC */
        r = c;
        break;
    case 2: /* MI / PL */
        r = n;
        break;
    case 3: /* VS / VC */
        r = v;
        break;
    case 4: /* HI / LS */
        r = c && !z;
        break;
    case 5: /* GE / LT */
        r = n == v;
        break;
    case 6: /* GT / LE */
        r = !z && n == v;
        break;
    default:
        return true; /* AL, and 0b1111 (unconditional) */
    }
    return (cond & 1) ? !r : r;
}

/* Step over the instruction as if it had executed: PC by its length, the IT block on. */
static void skip_insn(struct cpu_regs *regs, uint32_t esr)
{
    unsigned int it = itstate(regs->spsr);

    regs->elr += (esr & ESR_IL) ? 4 : 2;
    if ((regs->spsr & SPSR_T) && it != 0)
        regs->spsr = set_itstate(regs->spsr, (it & 7) == 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f));
}

void vcp32_trap(struct cpu_regs *regs, uint32_t esr)
{
    unsigned int ec = (esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
    unsigned int rt = (esr >> ISS_RT_SHIFT) & ISS_RT_MASK;

    if (!cond_passes(regs->spsr, trapped_cond(regs->spsr, esr))) {
        skip_insn(regs, esr);
        return;
    }
    if (ec == EC_CP15_32 && (esr & ISS_CP32_MASK) == ISS_CP15_PMUSERENR && (esr & ISS_READ) &&
        rt != AARCH32_PC) {
        regs->x[rt] = 0; /* PMUSERENR reads 0 at EL0 (writes there are UNDEFINED) */
        skip_insn(regs, esr);
        return;
    }
    arm_inject_undef(regs, regs->elr);
}
