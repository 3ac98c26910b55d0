/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The memory ops a balloon driver uses (xen/common/memory_op.c, physmap.c) and grant
 * mapping, unmapping and copying (grant_pin.c, grant_map.c, grant_copy.c), issued as a
 * guest issues them; expected values are Xen 4.17's. Also what no guest may get: a page
 * handed out again while another domain maps it, a mapping that outlives its granter's
 * life, pins left behind by a mapping domain's reboot.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include "test_util.h"

/* dom0: privileged; d1, d2: domUs. All ARM layout. */
static struct domain *dom0, *d1, *d2;

static int setup(void **state)
{
    (void)state;
    harness_reset();
    dom0 = harness_domain(0, 1, true, &guest_layout_arm);
    d1 = harness_domain(1, 1, false, &guest_layout_arm);
    d2 = harness_domain(2, 1, false, &guest_layout_arm);
    return dom0 == NULL || d1 == NULL || d2 == NULL ? -1 : 0;
}

static long hc(struct vcpu *v, unsigned long nr, unsigned long a0, unsigned long a1,
               unsigned long a2)
{
    return harness_hypercall(v, nr, a0, a1, a2, 0, 0);
}

/* A reservation op on d's behalf from v over n gfns (order 0 unless given). */
static long reservation(struct vcpu *v, unsigned int op, domid_t dom, const gfn_t *gfns,
                        unsigned int n, uint32_t order)
{
    gpaddr_t gpa, list;
    struct xen_memory_reservation_64 *r = harness_guest_buf(v->domain, &gpa);
    uint64_t *l = harness_guest_buf(v->domain, &list);

    for (unsigned int i = 0; gfns != NULL && i < n && i < PAGE_SIZE / 8; i++)
        l[i] = gfns[i];
    *r = (struct xen_memory_reservation_64){.nr_extents = n, .extent_order = order, .domid = dom};
    r->extent_start.p = list;
    return hc(v, __HYPERVISOR_memory_op, op, gpa, 0);
}

static long reservation_size(struct vcpu *v, unsigned int op, domid_t dom)
{
    gpaddr_t gpa;
    domid_t *id = harness_guest_buf(v->domain, &gpa);

    *id = dom;
    return hc(v, __HYPERVISOR_memory_op, op, gpa, 0);
}

static long remove_from_physmap(struct vcpu *v, domid_t dom, gfn_t gfn)
{
    gpaddr_t gpa;
    struct xen_remove_from_physmap_64 *r = harness_guest_buf(v->domain, &gpa);

    *r = (struct xen_remove_from_physmap_64){.domid = dom, .gpfn = gfn};
    return hc(v, __HYPERVISOR_memory_op, XENMEM_remove_from_physmap, gpa, 0);
}

