/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Charged allocations (xen/common/domain_alloc.c): a domain's allocations stop at its
 * budget and only its own, the charge is the block's real size and comes back on free,
 * and two threads racing on one budget never get past it together. Then what the guest
 * causes through hypercalls: port storage, FIFO and 3-level state, grant frames are each
 * charged to the domain that caused them, refused with that op's -ENOMEM (or
 * GNTST_general_error) past its budget, and given back by reset and destroy (the harness
 * checks on every destroy that what was charged came back: harness_reset).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <pthread.h>
#include <cmocka.h>

#include <xen/alloc.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <public/grant_table.h>
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

#define RACERS      4
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

/* Allocate unbound ports of d until one fails: how many were made, and the failure. */
static unsigned int fill_ports(struct domain *d, long *err)
{
    evtchn_port_t p;
    unsigned int n = 0;
    long rc;

    while ((rc = alloc_unbound(d, DOMID_SELF, d->domain_id, &p)) == 0)
        n++;
    *err = rc;
    return n;
}

/* Port storage past the budget: -ENOMEM for that domain, the other binds on. */
static void test_port_storage_is_charged(void **state)
{
    size_t base = da->heap_charged;
    evtchn_port_t p;
    long err;

    (void)state;
    /* Port 0's bucket exists from creation: its 63 free ports cost nothing more. */
    da->heap_budget = base;
    assert_int_equal(fill_ports(da, &err), 63);
    assert_int_equal(err, -ENOMEM);
    assert_int_equal(da->heap_charged, base);
    assert_int_equal(alloc_unbound(db, DOMID_SELF, 1, &p), 0);

    /* One more bucket of room: 64 more ports, then -ENOMEM again. */
    da->heap_budget = base + xalloc_size(da->evtchn_group[0][0]);
    assert_int_equal(fill_ports(da, &err), 64);
    assert_int_equal(err, -ENOMEM);
    assert_int_equal(da->heap_charged, da->heap_budget);

    /* Reset closes them; the storage stays (valid_evtchns never shrinks) and is reused. */
    assert_int_equal(reset_self(da), 0);
    assert_int_equal(da->heap_charged, da->heap_budget);
    assert_int_equal(fill_ports(da, &err), 127);
    da->heap_budget = DOMAIN_HEAP_BUDGET_DEFAULT;
}

/* An interdomain channel's new port is charged to the binder, whose hypercall made it. */
static void test_interdomain_charges_the_binder(void **state)
{
    size_t a_before, b_base = db->heap_charged;
    evtchn_port_t ap[64], bp;
    long err;
    unsigned int i;

    (void)state;
    for (i = 0; i < 64; i++)
        assert_int_equal(alloc_unbound(da, DOMID_SELF, db->domain_id, &ap[i]), 0);
    a_before = da->heap_charged;
    db->heap_budget = b_base;
    assert_int_equal(fill_ports(db, &err), 63);
    assert_int_equal(bind_interdomain(db, da->domain_id, ap[0], &bp), -ENOMEM);
    assert_int_equal(da->heap_charged, a_before);
    db->heap_budget = DOMAIN_HEAP_BUDGET_DEFAULT;
    assert_int_equal(bind_interdomain(db, da->domain_id, ap[0], &bp), 0);
    assert_true(db->heap_charged > b_base);
    assert_int_equal(da->heap_charged, a_before);
}

/* FIFO and 3-level state: -ENOMEM past the budget, all of it back on EVTCHNOP_reset. */
static void test_abi_state_is_charged_and_given_back(void **state)
{
    size_t base = da->heap_charged, in_use = xalloc_bytes_in_use();

    (void)state;
    da->heap_budget = base + 64;
    assert_int_equal(guest_setup_fifo(da, 1), -ENOMEM);
    assert_int_equal(guest_setup_3l(da), -ENOMEM);
    assert_int_equal(da->heap_charged, base);
    assert_int_equal(xalloc_bytes_in_use(), in_use);
    assert_ptr_equal(da->evtchn_ops, &evtchn_ops_2l);

    da->heap_budget = DOMAIN_HEAP_BUDGET_DEFAULT;
    assert_int_equal(guest_setup_fifo(da, 2), 0);
    assert_true(da->heap_charged > base);
    assert_int_equal(reset_self(da), 0);
    assert_int_equal(da->heap_charged, base);
    assert_int_equal(xalloc_bytes_in_use(), in_use);

    assert_int_equal(guest_setup_3l(da), 0);
    assert_true(da->heap_charged > base);
    assert_int_equal(reset_self(da), 0);
    assert_int_equal(da->heap_charged, base);
    assert_int_equal(xalloc_bytes_in_use(), in_use);
}

