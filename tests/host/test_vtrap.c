/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ARM port's trapped-register views on the host (issue #11): vdebug.c (debug, OS-lock
 * and PMU registers as Xen 4.17 shows them to a guest) and vcp32.c (AArch32 coprocessor
 * traps: of a guest's EL0, condition codes, the IT block, PMUSERENR, UNDEF for the rest;
 * of an AArch32 guest kernel, the PMU and debug registers Xen 4.17 emulates for it).
 * Neither touches hardware; UNDEF injection is recorded by a stub.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <asm/vcpu.h>
#include <asm/vdebug.h>

/* ---- Stub: the injection the handlers ask for ---- */

static unsigned int undefs;
static uint64_t undef_at;

void arm_inject_undef(struct cpu_regs *regs, uint64_t insn_addr)
{
    (void)regs;
    undefs++;
    undef_at = insn_addr;
}

/* ---- vdebug_sysreg ---- */

#define RD(op0, op1, crn, crm, op2) (ISS_SYSREG(op0, op1, crn, crm, op2) | ISS_READ)
#define WR(op0, op1, crn, crm, op2) ISS_SYSREG(op0, op1, crn, crm, op2)

static enum vreg_result acc(uint32_t iss, bool el0, uint64_t *val)
{
    return vdebug_sysreg(iss | (5u << 5) /* Rt: not part of the key */, el0, val);
}

static void test_breakpoints_watchpoints_mdscr_raz_wi(void **state)
{
    uint64_t v;

    (void)state;
    for (unsigned int n = 0; n < 16; n++) {
        for (unsigned int op2 = 4; op2 <= 7; op2++) { /* BVR, BCR, WVR, WCR */
            v = 0xdead;
            assert_int_equal(acc(RD(2, 0, 0, n, op2), false, &v), VREG_DONE);
            assert_int_equal(v, 0);
            v = 0xc0de0000;
            assert_int_equal(acc(WR(2, 0, 0, n, op2), false, &v), VREG_DONE);
            assert_int_equal(acc(RD(2, 0, 0, n, op2), true, &v), VREG_UNDEF); /* EL1 only */
        }
    }
    v = 0x1000;
    assert_int_equal(acc(WR(2, 0, 0, 2, 2), false, &v), VREG_DONE); /* MDSCR_EL1 */
    assert_int_equal(acc(RD(2, 0, 0, 2, 2), false, &v), VREG_DONE);
    assert_int_equal(v, 0);
    assert_int_equal(acc(RD(2, 0, 0, 2, 2), true, &v), VREG_UNDEF);
}

static void test_os_lock_and_rom(void **state)
{
    uint64_t v = 0;

    (void)state;
    assert_int_equal(acc(RD(2, 0, 1, 1, 4), false, &v), VREG_DONE); /* OSLSR_EL1 */
    assert_int_equal(v, 0x8);
    assert_int_equal(acc(WR(2, 0, 1, 1, 4), false, &v), VREG_UNDEF);
    assert_int_equal(acc(WR(2, 0, 1, 0, 4), false, &v), VREG_DONE); /* OSLAR_EL1 */
    assert_int_equal(acc(RD(2, 0, 1, 0, 4), false, &v), VREG_UNDEF);
    v = 7;
    assert_int_equal(acc(RD(2, 0, 1, 3, 4), false, &v), VREG_DONE); /* OSDLR_EL1 */
    assert_int_equal(v, 0);
    v = 7;
    assert_int_equal(acc(RD(2, 0, 1, 0, 0), false, &v), VREG_DONE); /* MDRAR_EL1 */
    assert_int_equal(v, 0);
    assert_int_equal(acc(WR(2, 0, 1, 0, 0), false, &v), VREG_UNDEF);
    v = 7;
    assert_int_equal(acc(RD(2, 3, 0, 1, 0), true, &v), VREG_DONE); /* MDCCSR_EL0 at EL0 */
    assert_int_equal(v, 0);
    assert_int_equal(acc(WR(2, 3, 0, 1, 0), true, &v), VREG_UNDEF);
}