static void test_reservation(void **state)
{
    gfn_t g[2] = {harness_alloc_gfn(d1), harness_alloc_gfn(d1)};
    uint8_t *p0 = harness_gfn_to_va(d1, g[0]);

    (void)state;
    assert_int_equal(reservation_size(d1->vcpu[0], XENMEM_current_reservation, DOMID_SELF),
                     HARNESS_GUEST_PAGES);
    assert_int_equal(reservation_size(d1->vcpu[0], XENMEM_maximum_reservation, DOMID_SELF),
                     HARNESS_GUEST_PAGES);
    assert_int_equal(reservation_size(d1->vcpu[0], XENMEM_current_reservation, 2), -EPERM);
    assert_int_equal(reservation_size(d1->vcpu[0], XENMEM_current_reservation, 60), -ESRCH);
    assert_int_equal(reservation_size(dom0->vcpu[0], XENMEM_current_reservation, 1),
                     HARNESS_GUEST_PAGES);
    assert_int_equal(
        hc(d1->vcpu[0], __HYPERVISOR_memory_op, XENMEM_current_reservation | (1ul << 6), 0, 0),
        -EINVAL);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_memory_op, XENMEM_get_sharing_freed_pages, 0, 0),
                     0);

    /* Give two pages back: unmapped, counted out; the same again does nothing. */
    memset(p0, 0xa5, PAGE_SIZE);
    assert_int_equal(reservation(d1->vcpu[0], XENMEM_decrease_reservation, DOMID_SELF, g, 2, 0), 2);
    assert_null(arch_map_guest_frame(d1, g[0]));
    assert_int_equal(reservation_size(d1->vcpu[0], XENMEM_current_reservation, DOMID_SELF),
                     HARNESS_GUEST_PAGES - 2);
    assert_int_equal(reservation(d1->vcpu[0], XENMEM_decrease_reservation, DOMID_SELF, g, 2, 0), 0);
    /* Orders past a domU's 9 are refused outright; nothing is done. */
    assert_int_equal(reservation(d1->vcpu[0], XENMEM_populate_physmap, DOMID_SELF, g, 1, 10), 0);
    /* Another domain's reservation: only the privileged one may change it. */
    assert_int_equal(reservation(d2->vcpu[0], XENMEM_populate_physmap, 1, g, 1, 0), 0);

    /* Populate: the pages come back zeroed; over a gfn that holds RAM, the new page
     * replaces it (the old one goes into the pool first), as on Xen. */
    assert_int_equal(reservation(d1->vcpu[0], XENMEM_populate_physmap, DOMID_SELF, g, 1, 0), 1);
    p0 = arch_map_guest_frame(d1, g[0]);
    assert_non_null(p0);
    for (unsigned int i = 0; i < PAGE_SIZE; i++)
        assert_int_equal(p0[i], 0);
    p0[0] = 1;
    assert_int_equal(reservation(d1->vcpu[0], XENMEM_populate_physmap, DOMID_SELF, g, 1, 0), 1);
    assert_int_equal(((uint8_t *)arch_map_guest_frame(d1, g[0]))[0], 0);
    assert_int_equal(reservation(dom0->vcpu[0], XENMEM_populate_physmap, 1, &g[1], 1, 0), 1);
    /* Over a grant-table frame: refused (its owner tracks where it is). */
    {
        gpaddr_t gpa;
        struct xen_add_to_physmap_64 *a = harness_guest_buf(d1, &gpa);
        gfn_t at = harness_alloc_gfn(d1);

        *a = (struct xen_add_to_physmap_64){
            .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0, .gpfn = at};
        assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_memory_op, XENMEM_add_to_physmap, gpa, 0), 0);
        assert_int_equal(reservation(d1->vcpu[0], XENMEM_populate_physmap, DOMID_SELF, &at, 1, 0),
                         0);
        assert_int_equal(remove_from_physmap(d1->vcpu[0], DOMID_SELF, at), 0);
        assert_null(harness_physmap_lookup(d1, at));
    }
    /* The pool is empty: nothing more to populate, nor to claim. */
    {
        gfn_t hole = g[1] + 0x100000;

        assert_int_equal(reservation(d1->vcpu[0], XENMEM_populate_physmap, DOMID_SELF, &hole, 1, 0),
                         0);
        assert_int_equal(
            reservation(d1->vcpu[0], XENMEM_increase_reservation, DOMID_SELF, NULL, 1, 0), 0);
    }
    assert_int_equal(reservation_size(d1->vcpu[0], XENMEM_current_reservation, DOMID_SELF),
                     HARNESS_GUEST_PAGES);

    /* remove_from_physmap: RAM goes into the pool; nothing there is -ENOENT. */
    assert_int_equal(remove_from_physmap(d1->vcpu[0], DOMID_SELF, g[0]), 0);
    assert_int_equal(remove_from_physmap(d1->vcpu[0], DOMID_SELF, g[0]), -ENOENT);
    assert_int_equal(remove_from_physmap(d1->vcpu[0], 2, g[0]), -EPERM);
    assert_int_equal(reservation(d1->vcpu[0], XENMEM_increase_reservation, DOMID_SELF, NULL, 1, 0),
                     1); /* claimed: owned, mapped nowhere */
    assert_int_equal(reservation_size(d1->vcpu[0], XENMEM_current_reservation, DOMID_SELF),
                     HARNESS_GUEST_PAGES);
}

