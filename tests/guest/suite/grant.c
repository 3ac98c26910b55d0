/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Grant tables. area_grant: the version ops, as Linux asks at boot (it tries set_version and keeps
 * version 1 when it cannot have 2). Xen/Arm tables have max_version 1: set_version(2) is
 * ENOSYS there, as on minixen (both ports); Xen/x86 allows 2, so on x86 the suite takes
 * either answer and, having 2, goes back to 1. Any other version is EINVAL; the version in
 * use is written back whatever the outcome. get_version answers for the caller, or ESRCH
 * for a domain that does not exist.
 *
 * Sharing a page (grant_offer in role=peer, area_grant_map in the main role): the peer
 * maps its grant-table frame 0, fills a page and grants it to the main domain as ref
 * GRANT_REF before it starts echoing; once the peer answers (area_interdomain), the main
 * domain gives back a page of its own (as Linux's gntdev does) and maps the grant there,
 * reads the peer's bytes, writes its own, unmaps, and copies them back out with
 * GNTTABOP_copy: the bytes went to the peer's page. That hole stays a hole: Xen/Arm's dom0
 * is mapped 1:1 and could not fill it again.
 */
#include "xtest.h"

#include <public/grant_table.h>

#define NO_SUCH_DOMAIN 0x7000 /* below DOMID_FIRST_RESERVED, never created here */

static long set_version(uint32_t *version)
{
    struct gnttab_set_version sv = {.version = *version};
    long rc = arch_hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_set_version,
                             (unsigned long)(uintptr_t)&sv, 1, 0, 0);

    *version = sv.version;
    return rc;
}

static long get_version(domid_t dom, uint32_t *version)
{
    struct gnttab_get_version gv = {.dom = dom, .version = 0xdead};
    long rc = arch_hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_get_version,
                             (unsigned long)(uintptr_t)&gv, 1, 0, 0);

    *version = gv.version;
    return rc;
}

void area_grant(void)
{
    bool x86 = strncmp(arch_name(), "x86", 3) == 0;
    uint32_t v = 0;
    long rc;

    tap_diag("area: grant table version (GNTTABOP_get_version, set_version)");
    rc = get_version(DOMID_SELF, &v);
    tap_ok(rc == 0 && v == 1, "grant get_version(self) -> 0, version 1: %s, %u", xen_errname(rc),
           v);
    v = 1;
    rc = set_version(&v);
    tap_ok(rc == 0 && v == 1, "grant set_version(1) -> 0, version 1: %s, %u", xen_errname(rc), v);
    v = 3;
    rc = set_version(&v);
    tap_ok(rc == -XEN_EINVAL && v == 1,
           "grant set_version(3) -> EINVAL, the version in use (1) written back: %s, %u",
           xen_errname(rc), v);
    v = 2;
    rc = set_version(&v);
    if (x86 && rc == 0 && v == 2) {
        uint32_t back = 1;
        long rc1 = set_version(&back);

        tap_ok(rc1 == 0 && back == 1,
               "grant set_version(2) on x86 -> 0 (Xen/x86 allows version 2), and back to 1: "
               "%s, %u",
               xen_errname(rc1), back);
    } else {
        tap_ok(rc == -XEN_ENOSYS && v == 1,
               "grant set_version(2) -> ENOSYS, version 1 kept (max version 1: Xen/Arm, "
               "minixen): %s, %u",
               xen_errname(rc), v);
    }
    rc = get_version(NO_SUCH_DOMAIN, &v);
    tap_ok(rc == -XEN_ESRCH, "grant get_version(d%u, no such domain) -> ESRCH: %s", NO_SUCH_DOMAIN,
           xen_errname(rc));
}

#define GRANT_REF         8 /* the first entry not reserved for the toolstack */
#define GRANT_MAP_RESULTS 7

static const char peer_bytes[] = "the peer's granted page";
static const char main_bytes[] = "written by the main domain";

static uint8_t gnttab_frame[4096] __attribute__((aligned(4096))); /* the peer's frame 0 */
static uint8_t granted_page[4096] __attribute__((aligned(4096)));
static uint8_t map_hole[4096] __attribute__((aligned(4096))); /* the main domain's */
static uint8_t copy_buf[4096] __attribute__((aligned(4096)));

