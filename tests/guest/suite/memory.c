/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The memory ops Linux's balloon driver uses, run by role=peer (a dom0less domU: on Xen/Arm
 * dom0 is mapped 1:1 and cannot take a page it gave back again). A page of our own is
 * given back (decrease_reservation) and taken again (populate_physmap), the reservation
 * counted around it; the errors Xen gives for a hole, an impossible order, another domain.
 * Ten results whatever the hypervisor answers; a hypervisor without these ops (-ENOSYS)
 * gets SKIPs.
 */
#include "xtest.h"

#define MEMORY_RESULTS 10
#define NO_SUCH_DOMAIN 0x7000

static uint8_t balloon_page[4096] __attribute__((aligned(4096)));
static uint8_t hole_page[4096] __attribute__((aligned(4096)));

/* A reservation op on our own frames: extents done (Xen never returns an error here). */
static long reservation(unsigned int op, void *page, uint32_t order)
{
    xen_pfn_t gfn = arch_gfn(page);
    struct xen_memory_reservation r = {.nr_extents = 1, .extent_order = order, .domid = DOMID_SELF};

    r.extent_start.p = (uintptr_t)&gfn;
    return hc_memory(op, &r);
}

static long reservation_size(unsigned int op, domid_t dom)
{
    domid_t id = dom;

    return hc_memory(op, &id);
}

void area_memory(void)
{
    long cur = reservation_size(XENMEM_current_reservation, DOMID_SELF), now, rc;
    long max = reservation_size(XENMEM_maximum_reservation, DOMID_SELF);
    struct xen_remove_from_physmap rm = {.domid = DOMID_SELF};

    tap_diag("area: memory reservation (the balloon's ops)");
    if (cur == -XEN_ENOSYS) {
        for (unsigned int i = 0; i < MEMORY_RESULTS; i++)
            tap_skip(SKIP_ENOSYS, "memory reservation op %u", i + 1);
        return;
    }
    tap_ok(cur > 0 && max >= cur, "current_reservation %ld pages, maximum_reservation %ld", cur,
           max);

    balloon_page[0] = 0x5a;
    rc = reservation(XENMEM_decrease_reservation, balloon_page, 0);
    now = reservation_size(XENMEM_current_reservation, DOMID_SELF);
    tap_ok(rc == 1 && now == cur - 1,
           "decrease_reservation(one page) -> 1 extent, %ld -> %ld pages", cur, now);
    rc = reservation(XENMEM_decrease_reservation, balloon_page, 0);
    tap_eq(rc, 0, "decrease_reservation of the same gfn again -> 0 extents (nothing there)");
    rc = reservation(XENMEM_populate_physmap, balloon_page, 0);
    now = reservation_size(XENMEM_current_reservation, DOMID_SELF);
    tap_ok(rc == 1 && now == cur, "populate_physmap(that gfn) -> 1 extent, %ld pages again", now);
    if (rc == 1) {
        balloon_page[100] = 0xa5;
        tap_ok(balloon_page[100] == 0xa5, "the new page is ours to read and write");
    } else {
        tap_ok(false, "the new page is ours to read and write (not populated)");
    }
    rc = reservation(XENMEM_decrease_reservation, balloon_page, 30);
    tap_eq(rc, 0, "decrease_reservation with extent_order 30 -> 0 extents (past the max order)");

    /* A hole: remove_from_physmap there is ENOENT; populated again afterwards. */
    rc = reservation(XENMEM_decrease_reservation, hole_page, 0);
    rm.gpfn = arch_gfn(hole_page);
    rc = rc == 1 ? hc_memory(XENMEM_remove_from_physmap, &rm) : -9999;
    expect_rc(rc, -XEN_ENOENT, "remove_from_physmap(a gfn given back)");
    rc = reservation(XENMEM_populate_physmap, hole_page, 0);
    tap_eq(rc, 1, "populate_physmap fills the hole again");

    expect_rc(reservation_size(XENMEM_current_reservation, NO_SUCH_DOMAIN), -XEN_ESRCH,
              "current_reservation(no such domain)");
    tap_eq(hc_memory(XENMEM_get_sharing_freed_pages, NULL), 0,
           "get_sharing_freed_pages -> 0 (no memory sharing)");
}
