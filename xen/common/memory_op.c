/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HYPERVISOR_memory_op(cmd, arg), with Xen 4.17's semantics (xen/common/memory.c,
 * xen/arch/arm/mm.c):
 * - add_to_physmap for the two hypervisor-owned pages a guest maps, its shared_info and
 *   its grant-table frames;
 * - the balloon's ops: decrease_reservation, populate_physmap, increase_reservation,
 *   current_reservation, maximum_reservation, remove_from_physmap, and
 *   get_sharing_freed_pages (always 0: no memory sharing). A domain's reservation is the
 *   RAM it was built with (<xen/physmap.h>): what it gives back it can take again, never
 *   more. On a port whose guest RAM map cannot change (physmap_supported), the ops that
 *   change it are -ENOSYS.
 * Everything else is -ENOSYS.
 */
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/guest_kind.h>
#include <xen/hypercall.h>
#include <xen/physmap.h>
#include <public/memory.h>

/* The low 6 bits of cmd are the op, the rest a continuation's progress (Xen's layout). */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK     ((1u << MEMOP_EXTENT_SHIFT) - 1)

/*
 * Largest extent order a domain may ask for (Xen's CONFIG_DOMU_MAX_ORDER and
 * CONFIG_HWDOM_MAX_ORDER): 2 MiB for a domU, 16 MiB for the privileged domain.
 */
#define DOMU_MAX_ORDER  9
#define HWDOM_MAX_ORDER 12

/* Pages one call changes before it continues itself (-ERESTART), so it stays short. */
#define MEMOP_PAGES_PER_CALL 512u

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

    if (hypercall_compat32(curr)) {
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
        return arch_guest_physmap_set(d, a.gpfn, d->shared_info, PHYSMAP_HYP_PAGE);
    case XENMAPSPACE_grant_table:
        rc = gnttab_get_frame(d, a.idx, &page);
        if (rc == 0)
            rc = arch_guest_physmap_set(d, a.gpfn, page, PHYSMAP_HYP_PAGE);
        if (rc == 0)
            gnttab_set_frame_gfn(d, a.idx, a.gpfn);
        return rc;
    default:
        return -ENOSYS; /* gmfn, gmfn_range, dev_mmio: not offered */
    }
}

/* The reservation fields we use, from either layout. */
struct reservation_args {
    gpaddr_t extent_start;
    uint64_t nr_extents;
    uint32_t extent_order, mem_flags;
    domid_t domid;
    unsigned int pfn_size; /* bytes of one xen_pfn_t in extent_start */
};

static int copy_reservation(struct vcpu *curr, gpaddr_t arg, struct reservation_args *r)
{
    struct domain *cd = curr->domain;

    if (hypercall_compat32(curr)) {
        struct xen_memory_reservation_x86_32 a;

        if (arch_copy_from_guest(cd, &a, arg, sizeof(a)) != 0)
            return -EFAULT;
        *r = (struct reservation_args){a.extent_start.p, a.nr_extents, a.extent_order,
                                       a.mem_flags,      a.domid,      4};
    } else {
        struct xen_memory_reservation_64 a;

        if (arch_copy_from_guest(cd, &a, arg, sizeof(a)) != 0)
            return -EFAULT;
        *r = (struct reservation_args){a.extent_start.p, a.nr_extents, a.extent_order,
                                       a.mem_flags,      a.domid,      8};
    }
    return 0;
}

/* Entry i of the caller's extent list. */
static int read_extent(struct domain *cd, const struct reservation_args *r, uint64_t i, gfn_t *gfn)
{
    uint64_t v = 0;

    if (arch_copy_from_guest(cd, &v, r->extent_start + i * r->pfn_size, r->pfn_size) != 0)
        return -EFAULT;
    *gfn = v; /* little-endian: a 4-byte entry fills the low half */
    return 0;
}

/* One extent of 2^order pages from gfn; false stops the call (Xen: "goto out"). */
static bool do_extent(struct domain *d, unsigned int op, gfn_t gfn, uint32_t order)
{
    for (uint64_t j = 0; j < (1ull << order); j++) {
        int rc;

        switch (op) {
        case XENMEM_decrease_reservation:
            rc = physmap_give_back(d, gfn + j);
            break;
        case XENMEM_populate_physmap:
            rc = physmap_populate(d, gfn + j);
            break;
        default: /* XENMEM_increase_reservation: pages owned, mapped nowhere */
            rc = physmap_claim(d);
            break;
        }
        /* Pages of the extent already done stay done, as on Xen. */
        if (rc != 0)
            return false;
    }
    return true;
}

/*
 * increase_reservation, decrease_reservation, populate_physmap: the number of extents
 * done (start_extent counts those done before a continuation); never an error code once
 * the op is known, as on Xen.
 */
