/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vcpu_info.time, the guests' pvclock (xen/common/vcpu_time.c): the 32.32 scale for
 * counters from 1 Hz to 10 GHz against exact arithmetic, and the time base the port
 * gives published in every vcpu_info (shared_info slot, private placeholder, a registered
 * one) under the version protocol, written again where a guest registers its vcpu_info
 * and after a domain's reset; nothing at all where the port publishes none (ARM).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <xen/hypercall.h>
#include <xen/vcpu_time.h>
#include <public/vcpu.h>
#include "test_util.h"

#define NS_PER_S 1000000000ull

/* Exact ns for `ticks` of a counter at hz. */
static uint64_t exact_ns(uint64_t ticks, uint64_t hz)
{
    return (uint64_t)((unsigned __int128)ticks * NS_PER_S / hz);
}

static void test_scale_against_exact_arithmetic(void **state)
{
    static const uint64_t rates[] = {1,          32768,      1000000,    19200000,   62500000,
                                     100000000,  999999999,  1000000000, 1000000001, 2400000000,
                                     3700000123, 4294967296, 10000000000};
    uint64_t rng = 0x13198a2e03707344ull;

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(rates); i++) {
        uint64_t hz = rates[i];
        uint32_t mul;
        int8_t shift;

        time_scale_from_hz(hz, &mul, &shift);
        /* 31 significant bits whatever the rate. */
        assert_true(mul >= 1u << 31);
        /* One second of ticks is one second, to within the scale's precision. */
        assert_true(llabs((long long)(time_scale_apply(hz, mul, shift) - NS_PER_S)) <= 2);
        /*
         * A day of ticks and random counts: within 2^-30 of exact, plus the ticks a right
         * shift drops (one tick's worth of ns per dropped bit, at most).
         */
        for (unsigned int j = 0; j < 1000; j++) {
            uint64_t ticks = j == 0 ? hz * 86400 : xorshift64(&rng) >> 14;
            uint64_t want, got, slack;

            if (ticks > UINT64_MAX >> (shift > 0 ? shift : 0))
                continue; /* the guest's shift would overflow: no counter runs that long */
            want = exact_ns(ticks, hz);
            got = time_scale_apply(ticks, mul, shift);
            slack = want / (1u << 30) + 2 + (shift < 0 ? exact_ns(1ull << -shift, hz) : 0);
            assert_true(got <= want + slack && got + slack >= want);
        }
    }
}

static struct vcpu_time_info time_of(const struct vcpu *v)
{
    struct vcpu_time_info t;

    memcpy(&t, (const uint8_t *)v->vcpu_info + v->domain->guest_layout->vcpu_time_off, sizeof(t));
    return t;
}

static void assert_published(const struct vcpu *v, uint64_t hz)
{
    struct vcpu_time_info t = time_of(v);
    uint32_t mul;
    int8_t shift;

    time_scale_from_hz(hz, &mul, &shift);
    assert_int_equal(t.version % 2, 0);
    assert_int_not_equal(t.version, 0);
    assert_int_equal(t.tsc_to_system_mul, mul);
    assert_int_equal(t.tsc_shift, shift);
    /* The harness's base: counter 0 at system time 1 s. */
    assert_int_equal(t.tsc_timestamp, 0);
    assert_int_equal(t.system_time, NS_PER_S);
}

static void test_every_vcpu_info_has_it(void **state)
{
    /* x86_64: 32 slots in shared_info; x86_32 with 33 vCPUs: one placeholder too. */
    struct domain *d64, *d32;

    (void)state;
    harness_set_time_base(2400000000ull);
    d64 = harness_domain(1, 2, false, &guest_layout_x86_64);
    d32 = harness_domain(2, 33, false, &guest_layout_x86_32);
    assert_non_null(d64);
    assert_non_null(d32);
    for (unsigned int i = 0; i < d64->max_vcpus; i++)
        assert_published(d64->vcpu[i], 2400000000ull);
    for (unsigned int i = 0; i < d32->max_vcpus; i++)
        assert_published(d32->vcpu[i], 2400000000ull);
}

static void test_nothing_without_a_time_base(void **state)
{
    struct domain *d;
    struct vcpu_time_info t, zero;

    (void)state;
    d = harness_domain(1, 2, false, &guest_layout_arm); /* the harness default: none */
    assert_non_null(d);
    memset(&zero, 0, sizeof(zero));
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        t = time_of(d->vcpu[i]);
        assert_memory_equal(&t, &zero, sizeof(t));
    }
}

static void test_registering_and_reset_write_it_again(void **state)
{
    struct domain *d;
    struct vcpu *v;
    struct vcpu_register_vcpu_info *info;
    struct vcpu_time_info *slot, before;
    gpaddr_t gpa;
    gfn_t gfn;
    uint8_t *page;

    (void)state;
    harness_set_time_base(1000000000ull);
    d = harness_domain(1, 1, false, &guest_layout_x86_64);
    assert_non_null(d);
    v = d->vcpu[0];
    before = time_of(v);

    /* The guest scribbles over its slot in shared_info, then moves its vcpu_info. */
    slot = (struct vcpu_time_info *)((uint8_t *)v->vcpu_info + d->guest_layout->vcpu_time_off);
    memset(slot, 0xa5, sizeof(*slot));
    info = harness_guest_buf(d, &gpa);
    gfn = harness_alloc_gfn(d);
    page = harness_gfn_to_va(d, gfn);
    *info = (struct vcpu_register_vcpu_info){.mfn = gfn, .offset = 128};
    assert_int_equal(
        harness_hypercall(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, gpa, 0, 0), 0);
    assert_ptr_equal(v->vcpu_info, page + 128);
    assert_published(v, 1000000000ull);
    /* The hypervisor's count, not the guest's garbage, moved on. */
    assert_int_equal(time_of(v).version, before.version + 2);

    /* A reset puts the vcpu_info back in shared_info, with the base in it again. */
    memset(slot, 0x5a, sizeof(*slot));
    domain_reset(d);
    assert_ptr_not_equal(v->vcpu_info, page + 128);
    assert_published(v, 1000000000ull);
    assert_int_equal(time_of(v).version, before.version + 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale_against_exact_arithmetic),
#define T(fn) cmocka_unit_test_setup_teardown(fn, NULL, harness_teardown)
        T(test_every_vcpu_info_has_it),
        T(test_nothing_without_a_time_base),
        T(test_registering_and_reset_write_it_again),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
