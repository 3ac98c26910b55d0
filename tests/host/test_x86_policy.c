/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86 port's guest CPU policies, as pure functions: the CPUID filter
 * (xen/arch/x86/cpuid_policy.c), the CR4 bits and MOV-to-CR4 checks that follow from it,
 * and the MSR policy (xen/arch/x86/msr_policy.c): what a guest reads, what it may write,
 * what is #GP.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <asm/cpuid_policy.h>
#include <asm/msr_policy.h>

#define B(n) (1u << (n))

static void test_cpuid_hides(void **state)
{
    uint32_t l7[4] = {2, ~0u, ~0u, ~0u}, l1[4] = {0, 0, ~0u, ~0u}, e1[4] = {0, 0, ~0u, ~0u};
    uint32_t l7s1[4] = {~0u, ~0u, ~0u, ~0u}, svm[4] = {1, 2, 3, 4}, l6[4] = {~0u, 1, 1, 1};

    (void)state;
    cpuid_policy_filter(7, 0, l7);
    assert_int_equal(l7[CPUID_EAX], 0);         /* no sub-leaf 1 offered */
    assert_int_equal(l7[CPUID_EBX] & B(14), 0); /* MPX */
    assert_int_equal(l7[CPUID_EBX] & B(16), 0); /* AVX512F */
    assert_int_equal(l7[CPUID_ECX] & B(16), 0); /* LA57 */
    assert_int_equal(l7[CPUID_ECX] & B(3), 0);  /* PKU */
    assert_int_equal(l7[CPUID_ECX] & B(31), 0); /* PKS */
    assert_int_equal(l7[CPUID_ECX] & B(22), 0); /* RDPID: TSC_AUX not switched */
    assert_int_equal(l7[CPUID_EDX] & B(20), 0); /* CET-IBT */
    assert_true(l7[CPUID_EBX] & B(0) && l7[CPUID_EBX] & B(7) && l7[CPUID_EBX] & B(20));
    cpuid_policy_filter(7, 1, l7s1);
    assert_memory_equal(l7s1, ((uint32_t[4]){0, 0, 0, 0}), sizeof(l7s1));

    cpuid_policy_filter(1, 0, l1);
    assert_int_equal(l1[CPUID_ECX] & (B(3) | B(5) | B(6)), 0); /* MONITOR, VMX, SMX */
    assert_true(l1[CPUID_ECX] & B(26));                        /* XSAVE: xstate.c decides */
    assert_int_equal(l1[CPUID_EDX] & (B(21) | B(22) | B(29)), 0);
    assert_true(l1[CPUID_EDX] & B(12)); /* MTRR: the MSR policy serves them */

    cpuid_policy_filter(0x80000001, 0, e1);
    assert_int_equal(e1[CPUID_ECX] & (B(2) | B(10) | B(23)), 0); /* SVM, IBS, PERFCTR_CORE */
    assert_int_equal(e1[CPUID_EDX] & B(27), 0);                  /* RDTSCP */
    assert_true(e1[CPUID_EDX] & B(29));                          /* long mode */
    e1[CPUID_ECX] = 0;
    cpuid_policy_filter(0x80000001, 0, e1);
    assert_true(e1[CPUID_ECX] & B(9)); /* OSVW even where the host's CPUID lacks it */
    cpuid_policy_filter(0x8000000a, 0, svm);
    assert_memory_equal(svm, ((uint32_t[4]){0, 0, 0, 0}), sizeof(svm));
    cpuid_policy_filter(6, 0, l6);
    assert_int_equal(l6[CPUID_EAX], B(2)); /* ARAT only */
    assert_int_equal(l6[CPUID_ECX], 0);
}

static void test_cr4(void **state)
{
    uint32_t l1[4] = {0, 0, B(17) | B(26), ~0u}, l7[4] = {0, B(0) | B(7) | B(20), B(2), 0};
    uint32_t bare1[4] = {0, 0, 0, 0}, bare7[4] = {0, 0, 0, 0};
    uint64_t all = cr4_guest_valid_bits(l1, l7, true),
             bare = cr4_guest_valid_bits(bare1, bare7, false);
    uint64_t pae = X86_CR4_PAE;

    (void)state;
    assert_int_equal(all & (X86_CR4_LA57 | X86_CR4_VMXE | X86_CR4_SMXE | X86_CR4_PKE | X86_CR4_CET |
                            X86_CR4_PKS | (1ull << 15) | (1ull << 19)),
                     0);
    assert_true((all & (X86_CR4_OSXSAVE | X86_CR4_PCIDE | X86_CR4_FSGSBASE | X86_CR4_SMEP |
                        X86_CR4_SMAP | X86_CR4_UMIP | X86_CR4_PGE | X86_CR4_OSFXSR)) ==
                (X86_CR4_OSXSAVE | X86_CR4_PCIDE | X86_CR4_FSGSBASE | X86_CR4_SMEP | X86_CR4_SMAP |
                 X86_CR4_UMIP | X86_CR4_PGE | X86_CR4_OSFXSR));
    assert_int_equal(cr4_guest_valid_bits(l1, l7, false) & X86_CR4_OSXSAVE, 0);
    assert_int_equal(bare, X86_CR4_TSD | X86_CR4_PCE | X86_CR4_PAE);

    assert_true(cr4_write_ok(pae, pae | X86_CR4_PGE, all, true, 0x1000));
    assert_false(cr4_write_ok(pae, pae | X86_CR4_LA57, all, true, 0x1000));
    assert_false(cr4_write_ok(pae, pae | (1ull << 15), all, true, 0x1000));
    assert_false(cr4_write_ok(pae, 0, all, true, 0x1000)); /* PAE off in long mode */
    assert_true(cr4_write_ok(pae, 0, all, false, 0x1000));
    assert_false(cr4_write_ok(pae, pae | X86_CR4_PCIDE, all, true, 0x1001)); /* CR3[11:0] */
    assert_false(cr4_write_ok(pae, pae | X86_CR4_PCIDE, all, false, 0x1000));
    assert_true(cr4_write_ok(pae, pae | X86_CR4_PCIDE, all, true, 0x1000));
    assert_false(cr4_write_ok(0, X86_CR4_PGE, bare, false, 0)); /* no PGE in its CPUID */
}