static void test_pmu_raz_wi_and_pmuserenr(void **state)
{
    uint64_t v;

    (void)state;
    for (unsigned int op2 = 0; op2 < 8; op2++) { /* PMCR .. PMCEID1 */
        v = 1;
        assert_int_equal(acc(RD(3, 3, 9, 12, op2), false, &v), VREG_DONE);
        assert_int_equal(v, 0);
    }
    v = 123456;
    assert_int_equal(acc(RD(3, 3, 9, 13, 0), false, &v), VREG_DONE); /* PMCCNTR_EL0 */
    assert_int_equal(v, 0);
    assert_int_equal(acc(WR(3, 3, 9, 13, 0), false, &v), VREG_DONE);
    assert_int_equal(acc(RD(3, 3, 9, 13, 0), true, &v), VREG_UNDEF);
    assert_int_equal(acc(RD(3, 0, 9, 14, 1), false, &v), VREG_DONE); /* PMINTENSET_EL1 */
    /* PMUSERENR_EL0: RAZ/WI at EL1, read-only zero at EL0. */
    assert_int_equal(acc(WR(3, 3, 9, 14, 0), false, &v), VREG_DONE);
    v = 1;
    assert_int_equal(acc(RD(3, 3, 9, 14, 0), true, &v), VREG_DONE);
    assert_int_equal(v, 0);
    assert_int_equal(acc(WR(3, 3, 9, 14, 0), true, &v), VREG_UNDEF);
}

static void test_others_are_not_emulated(void **state)
{
    static const uint32_t regs[] = {
        RD(2, 0, 1, 4, 4),   /* DBGPRCR_EL1 */
        RD(2, 0, 0, 2, 0),   /* MDCCINT_EL1 */
        RD(2, 0, 0, 6, 2),   /* OSECCR_EL1 */
        RD(2, 3, 0, 4, 0),   /* DBGDTR_EL0 */
        RD(2, 0, 7, 14, 6),  /* DBGAUTHSTATUS_EL1 */
        RD(3, 3, 14, 15, 7), /* PMCCFILTR_EL0 */
        RD(3, 3, 14, 8, 0),  /* PMEVCNTR0_EL0 */
        RD(3, 0, 12, 11, 5), /* ICC_SGI1R_EL1: the vGIC's */
    };
    uint64_t v;

    (void)state;
    for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
        assert_int_equal(acc(regs[i], false, &v), VREG_NOT_MINE);
}

/* ---- vcp32_trap ---- */

#define ESR_A32(ec, iss) ((uint32_t)(ec) << ESR_EC_SHIFT | ESR_IL | (iss))
#define CV_COND(c)       (1u << 24 | (uint32_t)(c) << 20)
#define CP32(opc1, crn, crm, opc2, rt, rd)                                                         \
    (ISS_SYSREG(0, opc1, crn, crm, opc2) | (uint32_t)(rt) << 5 | ((rd) ? ISS_READ : 0))
#define SPSR_USR32 0x10ul
#define SPSR_SVC32 0x13ul
#define MIDR       0x412fd071ul /* a Cortex-A57 r2p1: variant 2, revision 1 */
#define SPSR_Z     (1ul << 30)
#define SPSR_T     (1ul << 5)
#define PC         0x8000ul

static struct cpu_regs regs;

static void a32(uint64_t spsr)
{
    memset(&regs, 0, sizeof(regs));
    regs.elr = PC;
    regs.spsr = spsr;
    for (unsigned int i = 0; i < 15; i++)
        regs.x[i] = 0x100 + i;
    undefs = 0;
}

static unsigned int it_of(uint64_t spsr)
{
    return (unsigned int)((spsr >> 25) & 3) | (unsigned int)((spsr >> 10) & 0x3f) << 2;
}

static uint64_t with_it(uint64_t spsr, unsigned int it)
{
    return spsr | (uint64_t)(it & 3) << 25 | (uint64_t)(it >> 2) << 10;
}

static void test_a32_pmuserenr_read_is_zero(void **state)
{
    (void)state;
    a32(SPSR_USR32);
    vcp32_trap(&regs, ESR_A32(EC_CP15_32, CV_COND(0xe) | CP32(0, 9, 14, 0, 3, true)), MIDR);
    assert_int_equal(undefs, 0);
    assert_int_equal(regs.x[3], 0);
    assert_int_equal(regs.x[2], 0x102);
    assert_int_equal(regs.elr, PC + 4);
    /* A write (read-only at EL0) and a read into the PC are UNDEFINED. */
    a32(SPSR_USR32);
    vcp32_trap(&regs, ESR_A32(EC_CP15_32, CV_COND(0xe) | CP32(0, 9, 14, 0, 3, false)), MIDR);
    assert_int_equal(undefs, 1);
    assert_int_equal(undef_at, PC);
    a32(SPSR_USR32);
    vcp32_trap(&regs, ESR_A32(EC_CP15_32, CV_COND(0xe) | CP32(0, 9, 14, 0, 15, true)), MIDR);
    assert_int_equal(undefs, 1);
}