/* More pages than one call changes (512): the call continues itself and does them all. */
static void test_reservation_continues(void **state)
{
    enum { N = 300 }; /* extents of 2 pages: 600 pages */
    gfn_t g[N], base = harness_alloc_gfn(d2);

    (void)state;
    for (unsigned int i = 1; i < 2 * N; i++)
        assert_int_equal(harness_alloc_gfn(d2), base + i);
    for (unsigned int i = 0; i < N; i++)
        g[i] = base + 2 * i;
    assert_int_equal(reservation(d2->vcpu[0], XENMEM_decrease_reservation, DOMID_SELF, g, N, 1), N);
    assert_int_equal(reservation_size(d2->vcpu[0], XENMEM_current_reservation, DOMID_SELF),
                     HARNESS_GUEST_PAGES - 2 * N);
    assert_int_equal(reservation(d2->vcpu[0], XENMEM_populate_physmap, DOMID_SELF, g, 1, 1), 1);
    assert_int_equal(reservation_size(d2->vcpu[0], XENMEM_current_reservation, DOMID_SELF),
                     HARNESS_GUEST_PAGES - 2 * N + 2);
}

/* ---- Grants ---------------------------------------------------------------------------- */

/* d's grant frame 0 mapped at a fresh gfn of its own; its entries as the guest sees them. */
static struct grant_entry_v1 *grant_entries(struct domain *d)
{
    gpaddr_t gpa;
    struct xen_add_to_physmap_64 *a = harness_guest_buf(d, &gpa);
    gfn_t at = harness_alloc_gfn(d);

    *a = (struct xen_add_to_physmap_64){
        .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0, .gpfn = at};
    assert_int_equal(hc(d->vcpu[0], __HYPERVISOR_memory_op, XENMEM_add_to_physmap, gpa, 0), 0);
    return harness_physmap_lookup(d, at);
}

static void grant(struct grant_entry_v1 *e, domid_t to, gfn_t frame, bool readonly)
{
    e->domid = to;
    e->frame = (uint32_t)frame;
    __atomic_store_n(&e->flags, GTF_permit_access | (readonly ? GTF_readonly : 0),
                     __ATOMIC_RELEASE);
}

/* A hole in d to map into (a page it gave back). */
static gfn_t hole(struct domain *d)
{
    gfn_t g = harness_alloc_gfn(d);

    assert_int_equal(reservation(d->vcpu[0], XENMEM_decrease_reservation, DOMID_SELF, &g, 1, 0), 1);
    return g;
}

static int16_t map(struct vcpu *v, domid_t dom, grant_ref_t ref, gfn_t at, uint32_t flags,
                   grant_handle_t *handle, uint64_t *bus)
{
    gpaddr_t gpa;
    struct gnttab_map_grant_ref *op = harness_guest_buf(v->domain, &gpa);

    *op = (struct gnttab_map_grant_ref){
        .host_addr = at << PAGE_SHIFT, .flags = flags, .ref = ref, .dom = dom, .status = 99};
    assert_int_equal(hc(v, __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, gpa, 1), 0);
    if (handle != NULL)
        *handle = op->handle;
    if (bus != NULL)
        *bus = op->dev_bus_addr;
    return op->status;
}

static int16_t unmap(struct vcpu *v, grant_handle_t handle, gfn_t at)
{
    gpaddr_t gpa;
    struct gnttab_unmap_grant_ref *op = harness_guest_buf(v->domain, &gpa);

    *op = (struct gnttab_unmap_grant_ref){
        .host_addr = at << PAGE_SHIFT, .handle = handle, .status = 99};
    assert_int_equal(hc(v, __HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, gpa, 1), 0);
    return op->status;
}

