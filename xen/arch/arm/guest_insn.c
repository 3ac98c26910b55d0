/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest instruction a trap stopped at: whether it was to execute at all, and stepping
 * over it once it is emulated.
 *
 * AArch64 instructions are 4 bytes and unconditional. AArch32 ones are 4 bytes (A32, or a
 * 32-bit T32 encoding) or 2 (16-bit T32), as ESR_EL2.IL says, and conditional: a
 * conditional instruction may trap even when its condition fails, and must then do
 * nothing but let the PC go on (Arm ARM D1.13.2). The condition is in the ESR when
 * ISS.CV says so, else in the T32 IT block the instruction sits in. Stepping over an
 * instruction inside an IT block also moves the block on, as executing it would have.
 */
#include <asm/guest_insn.h>

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
#define SPSR_M_AARCH32   (1u << 4)

/* ISS of the conditional classes (EC 0x01-0x0C, 0x13): condition valid [24], cond [23:20]. */
#define ISS_CV         (1u << 24)
#define ISS_COND_SHIFT 20
#define COND_AL        0xe

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

static bool cond_holds(uint64_t spsr, unsigned int cond)
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

bool arm_guest_at_el0(const struct cpu_regs *regs)
{
    uint64_t mode = regs->spsr & 0x1f;

    /* AArch32: user mode (M[3:0] = 0) is EL0; every other mode is the guest's EL1. */
    if (mode & SPSR_M_AARCH32)
        return (mode & 0xf) == 0;
    return mode == 0; /* EL0t */
}

bool arm_insn_cond_passes(const struct cpu_regs *regs, uint32_t esr)
{
    if (!(regs->spsr & SPSR_M_AARCH32))
        return true;
    return cond_holds(regs->spsr, trapped_cond(regs->spsr, esr));
}

void arm_skip_insn(struct cpu_regs *regs, uint32_t esr)
{
    unsigned int it = itstate(regs->spsr);

    regs->elr += (esr & ESR_IL) ? 4 : 2;
    if (!(regs->spsr & SPSR_M_AARCH32))
        return;
    regs->elr &= 0xffffffffull; /* an AArch32 PC wraps at 4 GiB */
    if ((regs->spsr & SPSR_T) && it != 0)
        regs->spsr = set_itstate(regs->spsr, (it & 7) == 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f));
}