static void test_a32_other_classes_undef(void **state)
{
    static const unsigned int ecs[] = {EC_CP15_32, EC_CP15_64, EC_CP14_32,
                                       EC_CP14_LS, EC_CP10_ID, EC_CP14_64};

    (void)state;
    for (size_t i = 0; i < sizeof(ecs) / sizeof(ecs[0]); i++) {
        a32(SPSR_USR32);
        /* DBGDSCRint (p14 0 c0 c1 0) / PMCR (p15 0 c9 c12 0) and friends */
        vcp32_trap(&regs, ESR_A32(ecs[i], CV_COND(0xe) | CP32(0, 0, 1, 0, 1, true)), MIDR);
        assert_int_equal(undefs, 1);
        assert_int_equal(undef_at, PC);
        assert_int_equal(regs.x[1], 0x101);
    }
}

static void test_a32_failed_condition_is_skipped(void **state)
{
    (void)state;
    /* MRCEQ with Z clear: does nothing, not even UNDEF. */
    a32(SPSR_USR32);
    vcp32_trap(&regs, ESR_A32(EC_CP14_32, CV_COND(0x0) | CP32(0, 0, 1, 0, 1, true)), MIDR);
    assert_int_equal(undefs, 0);
    assert_int_equal(regs.elr, PC + 4);
    /* MRCNE with Z clear passes: UNDEFINED. */
    a32(SPSR_USR32);
    vcp32_trap(&regs, ESR_A32(EC_CP14_32, CV_COND(0x1) | CP32(0, 0, 1, 0, 1, true)), MIDR);
    assert_int_equal(undefs, 1);
    /* GT (Z clear, N == V) passes with N = V = 1, fails with Z set. */
    a32(SPSR_USR32 | 3ul << 28 | 1ul << 31);
    vcp32_trap(&regs, ESR_A32(EC_CP14_32, CV_COND(0xc) | CP32(0, 0, 1, 0, 1, true)), MIDR);
    assert_int_equal(undefs, 1);
    a32(SPSR_USR32 | SPSR_Z);
    vcp32_trap(&regs, ESR_A32(EC_CP14_32, CV_COND(0xc) | CP32(0, 0, 1, 0, 1, true)), MIDR);
    assert_int_equal(undefs, 0);
}

static void test_t32_it_block(void **state)
{
    (void)state;
    /* "IT EQ" (ITSTATE 0x08), no valid COND in the ESR, Z clear: skipped, block over. */
    a32(with_it(SPSR_USR32 | SPSR_T, 0x08));
    vcp32_trap(&regs, ESR_A32(EC_CP14_32, CP32(0, 0, 1, 0, 1, true)), MIDR);
    assert_int_equal(undefs, 0);
    assert_int_equal(regs.elr, PC + 4);
    assert_int_equal(it_of(regs.spsr), 0);
    assert_true(regs.spsr & SPSR_T);
    /* A longer block (ITSTATE 0x0c): skipped, the next condition comes up (0x18). */
    a32(with_it(SPSR_USR32 | SPSR_T, 0x0c));
    vcp32_trap(&regs, ESR_A32(EC_CP14_32, CP32(0, 0, 1, 0, 1, true)), MIDR);
    assert_int_equal(undefs, 0);
    assert_int_equal(it_of(regs.spsr), 0x18);
    /* Outside an IT block, no COND: unconditional, so UNDEFINED. */
    a32(SPSR_USR32 | SPSR_T);
    vcp32_trap(&regs, ESR_A32(EC_CP14_32, CP32(0, 0, 1, 0, 1, true)), MIDR);
    assert_int_equal(undefs, 1);
    /* A 16-bit encoding (IL clear) that fails its condition moves the PC by 2. */
    a32(SPSR_USR32 | SPSR_T);
    vcp32_trap(&regs, (ESR_A32(EC_CP14_64, CV_COND(0x0)) & ~ESR_IL), MIDR);
    assert_int_equal(undefs, 0);
    assert_int_equal(regs.elr, PC + 2);
}