static void test_map_unmap(void **state)
{
    struct grant_entry_v1 *e = grant_entries(d1);
    gfn_t shared = harness_alloc_gfn(d1), at = hole(dom0), at2 = hole(d2);
    uint8_t *page = harness_gfn_to_va(d1, shared);
    grant_handle_t h, h2;
    uint64_t bus = 0;

    (void)state;
    grant(&e[8], 0, shared, false);
    strcpy((char *)page, "granted by d1");

    /* Bad requests, each with Xen's status. */
    assert_int_equal(map(dom0->vcpu[0], 1, 8, at, 0, NULL, NULL), GNTST_bad_gntref);
    assert_int_equal(map(dom0->vcpu[0], 1, 8, at, GNTMAP_host_map | GNTMAP_device_map, NULL, NULL),
                     GNTST_general_error);
    assert_int_equal(map(dom0->vcpu[0], 60, 8, at, GNTMAP_host_map, NULL, NULL), GNTST_bad_domain);
    assert_int_equal(map(dom0->vcpu[0], DOMID_SELF, 8, at, GNTMAP_host_map, NULL, NULL),
                     GNTST_bad_domain);
    assert_int_equal(map(dom0->vcpu[0], 1, 512, at, GNTMAP_host_map, NULL, NULL), GNTST_bad_gntref);
    assert_int_equal(map(dom0->vcpu[0], 1, 9, at, GNTMAP_host_map, NULL, NULL),
                     GNTST_general_error); /* entry 9 grants nothing */
    assert_int_equal(map(d2->vcpu[0], 1, 8, at2, GNTMAP_host_map, NULL, NULL),
                     GNTST_general_error); /* granted to dom0, not d2 */

    /* The mapping: the granted page at dom0's gfn, the granter told it is in use. */
    assert_int_equal(map(dom0->vcpu[0], 1, 8, at, GNTMAP_host_map, &h, &bus), GNTST_okay);
    assert_ptr_equal(harness_physmap_lookup(dom0, at), page);
    assert_int_equal(bus, (uint64_t)(uintptr_t)page);
    assert_int_equal(e[8].flags, GTF_permit_access | GTF_reading | GTF_writing);
    /* Not RAM of dom0's: hypervisor copies never go through it. */
    assert_null(arch_map_guest_frame(dom0, at));
    /* In use by dom0: d2 cannot take it even if the entry is changed to say d2. */
    e[8].domid = 2;
    assert_int_equal(map(d2->vcpu[0], 1, 8, at2, GNTMAP_host_map, NULL, NULL), GNTST_general_error);
    e[8].domid = 0;
    /* A second, read-only mapping of the same entry. */
    assert_int_equal(
        map(dom0->vcpu[0], 1, 8, hole(dom0), GNTMAP_host_map | GNTMAP_readonly, &h2, NULL),
        GNTST_okay);

    /* Unmapping: the wrong address fails and keeps it; host_addr 0 does nothing. */
    assert_int_equal(unmap(dom0->vcpu[0], h, at + 1), GNTST_general_error);
    assert_int_equal(unmap(dom0->vcpu[0], h, 0), GNTST_okay);
    assert_ptr_equal(harness_physmap_lookup(dom0, at), page);
    assert_int_equal(unmap(dom0->vcpu[0], h, at), GNTST_okay);
    assert_null(harness_physmap_lookup(dom0, at));
    assert_int_equal(e[8].flags, GTF_permit_access | GTF_reading); /* the r/o one remains */
    assert_int_equal(unmap(dom0->vcpu[0], h, at), GNTST_bad_handle);
    assert_int_equal(unmap(dom0->vcpu[0], 70000, at), GNTST_bad_handle);
    assert_int_equal(unmap(d2->vcpu[0], h2, at), GNTST_bad_handle); /* not d2's handle */

    /* Over a page dom0 still has: that frame goes into dom0's pool (one page fewer), and
     * a gfn already holding a grant mapping is refused. */
    {
        long before = reservation_size(dom0->vcpu[0], XENMEM_current_reservation, DOMID_SELF);
        gfn_t ram = harness_alloc_gfn(dom0);

        assert_int_equal(map(dom0->vcpu[0], 1, 8, ram, GNTMAP_host_map | GNTMAP_readonly, &h, NULL),
                         GNTST_okay);
        assert_int_equal(reservation_size(dom0->vcpu[0], XENMEM_current_reservation, DOMID_SELF),
                         before - 1);
        assert_int_equal(
            map(dom0->vcpu[0], 1, 8, ram, GNTMAP_host_map | GNTMAP_readonly, NULL, NULL),
            GNTST_general_error);
        assert_int_equal(unmap(dom0->vcpu[0], h, ram), GNTST_okay);
    }

    /* A read-only grant cannot be mapped writable. */
    grant(&e[10], 0, shared, true);
    assert_int_equal(map(dom0->vcpu[0], 1, 10, at, GNTMAP_host_map, NULL, NULL),
                     GNTST_general_error);
    assert_int_equal(map(dom0->vcpu[0], 1, 10, at, GNTMAP_host_map | GNTMAP_readonly, &h, NULL),
                     GNTST_okay);
    assert_int_equal(e[10].flags, GTF_permit_access | GTF_readonly | GTF_reading);
    assert_int_equal(unmap(dom0->vcpu[0], h, at), GNTST_okay);
    assert_int_equal(e[10].flags, GTF_permit_access | GTF_readonly);
}

