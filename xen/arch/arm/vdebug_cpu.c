/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per CPU: trap every debug, OS-lock and PMU register access of the guests (MDCR_EL2) and
 * stop the physical PMU, before any guest runs. What the trapped accesses see is
 * vdebug.c's view.
 */
#include <asm/vdebug.h>

/* MDCR_EL2 */
#define MDCR_HPMN_MASK 0x1ful
#define MDCR_TPMCR     (1ul << 5)  /* PMCR_EL0 traps */
#define MDCR_TPM       (1ul << 6)  /* every other PMU register traps */
#define MDCR_TDA       (1ul << 9)  /* breakpoints, watchpoints, MDSCR, DCC registers trap */
#define MDCR_TDOSA     (1ul << 10) /* OS lock, OS double lock, DBGPRCR trap */
#define MDCR_TDRA      (1ul << 11) /* debug ROM address (MDRAR) traps */
#define MDCR_HPMD      (1ul << 17) /* FEAT_PMUv3p1: no event counting at EL2 */

/* ID_AA64DFR0_EL1.PMUVer [11:8] */
#define DFR0_PMUVER_SHIFT 8
#define PMUVER_NONE       0x0
#define PMUVER_V3P1       0x4
#define PMUVER_IMPDEF     0xf
#define PMCR_N_SHIFT      11
#define PMCR_N_MASK       0x1f

void vdebug_cpu_init(void)
{
    uint64_t mdcr = MDCR_TDRA | MDCR_TDOSA | MDCR_TDA | MDCR_TPM | MDCR_TPMCR;
    unsigned int pmuver = (unsigned int)(READ_SYSREG(id_aa64dfr0_el1) >> DFR0_PMUVER_SHIFT) & 0xf;

    if (pmuver != PMUVER_NONE && pmuver != PMUVER_IMPDEF) {
        /*
         * HPMN = PMCR_EL0.N: all counters in the EL1 range (HPMN = 0 is UNPREDICTABLE
         * before FEAT_HPMN0). The guest can reach none of them anyway: TPM traps them.
         */
        mdcr |= (READ_SYSREG(pmcr_el0) >> PMCR_N_SHIFT) & PMCR_N_MASK & MDCR_HPMN_MASK;
        if (pmuver >= PMUVER_V3P1)
            mdcr |= MDCR_HPMD;
        /*
         * Nothing counts, interrupts or is enabled, whatever firmware left: PMCR_EL0.E = 0
         * stops every counter, PMCCFILTR_EL0.NSH = 0 keeps the cycle counter off EL2 even
         * if something enabled it, and PMUSERENR_EL0 = 0 makes EL0's PMU accesses UNDEFINED
         * at the guest's EL1 (what Xen's emulated PMUSERENR of 0 promises).
         */
        WRITE_SYSREG(0, pmcr_el0);
        WRITE_SYSREG(~0ul, pmcntenclr_el0);
        WRITE_SYSREG(~0ul, pmintenclr_el1);
        WRITE_SYSREG(~0ul, pmovsclr_el0);
        WRITE_SYSREG(0, pmccfiltr_el0);
        WRITE_SYSREG(0, pmuserenr_el0);
    }
    WRITE_SYSREG(mdcr, mdcr_el2);
    isb();
}