static void test_msrs(void **state)
{
    struct msr_state s;
    uint64_t v;

    (void)state;
    msr_state_init(&s);
    assert_true(msr_policy_read(&s, MSR_IA32_PAT, &v));
    assert_int_equal(v, 0x0007040600070406ull);
    assert_true(msr_policy_read(&s, MSR_IA32_MTRRCAP, &v));
    assert_int_equal(v, 0x508);
    assert_false(msr_policy_write(&s, MSR_IA32_MTRRCAP, 0, 40)); /* read-only */

    /* DEBUGCTL: reads 0, takes 0 only (LBR/BTF would be state to switch). */
    assert_true(msr_policy_read(&s, MSR_IA32_DEBUGCTL, &v) && v == 0);
    /* OSVW: errata 0-2 known (Linux's erratum 400 is ID 1), none present. */
    assert_true(msr_policy_read(&s, 0xc0010140, &v) && v == 3);
    assert_true(msr_policy_read(&s, 0xc0010141, &v) && v == 0);
    assert_true(msr_policy_write(&s, MSR_IA32_DEBUGCTL, 0, 40));
    assert_false(msr_policy_write(&s, MSR_IA32_DEBUGCTL, 1, 40));
    assert_true(msr_policy_read(&s, MSR_PLATFORM_INFO, &v));
    assert_false(msr_policy_write(&s, MSR_PLATFORM_INFO, 0, 40));

    /* PAT: types 0 1 4 5 6 7 per entry. */
    assert_true(msr_policy_write(&s, MSR_IA32_PAT, 0x0007010600070406ull, 40));
    assert_true(msr_policy_read(&s, MSR_IA32_PAT, &v) && v == 0x0007010600070406ull);
    assert_false(msr_policy_write(&s, MSR_IA32_PAT, 0x0007010600070402ull, 40));
    assert_false(msr_policy_write(&s, MSR_IA32_PAT, 0x0807010600070406ull, 40));
    assert_true(msr_policy_read(&s, MSR_IA32_PAT, &v) && v == 0x0007010600070406ull);

    /* MTRRs: def_type, fixed, variable, each with the CPU's checks. */
    assert_true(msr_policy_write(&s, MSR_MTRR_DEF_TYPE, 0xc06, 40));
    assert_false(msr_policy_write(&s, MSR_MTRR_DEF_TYPE, 0xc02, 40));  /* type 2 */
    assert_false(msr_policy_write(&s, MSR_MTRR_DEF_TYPE, 0x1006, 40)); /* reserved bit 12 */
    assert_true(msr_policy_read(&s, MSR_MTRR_DEF_TYPE, &v) && v == 0xc06);
    assert_true(msr_policy_write(&s, 0x250, 0x0606060606060606ull, 40));
    assert_false(msr_policy_write(&s, 0x258, 0x0606060606060603ull, 40));
    assert_true(msr_policy_write(&s, 0x26f, 0x0505050505050505ull, 40));
    assert_true(msr_policy_read(&s, 0x26f, &v) && v == 0x0505050505050505ull);
    assert_false(msr_policy_read(&s, 0x251, &v)); /* not a fixed-range MTRR */
    assert_true(msr_policy_write(&s, 0x200, 0xc0000006ull, 40));
    assert_false(msr_policy_write(&s, 0x200, 0xc0000106ull, 40));   /* reserved 11:8 */
    assert_false(msr_policy_write(&s, 0x200, 1ull << 40 | 6, 40));  /* past MAXPHYADDR */
    assert_true(msr_policy_write(&s, 0x201, 0xffc0000800ull, 40));  /* mask, valid */
    assert_false(msr_policy_write(&s, 0x201, 0xffc0000801ull, 40)); /* reserved 10:0 */
    assert_true(msr_policy_read(&s, 0x20f, &v) && v == 0);
    assert_false(msr_policy_read(&s, 0x210, &v)); /* only 8 pairs */

    /* Unknown MSRs are #GP both ways; the AMD counters read 0 and ignore writes. */
    assert_false(msr_policy_read(&s, 0x1234, &v));
    assert_false(msr_policy_write(&s, 0x1234, 0, 40));
    assert_true(msr_policy_write(&s, 0xc0010004, 0x1234, 40));
    assert_true(msr_policy_read(&s, 0xc0010004, &v) && v == 0);

    msr_state_init(&s); /* a reboot: back to reset */
    assert_true(msr_policy_read(&s, MSR_MTRR_DEF_TYPE, &v) && v == 0);
    assert_true(msr_policy_read(&s, 0x200, &v) && v == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpuid_hides),
        cmocka_unit_test(test_cr4),
        cmocka_unit_test(test_msrs),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