/* A page the granter gave back is not handed out again while another domain maps it. */
static void test_mapped_frame_not_reused(void **state)
{
    struct grant_entry_v1 *e = grant_entries(d2);
    gfn_t shared = harness_alloc_gfn(d2), at = hole(dom0), again = 0x300000;
    grant_handle_t h;

    (void)state;
    grant(&e[8], 0, shared, false);
    assert_int_equal(map(dom0->vcpu[0], 2, 8, at, GNTMAP_host_map, &h, NULL), GNTST_okay);
    assert_int_equal(
        reservation(d2->vcpu[0], XENMEM_decrease_reservation, DOMID_SELF, &shared, 1, 0), 1);
    /* d2's pool holds that frame and those from test_reservation_continues: take them all. */
    for (unsigned int round = 0, done = 500; done == 500 && round < 4; round++) {
        gfn_t g[500];

        for (unsigned int n = 0; n < 500; n++)
            g[n] = 0x200000 + round * 500 + n;
        done =
            (unsigned int)reservation(d2->vcpu[0], XENMEM_populate_physmap, DOMID_SELF, g, 500, 0);
        for (unsigned int n = 0; n < done; n++)
            assert_ptr_not_equal(harness_physmap_lookup(d2, g[n]),
                                 harness_physmap_lookup(dom0, at));
    }
    assert_int_equal(unmap(dom0->vcpu[0], h, at), GNTST_okay);
    assert_int_equal(reservation(d2->vcpu[0], XENMEM_populate_physmap, DOMID_SELF, &again, 1, 0),
                     1);
}

static int16_t copy(struct vcpu *v, struct gnttab_copy_64 c)
{
    gpaddr_t gpa;
    struct gnttab_copy_64 *op = harness_guest_buf(v->domain, &gpa);

    *op = c;
    op->status = 99;
    assert_int_equal(hc(v, __HYPERVISOR_grant_table_op, GNTTABOP_copy, gpa, 1), 0);
    return op->status;
}

static void test_copy(void **state)
{
    struct grant_entry_v1 *e = grant_entries(dom0);
    gfn_t theirs = harness_alloc_gfn(dom0), mine = harness_alloc_gfn(d1);
    char *their_page = harness_gfn_to_va(dom0, theirs), *my_page = harness_gfn_to_va(d1, mine);
    struct gnttab_copy_64 c = {0};

    (void)state;
    grant(&e[20], 1, theirs, false);
    grant(&e[21], 1, theirs, true);
    strcpy(my_page + 100, "copied in");
    c.source.u.gmfn = mine, c.source.domid = DOMID_SELF, c.source.offset = 100;
    c.dest.u.ref = 20, c.dest.domid = 0, c.dest.offset = 8;
    c.len = 10, c.flags = GNTCOPY_dest_gref;
    assert_int_equal(copy(d1->vcpu[0], c), GNTST_okay);
    assert_string_equal(their_page + 8, "copied in");
    assert_int_equal(e[20].flags, GTF_permit_access); /* pinned only during the copy */

    c.dest.u.ref = 21; /* read-only grant: no copying into it */
    assert_int_equal(copy(d1->vcpu[0], c), GNTST_general_error);
    c.dest.u.ref = 20;
    c.dest.offset = PAGE_SIZE - 4; /* past the end of the page */
    assert_int_equal(copy(d1->vcpu[0], c), GNTST_bad_copy_arg);
    c.dest.offset = 8;
    c.source.domid = 0; /* a frame of another domain, not by grant */
    assert_int_equal(copy(d1->vcpu[0], c), GNTST_permission_denied);
    c.source.domid = DOMID_SELF;
    c.dest.domid = 50;
    assert_int_equal(copy(d1->vcpu[0], c), GNTST_bad_domain);

    /* And out of a read-only grant into the caller's own frame. */
    c = (struct gnttab_copy_64){0};
    c.source.u.ref = 21, c.source.domid = 0, c.source.offset = 8;
    c.dest.u.gmfn = mine, c.dest.domid = DOMID_SELF, c.dest.offset = 0;
    c.len = 10, c.flags = GNTCOPY_source_gref;
    assert_int_equal(copy(d1->vcpu[0], c), GNTST_okay);
    assert_string_equal(my_page, "copied in");
}

