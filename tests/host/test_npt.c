/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86 nested tables (xen/arch/x86/npt.c).
 *
 * One page at a time (npt_set, npt_clear, npt_query: the physmap hooks' back end): each
 * leaf says what it maps (RAM, a hypervisor page, a grant read/write or read-only), a
 * read-only grant is not writable, clearing makes no table, changing or clearing a present
 * entry moves the generation (vCPUs flush) and returns only once no vCPU is in guest mode
 * on the old translation (a thread plays the other CPU), refused addresses change nothing,
 * and the tables for pages above RAM are charged to the domain up to its budget.
 *
 * A domain that reboots (npt_reset): after the guest put hypervisor pages over its RAM
 * and above it (add_to_physmap), the reset gives back exactly the first build's tree: its
 * RAM mapped at 0 again, nothing above it, the tables built only for the guest's pages
 * freed so the domain's heap charge and table count are the first build's, and the
 * generation moved so every vCPU flushes. The host addresses are never dereferenced: only
 * the tables are.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
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

/* Each leaf says what it maps; clearing and changing a present page flush. */
static void test_set_clear_query(void **state)
{
    struct domain *d = build(4ull << 20);
    struct x86_domain *xd = x86_dom(d);
    uint64_t gen = xd->npt_generation;
    paddr_t hpa = 1;
    bool w = true;

    (void)state;
    assert_int_equal(npt_query(d, 0x5000, &hpa), PHYSMAP_RAM);
    assert_int_equal(hpa, RAM_PA + 0x5000);

    /* Given back: nothing there, and the vCPUs flush. */
    assert_int_equal(npt_clear(d, 0x5000), 0);
    assert_int_equal(npt_query(d, 0x5000, &hpa), PHYSMAP_NONE);
    assert_int_equal(hpa, 0);
    assert_int_equal(npt_lookup(d, 0x5000, NULL), 0);
    assert_true(xd->npt_generation > gen);
    gen = xd->npt_generation;
    /* Clearing nothing needs no flush. */
    assert_int_equal(npt_clear(d, 0x5000), 0);
    assert_int_equal(xd->npt_generation, gen);

    /* Another RAM frame populated there (not present before: no flush needed). */
    assert_int_equal(npt_set(d, 0x5000, RAM_PA + 0x9000, PHYSMAP_RAM), 0);
    assert_int_equal(npt_query(d, 0x5000, &hpa), PHYSMAP_RAM);
    assert_int_equal(hpa, RAM_PA + 0x9000);
    assert_int_equal(xd->npt_generation, gen);

    /* A grant over RAM, read/write then read-only (a present entry changed: flush). */
    assert_int_equal(npt_set(d, 0x6000, PAGE_A, PHYSMAP_GRANT_RW), 0);
    assert_int_equal(npt_query(d, 0x6000, &hpa), PHYSMAP_GRANT_RW);
    assert_int_equal(hpa, PAGE_A);
    assert_int_equal(npt_lookup(d, 0x6008, &w), PAGE_A + 8);
    assert_true(w);
    assert_true(xd->npt_generation > gen);
    gen = xd->npt_generation;
    assert_int_equal(npt_set(d, 0x6000, PAGE_A, PHYSMAP_GRANT_RO), 0);
    assert_int_equal(npt_query(d, 0x6000, &hpa), PHYSMAP_GRANT_RO);
    assert_int_equal(npt_lookup(d, 0x6000, &w), PAGE_A);
    assert_false(w);
    assert_true(xd->npt_generation > gen);

    /* A hypervisor page, and the same mapping again changes nothing. */
    assert_int_equal(npt_set(d, 0x7000, PAGE_B, PHYSMAP_HYP_PAGE), 0);
    gen = xd->npt_generation;
    assert_int_equal(npt_set(d, 0x7000, PAGE_B, PHYSMAP_HYP_PAGE), 0);
    assert_int_equal(xd->npt_generation, gen);
    assert_int_equal(npt_query(d, 0x7000, &hpa), PHYSMAP_HYP_PAGE);
    assert_int_equal(hpa, PAGE_B);

    /* The reset puts every RAM frame back in its first place and drops the rest. */
    npt_reset(d);
    check_ram(d);
    for (uint64_t gpa = 0; gpa < xd->ram_size; gpa += PAGE_SIZE)
        assert_int_equal(npt_query(d, gpa, &hpa), PHYSMAP_RAM);
    destroy(d);
}

/* Addresses and kinds the tables cannot hold are refused, and change nothing. */
static void test_refused(void **state)
{
    struct domain *d = build(2ull << 20);
    struct x86_domain *xd = x86_dom(d);
    size_t charged = d->heap_charged;
    unsigned int pages = xd->npt_pages;
    paddr_t hpa;

    (void)state;
    assert_int_equal(npt_set(d, 0x1001, PAGE_A, PHYSMAP_GRANT_RW), -EINVAL);
    assert_int_equal(npt_set(d, 0x1000, PAGE_A + 1, PHYSMAP_GRANT_RW), -EINVAL);
    assert_int_equal(npt_set(d, 1ull << 39, PAGE_A, PHYSMAP_HYP_PAGE), -EINVAL);
    assert_int_equal(npt_set(d, ~0ull & ~0xfffull, PAGE_A, PHYSMAP_HYP_PAGE), -EINVAL);
    assert_int_equal(npt_set(d, 0x1000, 1ull << 52, PHYSMAP_GRANT_RW), -EINVAL);
    assert_int_equal(npt_set(d, 0x1000, PAGE_A, PHYSMAP_NONE), -EINVAL);
    assert_int_equal(npt_set(d, 0x1000, PAGE_A, PHYSMAP_OTHER), -EINVAL);
    assert_int_equal(npt_set(d, 0x1000, PAGE_A, (enum physmap_type)7), -EINVAL);
    assert_int_equal(npt_clear(d, 0x1001), -EINVAL);
    assert_int_equal(npt_clear(d, 1ull << 39), -EINVAL);
    assert_int_equal(npt_query(d, 1ull << 39, &hpa), PHYSMAP_NONE);
    assert_int_equal(npt_query(d, ~0ull & ~0xfffull, &hpa), PHYSMAP_NONE);
    /* Clearing far above RAM makes no table. */
    assert_int_equal(npt_clear(d, 200ull << 30), 0);
    assert_int_equal(d->heap_charged, charged);
    assert_int_equal(xd->npt_pages, pages);
    check_ram(d);
    destroy(d);
}

/* Pages above RAM cost tables, charged to the domain: past its budget, -ENOMEM. */
static void test_tables_charged(void **state)
{
    struct domain *d = build(2ull << 20);
    struct x86_domain *xd = x86_dom(d);
    unsigned int pages = xd->npt_pages;
    paddr_t hpa;
    int rc = 0;

    (void)state;
    assert_int_equal(npt_set(d, 3ull << 30, PAGE_A, PHYSMAP_GRANT_RW), 0);
    assert_int_equal(xd->npt_pages, pages + 2); /* a directory and a leaf table */
    d->heap_budget = d->heap_charged;           /* not one table more */
    /* Each new 1 GiB needs two tables: refused, and nothing mapped. */
    for (uint64_t g = 4; g < 8 && rc == 0; g++)
        rc = npt_set(d, g << 30, PAGE_B, PHYSMAP_GRANT_RW);
    assert_int_equal(rc, -ENOMEM);
    assert_int_equal(npt_query(d, 4ull << 30, &hpa), PHYSMAP_NONE);
    /* Within the tables it has, it still maps. */
    assert_int_equal(npt_set(d, (3ull << 30) + PAGE_SIZE, PAGE_B, PHYSMAP_GRANT_RO), 0);
    npt_reset(d);
    destroy(d);
}

/* vCPU 1 on CPU 1, in guest mode with the tables as of generation gen until kicked. */
struct guest_cpu {
    struct x86_vcpu *xv;
    unsigned long kicks; /* CPU 1's kicks before the change */
    bool exited;
};

static void *run_until_kicked(void *arg)
{
    struct guest_cpu *g = arg;
    struct timespec later = {.tv_nsec = 20 * 1000 * 1000};

    while (harness_cpu_kicks(1) == g->kicks)
        ;
    nanosleep(&later, NULL); /* a world switch takes its time: the change must wait for it */
    __atomic_store_n(&g->exited, true, __ATOMIC_SEQ_CST);
    __atomic_store_n(&g->xv->npt_in_guest, 0, __ATOMIC_SEQ_CST); /* svm.c after VMRUN */
    return NULL;
}

/*
 * A change returns only once no vCPU runs on the old translation: one in guest mode with
 * an older generation is kicked and waited for; one that already flushed for the new one
 * (or is out of guest mode) is not.
 */
static void test_change_waits_for_guest_mode(void **state)
{
    struct domain *d = harness_domain(1, 2, false, &guest_layout_x86_64);
    struct x86_domain *xd = calloc(1, sizeof(*xd));
    struct x86_vcpu *xv0 = calloc(1, sizeof(*xv0)), *xv1 = calloc(1, sizeof(*xv1));
    struct guest_cpu g = {.xv = xv1};
    pthread_t cpu1;

    (void)state;
    assert_non_null(d);
    assert_non_null(xd);
    assert_non_null(xv0);
    assert_non_null(xv1);
    d->arch = xd;
    xd->ram_size = 2ull << 20;
    xd->ram_pa = RAM_PA;
    xd->npt_lock = (spinlock_t)SPINLOCK_INIT;
    assert_int_equal(npt_map(d, 0, RAM_PA, xd->ram_size), 0);
    d->vcpu[0]->arch = xv0; /* the caller's: out of guest mode (mark 0) */
    d->vcpu[1]->arch = xv1;
    d->vcpu[1]->processor = 1;

    /* In guest mode since before the change: kicked, and waited for. */
    xv1->npt_in_guest = NPT_IN_GUEST | xd->npt_generation;
    g.kicks = harness_cpu_kicks(1);
    assert_int_equal(pthread_create(&cpu1, NULL, run_until_kicked, &g), 0);
    assert_int_equal(npt_clear(d, 0x3000), 0);
    assert_true(__atomic_load_n(&g.exited, __ATOMIC_SEQ_CST));
    assert_int_equal(pthread_join(cpu1, NULL), 0);

    /* Entered after the change was made (it flushed for the new generation): no wait. */
    xv1->npt_in_guest = NPT_IN_GUEST | (xd->npt_generation + 1);
    assert_int_equal(npt_set(d, 0x3000, RAM_PA + 0x3000, PHYSMAP_RAM), 0); /* was absent */
    assert_int_equal(npt_set(d, 0x3000, PAGE_A, PHYSMAP_GRANT_RW), 0);
    assert_int_equal(xv1->npt_in_guest, NPT_IN_GUEST | xd->npt_generation);

    d->vcpu[0]->arch = d->vcpu[1]->arch = NULL;
    free(xv0);
    free(xv1);
    destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_aligned),   cmocka_unit_test(test_reset_unaligned),
        cmocka_unit_test(test_set_clear_query), cmocka_unit_test(test_refused),
        cmocka_unit_test(test_tables_charged),  cmocka_unit_test(test_change_waits_for_guest_mode),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
