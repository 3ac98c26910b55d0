/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Debug, OS-lock and performance-monitor registers: trapped, and what a guest sees.
 *
 * These registers are not part of the world switch, so left untrapped they are shared
 * by every guest on a CPU: one domain could read another's breakpoint addresses, move
 * its watchpoints, or read a cycle counter that keeps running through EL2 (the time the
 * hypervisor spends on behalf of others). Xen gives guests no debug or PMU hardware by
 * default, and so do we: MDCR_EL2 traps every access (TDRA, TDOSA, TDA, TPM, TPMCR) and
 * the accesses are answered from one fixed, Xen-compatible view that holds no state at
 * all, so nothing can leak between domains through it. The physical PMU is stopped and,
 * where the CPU can (FEAT_PMUv3p1: MDCR_EL2.HPMD), forbidden to count at EL2: that
 * per-CPU set-up is vdebug_cpu_init() in vdebug_cpu.c; this file is the view alone.
 *
 * The view is Xen 4.17's (xen/arch/arm/arm64/vsysreg.c): registers Xen emulates read as
 * zero (or its fixed OSLSR value) and ignore writes; every other trapped register is
 * UNDEFINED (traps.c turns VREG_NOT_MINE into UNDEF after the vGIC declines it too).
 */
#include <asm/vdebug.h>

/* OSLSR_EL1 as Xen shows it: OSLM = 0b10 (OS lock implemented), OSLK = 0 (unlocked). */
#define OSLSR_OSLM_IMPLEMENTED (1u << 3)

/* How a register of the view behaves (Xen's handle_raz_wi, handle_ro_raz, ...). */
enum vreg_kind {
    RAZ_WI,    /* reads 0, writes ignored */
    RO_RAZ,    /* reads 0, writes UNDEFINED */
    WO_WI,     /* writes ignored, reads UNDEFINED */
    RO_OSLSR,  /* reads OSLSR_OSLM_IMPLEMENTED, writes UNDEFINED */
    PMUSERENR, /* EL0: RO_RAZ; EL1: RAZ_WI */
};

struct vreg {
    uint32_t enc;  /* ISS_SYSREG() of the register (fields outside mask are 0) */
    uint32_t mask; /* which ISS bits identify it: a family (DBGBVR<n>) masks out CRm */
    uint8_t kind;  /* enum vreg_kind */
    bool el0;      /* EL0 may access it (else UNDEFINED from EL0, as on hardware) */
};

#define ONE       ISS_SYSREG_MASK
#define ANY_CRM   (ISS_SYSREG_MASK & ~ISS_SYSREG(0, 0, 0, 15, 0))
#define ANY_OP2   (ISS_SYSREG_MASK & ~ISS_SYSREG(0, 0, 0, 0, 7))
/* DBG{B,W}{V,C}R<n>_EL1: op0 2, op1 0, CRn 0, CRm n, op2 4..7 (op2 bit 2 set). */
#define DBG_BP_WP (ANY_CRM & ~ISS_SYSREG(0, 0, 0, 0, 3))

static const struct vreg vregs[] = {
    /* MDCR_EL2.TDRA */
    {ISS_SYSREG(2, 0, 1, 0, 0), ONE, RO_RAZ, false}, /* MDRAR_EL1 */
    /* MDCR_EL2.TDOSA (DBGPRCR_EL1 is not here: UNDEFINED) */
    {ISS_SYSREG(2, 0, 1, 0, 4), ONE, WO_WI, false},    /* OSLAR_EL1 */
    {ISS_SYSREG(2, 0, 1, 3, 4), ONE, RAZ_WI, false},   /* OSDLR_EL1 */
    {ISS_SYSREG(2, 0, 1, 1, 4), ONE, RO_OSLSR, false}, /* OSLSR_EL1 */
    /* MDCR_EL2.TDA (the DCC and claim registers are not here: UNDEFINED) */
    {ISS_SYSREG(2, 0, 0, 2, 2), ONE, RAZ_WI, false},       /* MDSCR_EL1 */
    {ISS_SYSREG(2, 3, 0, 1, 0), ONE, RO_RAZ, true},        /* MDCCSR_EL0 */
    {ISS_SYSREG(2, 0, 0, 0, 4), DBG_BP_WP, RAZ_WI, false}, /* DBGBVR/BCR/WVR/WCR<n>_EL1 */
    /* MDCR_EL2.TPM, TPMCR (PMEVCNTR<n>, PMEVTYPER<n>, PMCCFILTR are not here: UNDEFINED) */
    {ISS_SYSREG(3, 0, 9, 14, 1), ONE, RAZ_WI, false},     /* PMINTENSET_EL1 */
    {ISS_SYSREG(3, 0, 9, 14, 2), ONE, RAZ_WI, false},     /* PMINTENCLR_EL1 */
    {ISS_SYSREG(3, 3, 9, 14, 0), ONE, PMUSERENR, true},   /* PMUSERENR_EL0 */
    {ISS_SYSREG(3, 3, 9, 12, 0), ANY_OP2, RAZ_WI, false}, /* PMCR, PMCNTENSET/CLR, PMOVSCLR,
                                                           PMSWINC, PMSELR, PMCEID0/1 */
    {ISS_SYSREG(3, 3, 9, 13, 0), ONE, RAZ_WI, false},     /* PMCCNTR_EL0 */
    {ISS_SYSREG(3, 3, 9, 13, 1), ONE, RAZ_WI, false},     /* PMXEVTYPER_EL0 */
    {ISS_SYSREG(3, 3, 9, 13, 2), ONE, RAZ_WI, false},     /* PMXEVCNTR_EL0 */
    {ISS_SYSREG(3, 3, 9, 14, 3), ONE, RAZ_WI, false},     /* PMOVSSET_EL0 */
};

enum vreg_result vdebug_sysreg(uint32_t iss, bool from_el0, uint64_t *val)
{
    bool read = (iss & ISS_READ) != 0;
    const struct vreg *r = NULL;

    for (unsigned int i = 0; i < sizeof(vregs) / sizeof(vregs[0]); i++) {
        if ((iss & vregs[i].mask) == vregs[i].enc) {
            r = &vregs[i];
            break;
        }
    }
    if (r == NULL)
        return VREG_NOT_MINE;
    if (from_el0 && !r->el0)
        return VREG_UNDEF;

    switch ((enum vreg_kind)r->kind) {
    case PMUSERENR:
        if (!from_el0)
            break;                    /* RAZ_WI at EL1 */
        __attribute__((fallthrough)); /* read-only at EL0 */
    case RO_RAZ:
        if (!read)
            return VREG_UNDEF;
        break;
    case WO_WI:
        if (read)
            return VREG_UNDEF;
        return VREG_DONE;
    case RO_OSLSR:
        if (!read)
            return VREG_UNDEF;
        *val = OSLSR_OSLM_IMPLEMENTED;
        return VREG_DONE;
    case RAZ_WI:
        break;
    }
    if (read)
        *val = 0;
    return VREG_DONE;
}
