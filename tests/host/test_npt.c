/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86 nested tables of a domain that reboots (xen/arch/x86/npt.c: npt_reset): after
 * the guest put hypervisor pages over its RAM and above it (add_to_physmap), the reset
 * gives back exactly the first build's tree: its RAM mapped at 0 again, nothing above it,
 * the tables built only for the guest's pages freed so the domain's heap charge and table
 * count are the first build's, and the generation moved so every vCPU flushes. The host
 * addresses are never dereferenced: only the tables are.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <asm/domain.h>
#include <xen/alloc.h>
#include <xen/errno.h>
#include "harness.h"

#define RAM_PA 0x40000000ull /* a made-up host address for the guest's RAM */
#define PAGE_A 0x7000000ull  /* made-up host pages: shared_info, a grant frame */
#define PAGE_B 0x7001000ull

static struct domain *build(uint64_t ram_size)
{
    struct domain *d = harness_domain(1, 1, false, &guest_layout_x86_64);
    struct x86_domain *xd;

    assert_non_null(d);
    d->arch = xd = calloc(1, sizeof(*xd));
    assert_non_null(xd);
    xd->ram_size = ram_size;
    xd->ram_pa = RAM_PA;
    xd->npt_lock = (spinlock_t)SPINLOCK_INIT;
    assert_int_equal(npt_map(d, 0, RAM_PA, ram_size), 0);
    return d;
}

/* The domain's tables back to the heap (the port never frees them: no domain teardown). */
static void free_table(struct domain *d, uint64_t *t, unsigned int level)
{
    for (unsigned int i = 0; level > 0 && i < 512; i++)
        if (t[i] & PTE_P)
            free_table(d, phys_to_virt(t[i] & PTE_ADDR), level - 1);
    domain_xfree(d, t);
}

static void destroy(struct domain *d)
{
    struct x86_domain *xd = x86_dom(d);

    if (xd->npt_root != NULL)
        free_table(d, xd->npt_root, 3);
    d->arch = NULL;
    free(xd);
    harness_reset();
}

static void check_ram(struct domain *d)
{
    const struct x86_domain *xd = x86_dom(d);
    bool w = false;

    for (uint64_t gpa = 0; gpa < xd->ram_size; gpa += PAGE_SIZE) {
        assert_int_equal(npt_lookup(d, gpa + 8, &w), RAM_PA + gpa + 8);
        assert_true(w);
    }
}

static void reset_restores_first_build(uint64_t ram_size)
{
    struct domain *d = build(ram_size);
    struct x86_domain *xd = x86_dom(d);
    size_t charged = d->heap_charged;
    unsigned int pages = xd->npt_pages;
    uint64_t gen;

    /* Over RAM, just above it (maybe the RAM's own leaf table), far above (new tables). */
    assert_int_equal(npt_map(d, 0x1000, PAGE_A, PAGE_SIZE), 0);
    assert_int_equal(npt_map(d, ram_size, PAGE_B, PAGE_SIZE), 0);
    assert_int_equal(npt_map(d, ram_size + (3ull << 30), PAGE_A, PAGE_SIZE), 0);
    assert_int_equal(npt_map(d, 300ull << 30, PAGE_B, PAGE_SIZE), 0);
    assert_true(d->heap_charged > charged);
    assert_int_equal(npt_lookup(d, 0x1000, NULL), PAGE_A);
    gen = xd->npt_generation;

    for (int round = 0; round < 3; round++) {
        npt_reset(d);
        assert_int_equal(d->heap_charged, charged);
        assert_int_equal(xd->npt_pages, pages);
        assert_true(xd->npt_generation > gen);
        gen = xd->npt_generation;
        check_ram(d);
        assert_int_equal(npt_lookup(d, ram_size, NULL), 0);
        assert_int_equal(npt_lookup(d, ram_size + (3ull << 30), NULL), 0);
        assert_int_equal(npt_lookup(d, 300ull << 30, NULL), 0);
        /* The new life can map its pages again, and the next reset frees them again. */
        assert_int_equal(npt_map(d, ram_size + (3ull << 30), PAGE_A, PAGE_SIZE), 0);
        assert_int_equal(npt_map(d, 0x2000, PAGE_B, PAGE_SIZE), 0);
    }
    destroy(d);
}

/* RAM a whole number of 2 MiB leaf tables: everything above it has tables of its own. */
static void test_reset_aligned(void **state)
{
    (void)state;
    reset_restores_first_build(16ull << 20);
}

/* RAM ending inside a leaf table: that table stays (it maps RAM), its tail is cleared. */
static void test_reset_unaligned(void **state)
{
    (void)state;
    reset_restores_first_build((3ull << 20) + 5 * PAGE_SIZE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_aligned),
        cmocka_unit_test(test_reset_unaligned),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
