/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HYPERVISOR_memory_op(cmd, arg): XENMEM_add_to_physmap for the two hypervisor-owned
 * pages a guest maps at boot, its shared_info and its grant-table frames (Xen 4.17
 * xen/common/memory.c, xen/arch/arm/mm.c xenmem_add_to_physmap_one). Everything else is
 * -ENOSYS: minixen guests have their memory from the start and never balloon.
 */
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/guest_kind.h>
#include <xen/hypercall.h>
#include <public/memory.h>

/* The low 6 bits of cmd are the op, the rest a continuation's progress (Xen's layout). */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK     ((1u << MEMOP_EXTENT_SHIFT) - 1)

/* The add_to_physmap fields we use, from either layout. */
struct physmap_args {
    domid_t domid;
    uint32_t space;
    uint64_t idx;
    gfn_t gpfn;
};

static int copy_physmap_args(struct vcpu *curr, gpaddr_t arg, struct physmap_args *p)
{
    struct domain *d = curr->domain;

    if (guest_kind_of(d)->compat32) {
        struct xen_add_to_physmap_x86_32 a;

        if (arch_copy_from_guest(d, &a, arg, sizeof(a)) != 0)
            return -EFAULT;
        *p = (struct physmap_args){a.domid, a.space, a.idx, a.gpfn};
    } else {
        struct xen_add_to_physmap_64 a;

        if (arch_copy_from_guest(d, &a, arg, sizeof(a)) != 0)
            return -EFAULT;
        *p = (struct physmap_args){a.domid, a.space, a.idx, a.gpfn};
    }
    return 0;
}

static long add_to_physmap(struct vcpu *curr, gpaddr_t arg, unsigned long start_extent)
{
    struct physmap_args a;
    struct domain *d;
    void *page;
    int rc;

    if (start_extent > 0xffff) /* continuation state that cannot be ours (Xen: -EDOM) */
        return -XEN_EDOM;
    rc = copy_physmap_args(curr, arg, &a);
    if (rc != 0)
        return rc;
    if (a.space == XENMAPSPACE_gmfn_foreign)
        return -ENOSYS; /* only through add_to_physmap_batch, as on Xen */
    rc = domain_for_caller(curr->domain, a.domid, &d);
    if (rc != 0)
        return rc;

    switch (a.space) {
    case XENMAPSPACE_shared_info:
        if (a.idx != 0)
            return -EINVAL;
        return arch_guest_physmap_add_page(d, a.gpfn, d->shared_info);
    case XENMAPSPACE_grant_table:
        rc = gnttab_get_frame(d, a.idx, &page);
        if (rc == 0)
            rc = arch_guest_physmap_add_page(d, a.gpfn, page);
        if (rc == 0)
            gnttab_set_frame_gfn(d, a.idx, a.gpfn);
        return rc;
    default:
        return -ENOSYS; /* gmfn, gmfn_range, dev_mmio: not offered */
    }
}

/* args: cmd (op | progress << 6), guest address of the op's struct. */
long hypercall_memory_op(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS])
{
    unsigned long cmd = args[0];

    switch (cmd & MEMOP_CMD_MASK) {
    case XENMEM_add_to_physmap:
        return add_to_physmap(curr, args[1], cmd >> MEMOP_EXTENT_SHIFT);
    default:
        return -ENOSYS;
    }
}