void grant_offer(void)
{
    struct xen_add_to_physmap xatp = {.domid = DOMID_SELF,
                                      .space = XENMAPSPACE_grant_table,
                                      .idx = 0,
                                      .gpfn = arch_gfn(gnttab_frame)};
    struct grant_entry_v1 *e = (struct grant_entry_v1 *)gnttab_frame;
    long rc = hc_memory(XENMEM_add_to_physmap, &xatp);

    if (rc != 0) {
        tap_diag("grant offer: mapping grant frame 0 failed (%s)", xen_errname(rc));
        return;
    }
    memcpy(granted_page, peer_bytes, sizeof(peer_bytes));
    e[GRANT_REF].domid = xt.peer;
    e[GRANT_REF].frame = (uint32_t)arch_gfn(granted_page);
    __atomic_store_n(&e[GRANT_REF].flags, GTF_permit_access, __ATOMIC_RELEASE);
}

static int16_t map_ref(grant_ref_t ref, uint32_t flags, grant_handle_t *handle)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = (uintptr_t)map_hole, .flags = flags, .ref = ref, .dom = xt.peer, .status = 99};
    long rc = arch_hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref,
                             (unsigned long)(uintptr_t)&op, 1, 0, 0);

    *handle = op.handle;
    return rc != 0 ? (int16_t)-100 : op.status;
}

static int16_t unmap_handle(grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = {
        .host_addr = (uintptr_t)map_hole, .handle = handle, .status = 99};
    long rc = arch_hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref,
                             (unsigned long)(uintptr_t)&op, 1, 0, 0);

    return rc != 0 ? (int16_t)-100 : op.status;
}

void area_grant_map(void)
{
    xen_pfn_t gfn = arch_gfn(map_hole);
    struct xen_memory_reservation r = {.nr_extents = 1, .domid = DOMID_SELF};
    struct gnttab_copy c = {0};
    grant_handle_t h = 0, h2 = 0;
    int16_t st;
    long rc;

    tap_diag("area: sharing a page with the peer (GNTTABOP_map_grant_ref, unmap, copy)");
    if (!xt.have_peer) {
        for (unsigned int i = 0; i < GRANT_MAP_RESULTS; i++)
            tap_skip("no peer domain", "grant map result %u", i + 1);
        return;
    }
    r.extent_start.p = (uintptr_t)&gfn;
    rc = hc_memory(XENMEM_decrease_reservation, &r);
    if (rc != 1) {
        for (unsigned int i = 0; i < GRANT_MAP_RESULTS; i++)
            tap_skip(SKIP_ENOSYS, "grant map result %u (no page to map into: %s)", i + 1,
                     xen_errname(rc));
        return;
    }
    st = map_ref(GRANT_REF, GNTMAP_host_map, &h);
    tap_eq(st, GNTST_okay, "map_grant_ref(the peer's ref %u) at a page given back -> okay",
           GRANT_REF);
    if (st == GNTST_okay) {
        tap_ok(memcmp(map_hole, peer_bytes, sizeof(peer_bytes)) == 0,
               "the mapped page holds the peer's bytes");
        memcpy(map_hole, main_bytes, sizeof(main_bytes));
    } else {
        tap_ok(false, "the mapped page holds the peer's bytes (not mapped)");
    }
    tap_eq(unmap_handle(h), GNTST_okay, "unmap_grant_ref -> okay");
    tap_eq(unmap_handle(h), GNTST_bad_handle, "unmap_grant_ref of that handle again -> bad_handle");
    tap_eq(map_ref(GRANT_REF + 1, GNTMAP_host_map, &h2), GNTST_general_error,
           "map_grant_ref of an entry the peer never granted -> general_error");

    /* The bytes we wrote are in the peer's page: copy them out of it by grant. */
    c.source.u.ref = GRANT_REF;
    c.source.domid = xt.peer;
    c.dest.u.gmfn = arch_gfn(copy_buf);
    c.dest.domid = DOMID_SELF;
    c.len = sizeof(main_bytes);
    c.flags = GNTCOPY_source_gref;
    rc = arch_hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_copy, (unsigned long)(uintptr_t)&c, 1,
                        0, 0);
    tap_ok(rc == 0 && c.status == GNTST_okay &&
               memcmp(copy_buf, main_bytes, sizeof(main_bytes)) == 0,
           "GNTTABOP_copy out of the peer's page -> okay, our bytes: %s, status %d",
           xen_errname(rc), c.status);
    st = map_ref(GRANT_REF, GNTMAP_host_map | GNTMAP_readonly, &h2);
    tap_ok(st == GNTST_okay && unmap_handle(h2) == GNTST_okay,
           "a read-only mapping of the same grant, and its unmap -> okay: %d", st);
}