static long reservation_op(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS],
                           unsigned int op, uint64_t start_extent)
{
    struct domain *cd = curr->domain, *d;
    struct reservation_args r;
    uint64_t i, pages = 0;
    uint32_t max_order = cd->is_privileged ? HWDOM_MAX_ORDER : DOMU_MAX_ORDER;

    if (copy_reservation(curr, args[1], &r) != 0)
        return (long)start_extent;
    /* Too many to encode a continuation, or a continuation past the end. */
    if (r.nr_extents > (UINT32_MAX >> MEMOP_EXTENT_SHIFT) || start_extent >= r.nr_extents)
        return (long)start_extent;
    if (domain_for_caller(cd, r.domid, &d) != 0)
        return (long)start_extent;
    if (!physmap_supported(d))
        return -ENOSYS;
    /* An address width the pages could not meet (bits 1..12) is refused, as on Xen. */
    if (XENMEMF_get_address_bits(r.mem_flags) != 0 &&
        XENMEMF_get_address_bits(r.mem_flags) <= PAGE_SHIFT)
        return (long)start_extent;
    if (r.extent_order > max_order)
        return (long)start_extent;

    for (i = start_extent; i < r.nr_extents; i++) {
        gfn_t gfn = 0;

        if (pages >= MEMOP_PAGES_PER_CALL) {
            args[0] = op | (unsigned long)i << MEMOP_EXTENT_SHIFT;
            return -ERESTART;
        }
        /* increase_reservation's list is only written for PV guests: never read here. */
        if (op != XENMEM_increase_reservation && read_extent(cd, &r, i, &gfn) != 0)
            break;
        if (!do_extent(d, op, gfn, r.extent_order))
            break;
        pages += 1ull << r.extent_order;
    }
    return (long)i;
}

/* current_reservation, maximum_reservation: arg points at a domid_t. */
static long reservation_size(struct vcpu *curr, gpaddr_t arg, unsigned int op)
{
    struct domain *d;
    domid_t id;
    int rc;

    if (arch_copy_from_guest(curr->domain, &id, arg, sizeof(id)) != 0)
        return -EFAULT;
    rc = domain_for_caller(curr->domain, id, &d);
    if (rc != 0)
        return rc;
    if (!physmap_supported(d))
        return -ENOSYS;
    return (long)(op == XENMEM_current_reservation ? physmap_tot_pages(d) : physmap_max_pages(d));
}

/*
 * remove_from_physmap: whatever page of d's is at gpfn goes (Xen: -ENOENT when none):
 * one of its RAM frames (back into its pool), its shared_info or a grant-table frame.
 * Grant mappings have to go through unmap_grant_ref (-ENOENT here, as on Xen).
 */
static long remove_from_physmap(struct vcpu *curr, gpaddr_t arg)
{
    struct domain *cd = curr->domain, *d;
    domid_t domid;
    gfn_t gfn;
    void *page;
    int rc;

    if (hypercall_compat32(curr)) {
        struct xen_remove_from_physmap_x86_32 a;

        if (arch_copy_from_guest(cd, &a, arg, sizeof(a)) != 0)
            return -EFAULT;
        domid = a.domid, gfn = a.gpfn;
    } else {
        struct xen_remove_from_physmap_64 a;

        if (arch_copy_from_guest(cd, &a, arg, sizeof(a)) != 0)
            return -EFAULT;
        domid = a.domid, gfn = a.gpfn;
    }
    rc = domain_for_caller(cd, domid, &d);
    if (rc != 0)
        return rc;
    if (!physmap_supported(d))
        return -ENOSYS;
    switch (arch_guest_physmap_query(d, gfn, &page)) {
    case PHYSMAP_RAM:
        return physmap_give_back(d, gfn);
    case PHYSMAP_HYP_PAGE:
        rc = arch_guest_physmap_clear(d, gfn);
        if (rc == 0)
            gnttab_forget_frame_gfn(d, gfn);
        return rc;
    default:
        return -ENOENT;
    }
}

/* args: cmd (op | progress << 6), guest address of the op's struct. */
long hypercall_memory_op(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS])
{
    unsigned long cmd = args[0];
    unsigned int op = cmd & MEMOP_CMD_MASK;

    switch (op) {
    case XENMEM_add_to_physmap:
        return add_to_physmap(curr, args[1], cmd >> MEMOP_EXTENT_SHIFT);
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return reservation_op(curr, args, op, cmd >> MEMOP_EXTENT_SHIFT);
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
        return (cmd >> MEMOP_EXTENT_SHIFT) != 0 ? -EINVAL : reservation_size(curr, args[1], op);
    case XENMEM_remove_from_physmap:
        return (cmd >> MEMOP_EXTENT_SHIFT) != 0 ? -EINVAL : remove_from_physmap(curr, args[1]);
    case XENMEM_get_sharing_freed_pages:
    case XENMEM_get_sharing_shared_pages:
        return 0; /* no memory sharing (Xen/Arm answers 0 too) */
    default:
        return -ENOSYS;
    }
}