/* A granter's reboot takes every mapping of its pages away; the handle is then only freed. */
static void test_granter_reset_revokes(void **state)
{
    struct grant_entry_v1 *e = grant_entries(d1);
    gfn_t shared = harness_alloc_gfn(d1), at = hole(dom0);
    grant_handle_t h;

    (void)state;
    grant(&e[30], 0, shared, false);
    assert_int_equal(map(dom0->vcpu[0], 1, 30, at, GNTMAP_host_map, &h, NULL), GNTST_okay);
    domain_reset(d1);
    assert_int_equal(arch_domain_rebuild(d1), 0);
    assert_null(harness_physmap_lookup(dom0, at));
    assert_int_equal(unmap(dom0->vcpu[0], h, at), GNTST_okay);
    assert_int_equal(unmap(dom0->vcpu[0], h, at), GNTST_bad_handle);
}

/* A mapping domain's reboot drops its pins: the granter sees its page free again. */
static void test_mapper_reset_releases(void **state)
{
    struct grant_entry_v1 *e = grant_entries(dom0);
    gfn_t shared = harness_alloc_gfn(dom0), at = hole(d2);

    (void)state;
    grant(&e[40], 2, shared, false);
    assert_int_equal(map(d2->vcpu[0], 0, 40, at, GNTMAP_host_map, NULL, NULL), GNTST_okay);
    assert_int_equal(e[40].flags, GTF_permit_access | GTF_reading | GTF_writing);
    domain_reset(d2);
    assert_int_equal(arch_domain_rebuild(d2), 0);
    assert_int_equal(e[40].flags, GTF_permit_access);
    /* The entry is free for another domain now. */
    e[40].domid = 1;
    assert_int_equal(map(d1->vcpu[0], 0, 40, hole(d1), GNTMAP_host_map, NULL, NULL), GNTST_okay);
}

/* The mapping domain's bookkeeping is charged to it: out of heap, GNTST_no_space. */
static void test_maptrack_charged(void **state)
{
    (void)state;
    harness_reset();
    dom0 = harness_domain(0, 1, true, &guest_layout_arm);
    d1 = harness_domain(1, 1, false, &guest_layout_arm);
    {
        struct grant_entry_v1 *e = grant_entries(d1);
        gfn_t shared = harness_alloc_gfn(d1), at = hole(dom0);

        grant(&e[8], 0, shared, false);
        (void)grant_entries(dom0); /* dom0's table exists: only the maptrack is allocated */
        harness_fail_next_allocs(1);
        assert_int_equal(map(dom0->vcpu[0], 1, 8, at, GNTMAP_host_map, NULL, NULL), GNTST_no_space);
        assert_int_equal(e[8].flags, GTF_permit_access);
    }
}

/* A 1:1 domain (Xen's dom0 on Arm) gets only a gfn's own frame back, and never elsewhere. */
static void test_direct_mapped_populate(void **state)
{
    struct domain *dm;
    gfn_t g[2], other;
    void *home;

    (void)state;
    harness_direct_mapped[5] = true;
    dm = harness_domain(5, 1, false, &guest_layout_arm);
    assert_non_null(dm);
    g[0] = harness_alloc_gfn(dm);
    g[1] = harness_alloc_gfn(dm);
    home = harness_gfn_to_va(dm, g[0]);
    assert_int_equal(reservation(dm->vcpu[0], XENMEM_decrease_reservation, DOMID_SELF, g, 2, 0), 2);
    other = g[1] + 0x1000; /* no frame was built there: nothing to put back */
    assert_int_equal(reservation(dm->vcpu[0], XENMEM_populate_physmap, DOMID_SELF, &other, 1, 0),
                     0);
    assert_int_equal(reservation(dm->vcpu[0], XENMEM_populate_physmap, DOMID_SELF, g, 1, 0), 1);
    assert_ptr_equal(arch_map_guest_frame(dm, g[0]), home);
    harness_direct_mapped[5] = false;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reservation),
        cmocka_unit_test(test_reservation_continues),
        cmocka_unit_test(test_map_unmap),
        cmocka_unit_test(test_mapped_frame_not_reused),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_granter_reset_revokes),
        cmocka_unit_test(test_mapper_reset_releases),
        cmocka_unit_test(test_maptrack_charged),
        cmocka_unit_test(test_direct_mapped_populate),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