static long setup_table(struct domain *caller, domid_t dom, uint32_t nr_frames, int16_t *status)
{
    gpaddr_t gpa, list;
    struct gnttab_setup_table_64 *st = harness_guest_buf(caller, &gpa);
    long rc;

    (void)harness_guest_buf(caller, &list);
    *st = (struct gnttab_setup_table_64){.dom = dom, .nr_frames = nr_frames};
    st->frame_list.p = list;
    rc = harness_hypercall(caller->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, gpa,
                           1, 0, 0);
    *status = st->status;
    return rc;
}

/* Grant frames are charged to the table's owner; past its budget, general_error. */
static void test_grant_frames_are_charged(void **state)
{
    struct domain *dom0 = harness_domain(0, 1, true, &guest_layout_arm);
    size_t base = da->heap_charged, d0_base;
    int16_t st;

    (void)state;
    assert_non_null(dom0);
    d0_base = dom0->heap_charged;
    da->heap_budget = base + 2 * PAGE_SIZE + PAGE_SIZE / 2;
    assert_int_equal(setup_table(da, DOMID_SELF, 4, &st), 0);
    assert_int_equal(st, GNTST_general_error);
    assert_true(da->heap_charged <= da->heap_budget);
    /* dom0 growing da's table: still da that pays, and still refused. */
    assert_int_equal(setup_table(dom0, da->domain_id, 4, &st), 0);
    assert_int_equal(st, GNTST_general_error);
    assert_int_equal(dom0->heap_charged, d0_base);
    da->heap_budget = DOMAIN_HEAP_BUDGET_DEFAULT;
    assert_int_equal(setup_table(da, DOMID_SELF, 4, &st), 0);
    assert_int_equal(st, GNTST_okay);
    assert_true(da->heap_charged >= base + 4 * PAGE_SIZE);
    /* A reboot (domain_reset) drops the frames and gives their charge back; the table's
     * own small bookkeeping stays, as other domains' hypercalls may be using it. */
    domain_reset(da);
    assert_true(da->heap_charged < base + PAGE_SIZE);
}

/* A vCPU without a slot in shared_info has a private vcpu_info, charged at creation. */
static void test_dummy_vcpu_info_is_charged(void **state)
{
    struct domain *e = harness_domain(4, 3, false, &guest_layout_arm); /* ARM: one slot */

    (void)state;
    assert_non_null(e);
    assert_non_null(e->vcpu[1]->dummy_vcpu_info);
    assert_int_equal(e->heap_charged, xalloc_size(e->vcpu[1]->dummy_vcpu_info) +
                                          xalloc_size(e->vcpu[2]->dummy_vcpu_info) +
                                          xalloc_size(e->evtchn_group[0]) +
                                          xalloc_size(e->evtchn_group[0][0]));
}

/* The configured budget (boot_config.c sets it per domain id) is what domains start with. */
static void test_configured_budget(void **state)
{
    struct domain *d;

    (void)state;
    domain_set_configured_budget(5, 256u << 10);
    d = harness_domain(5, 1, false, &guest_layout_arm);
    assert_non_null(d);
    assert_int_equal(d->heap_budget, 256u << 10);
    domain_set_configured_budget(5, 0);
    assert_int_equal(domain_configured_budget(5), DOMAIN_HEAP_BUDGET_DEFAULT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, harness_teardown)
        T(test_charge_and_release),
        T(test_budget_is_per_domain),
        T(test_racing_allocations_respect_budget),
        T(test_port_storage_is_charged),
        T(test_interdomain_charges_the_binder),
        T(test_abi_state_is_charged_and_given_back),
        T(test_grant_frames_are_charged),
        T(test_dummy_vcpu_info_is_charged),
        T(test_configured_budget),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
