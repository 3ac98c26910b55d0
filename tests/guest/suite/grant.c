/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The grant table's version ops, as Linux asks at boot (it tries set_version and keeps
 * version 1 when it cannot have 2). Xen/Arm tables have max_version 1: set_version(2) is
 * ENOSYS there, as on minixen (both ports); Xen/x86 allows 2, so on x86 the suite takes
 * either answer and, having 2, goes back to 1. Any other version is EINVAL; the version in
 * use is written back whatever the outcome. get_version answers for the caller, or ESRCH
 * for a domain that does not exist.
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
    bool x86 = strcmp(arch_name(), "x86_64") == 0;
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
