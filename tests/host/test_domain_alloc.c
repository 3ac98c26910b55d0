/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Charged allocations (xen/common/domain_alloc.c): a domain's allocations stop at its
 * budget and only its own, the charge is the block's real size and comes back on free,
 * and two threads racing on one budget never get past it together.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <pthread.h>
#include <cmocka.h>

#include <xen/alloc.h>
#include "test_util.h"

static struct domain *da, *db;

static int setup(void **state)
{
    (void)state;
    da = harness_domain(1, 1, false, &guest_layout_arm);
    db = harness_domain(2, 1, false, &guest_layout_arm);
    return da != NULL && db != NULL ? 0 : -1;
}

static void test_charge_and_release(void **state)
{
    size_t before = da->heap_charged;
    void *p;

    (void)state;
    assert_int_equal(da->heap_budget, DOMAIN_HEAP_BUDGET_DEFAULT);
    p = domain_xzalloc_bytes(da, 100);
    assert_non_null(p);
    assert_true(xalloc_size(p) >= 100);
    assert_int_equal(da->heap_charged, before + xalloc_size(p));
    domain_xfree(da, p);
    assert_int_equal(da->heap_charged, before);
    domain_xfree(da, NULL); /* fine, as xfree */
}

static void test_budget_is_per_domain(void **state)
{
    size_t saved = da->heap_budget, heap_before;
    void *pages[64];
    unsigned int n = 0;
    void *other;

    (void)state;
    da->heap_budget = da->heap_charged + 8 * 4096 + 8 * 4096 / 2;
    while (n < 64 && (pages[n] = domain_xzalloc_bytes(da, 4096)) != NULL)
        n++;
    /* Stopped by its budget, not by the heap: the other domain still gets memory. */
    assert_true(n >= 8 && n < 64);
    assert_true(da->heap_charged <= da->heap_budget);
    heap_before = xalloc_bytes_in_use();
    assert_null(domain_xzalloc_bytes(da, 4096));
    assert_int_equal(xalloc_bytes_in_use(), heap_before); /* the refused block went back */
    other = domain_xzalloc_bytes(db, 4096);
    assert_non_null(other);
    domain_xfree(db, other);
    while (n > 0)
        domain_xfree(da, pages[--n]);
    da->heap_budget = saved;
}

#define RACERS 4
#define RACE_ALLOCS 200

static void *racer(void *arg)
{
    void **mine = arg;
    unsigned int i;

    for (i = 0; i < RACE_ALLOCS; i++)
        mine[i] = domain_xzalloc_bytes(da, 256);
    return NULL;
}

static void test_racing_allocations_respect_budget(void **state)
{
    static void *got[RACERS][RACE_ALLOCS];
    pthread_t t[RACERS];
    size_t saved = da->heap_budget;
    unsigned int i, j, ok = 0;

    (void)state;
    da->heap_budget = da->heap_charged + 100 * 512;
    for (i = 0; i < RACERS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, racer, got[i]), 0);
    for (i = 0; i < RACERS; i++)
        pthread_join(t[i], NULL);
    assert_true(da->heap_charged <= da->heap_budget);
    for (i = 0; i < RACERS; i++)
        for (j = 0; j < RACE_ALLOCS; j++)
            if (got[i][j] != NULL) {
                ok++;
                domain_xfree(da, got[i][j]);
            }
    assert_true(ok > 0 && ok < RACERS * RACE_ALLOCS);
    da->heap_budget = saved;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, harness_teardown)
        T(test_charge_and_release),
        T(test_budget_is_per_domain),
        T(test_racing_allocations_respect_budget),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