/* An AArch32 guest kernel (SVC mode): Xen's PMU and debug views, UNDEF for the rest. */
static void test_a32_kernel_registers(void **state)
{
    static const struct {
        unsigned int ec, opc1, crn, crm, opc2;
        bool read;
        uint32_t reads; /* ~0u: UNDEFINED */
    } cases[] = {
        {EC_CP15_32, 0, 9, 12, 0, true, 0},         /* PMCR: RAZ */
        {EC_CP15_32, 0, 9, 12, 1, false, 0},        /* PMCNTENSET: WI */
        {EC_CP15_32, 0, 9, 13, 0, true, 0},         /* PMCCNTR */
        {EC_CP15_32, 0, 9, 14, 0, false, 0},        /* PMUSERENR: WI at EL1 */
        {EC_CP15_32, 0, 9, 0, 0, true, ~0u},        /* cache lockdown (TIDCP): UNDEF */
        {EC_CP15_32, 0, 15, 0, 0, true, ~0u},       /* implementation defined */
        {EC_CP14_32, 0, 0, 0, 0, true, 0x01050021}, /* DBGDIDR: v7.1, 2 BP, 1 WP, r2p1 */
        {EC_CP14_32, 0, 0, 0, 0, false, ~0u},       /* ... read-only */
        {EC_CP14_32, 0, 0, 1, 0, true, 0},          /* DBGDSCRint: RAZ */
        {EC_CP14_32, 0, 0, 1, 0, false, ~0u},       /* ... read-only */
        {EC_CP14_32, 0, 0, 2, 2, false, 0},         /* DBGDSCRext: WI (monitor mode stays off) */
        {EC_CP14_32, 0, 0, 7, 0, false, 0},         /* DBGVCR */
        {EC_CP14_32, 0, 0, 0, 4, true, 0},          /* DBGBVR0 */
        {EC_CP14_32, 0, 0, 1, 5, false, 0},         /* DBGBCR1 */
        {EC_CP14_32, 0, 0, 0, 7, true, 0},          /* DBGWCR0 */
        {EC_CP14_32, 0, 0, 2, 4, true, ~0u},        /* DBGBVR2: there are two */
        {EC_CP14_32, 0, 1, 0, 4, false, 0},         /* DBGOSLAR: WI */
        {EC_CP14_32, 0, 1, 0, 4, true, ~0u},        /* ... write-only */
        {EC_CP14_32, 0, 1, 3, 4, true, 0},          /* DBGOSDLR: RAZ */
        {EC_CP14_32, 0, 1, 5, 4, true, ~0u},        /* DBGPRSR: UNDEF, as on Xen */
        {EC_CP15_64, 0, 0, 14, 0, true, ~0u},       /* MRRC (CNTPCT and friends): UNDEF */
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        a32(SPSR_SVC32);
        regs.x[4] = 0xfeed;
        vcp32_trap(
            &regs,
            ESR_A32(cases[i].ec, CV_COND(0xe) | CP32(cases[i].opc1, cases[i].crn, cases[i].crm,
                                                     cases[i].opc2, 4, cases[i].read)),
            MIDR);
        if (cases[i].reads == ~0u) {
            assert_int_equal(undefs, 1);
            assert_int_equal(regs.elr, PC); /* injection is the stub's: ELR untouched */
            continue;
        }
        assert_int_equal(undefs, 0);
        assert_int_equal(regs.elr, PC + 4);
        assert_int_equal(regs.x[4], cases[i].read ? cases[i].reads : 0xfeed);
    }
    /* The same registers from EL0 (user mode): UNDEFINED but for PMUSERENR's read. */
    a32(SPSR_USR32);
    vcp32_trap(&regs, ESR_A32(EC_CP14_32, CV_COND(0xe) | CP32(0, 0, 0, 0, 4, true)), MIDR);
    assert_int_equal(undefs, 1);
    a32(SPSR_USR32);
    vcp32_trap(&regs, ESR_A32(EC_CP15_32, CV_COND(0xe) | CP32(0, 9, 12, 0, 4, true)), MIDR);
    assert_int_equal(undefs, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_breakpoints_watchpoints_mdscr_raz_wi),
        cmocka_unit_test(test_os_lock_and_rom),
        cmocka_unit_test(test_pmu_raz_wi_and_pmuserenr),
        cmocka_unit_test(test_others_are_not_emulated),
        cmocka_unit_test(test_a32_pmuserenr_read_is_zero),
        cmocka_unit_test(test_a32_other_classes_undef),
        cmocka_unit_test(test_a32_failed_condition_is_skipped),
        cmocka_unit_test(test_t32_it_block),
        cmocka_unit_test(test_a32_kernel_registers),
    };

    return cmocka_run_group_tests_name("vtrap", tests, NULL, NULL);
}
