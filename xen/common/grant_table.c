/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HYPERVISOR_grant_table_op(cmd, uop, count): GNTTABOP_setup_table, query_size,
 * set_version and get_version here, map_grant_ref and unmap_grant_ref in grant_map.c,
 * copy in grant_copy.c, with Xen 4.17's checks and status codes (xen/common/
 * grant_table.c); every other op is -ENOSYS. Version 1 only, as on Xen/Arm,
 * whose tables have max_version 1: set_version(2) is -ENOSYS there too. The table of a
 * domain and its frames are allocated when first needed; its size as guests see it starts
 * at one frame, as on Xen, and grows up to GNTTAB_MAX_FRAMES. Auto-translated guests
 * (every minixen guest) map the frames with XENMEM_add_to_physmap (memory_op.c), which
 * records where each one went.
 *
 * The table and its frames belong to the domain they serve and are charged to it
 * (domain_xzalloc_bytes), whoever asked: only a privileged caller can grow another
 * domain's table, and the charge must be given back by the owner's destroy. Past the
 * budget, setup_table says GNTST_general_error and add_to_physmap -EINVAL, as Xen does when
 * gnttab_grow_table fails.
 */
#include <xen/alloc.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/guest_kind.h>
#include <xen/hypercall.h>
#include <xen/nospec.h>
#include <xen/physmap.h>
#include <public/grant_table.h>

#include "grant_private.h"

/* cmd's low 12 bits are the op; the rest is continuation state only cache_flush uses. */
#define GNTTABOP_CMD_MASK 0xfffu

struct grant_table *gnttab_table_of(struct domain *d)
{
    struct grant_table *gt = __atomic_load_n(&d->grant_table, __ATOMIC_ACQUIRE), *none = NULL;
    unsigned int i;

    if (gt != NULL)
        return gt;
    gt = domain_xzalloc(d, struct grant_table);
    if (gt == NULL)
        return NULL;
    gt->lock = (spinlock_t)SPINLOCK_INIT;
    gt->maptrack_lock = (spinlock_t)SPINLOCK_INIT;
    gt->nr_frames = GNTTAB_INITIAL_FRAMES;
    for (i = 0; i < GNTTAB_MAX_FRAMES; i++)
        gt->gfn[i] = GNTTAB_NO_GFN;
    if (!__atomic_compare_exchange_n(&d->grant_table, &none, gt, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        domain_xfree(d, gt); /* another vCPU made it first */
        gt = none;
    }
    return gt;
}

struct grant_entry_v1 *gnttab_shared_entry(struct grant_table *gt, grant_ref_t ref)
{
    uint32_t f = ref / GNTTAB_ENTRIES_PER_FRAME;

    if (f >= gt->nr_frames || f >= GNTTAB_MAX_FRAMES)
        return NULL;
    f = array_index_nospec(f, GNTTAB_MAX_FRAMES);
    if (gt->frame[f] == NULL)
        return NULL; /* never grown: an all-zero (invalid) entry as far as guests know */
    return (struct grant_entry_v1 *)gt->frame[f] + ref % GNTTAB_ENTRIES_PER_FRAME;
}

/* Make frames 0..nr-1 exist and the table at least nr frames large (gt->lock held). */
static int grow(struct domain *d, struct grant_table *gt, uint32_t nr)
{
    uint32_t i;

    for (i = 0; i < nr; i++) {
        if (gt->frame[i] == NULL)
            gt->frame[i] = domain_xzalloc_bytes(d, PAGE_SIZE);
        if (gt->frame[i] == NULL)
            return -ENOMEM; /* the size stays what it was: frames made so far are kept */
    }
    if (nr > gt->nr_frames)
        __atomic_store_n(&gt->nr_frames, nr, __ATOMIC_RELAXED); /* query_size reads it unlocked */
    return 0;
}

int gnttab_get_frame(struct domain *d, uint64_t idx, void **page)
{
    struct grant_table *gt = gnttab_table_of(d);
    unsigned long flags;
    int rc = -EINVAL;

    if (gt == NULL)
        return -ENOMEM;
    if (idx >= GNTTAB_MAX_FRAMES)
        return -EINVAL; /* also every v2 status-frame index (XENMAPIDX_grant_table_status) */
    idx = array_index_nospec((uint32_t)idx, GNTTAB_MAX_FRAMES);
    flags = spin_lock_irqsave(&gt->lock);
    if (grow(d, gt, (uint32_t)idx + 1) == 0) {
        *page = gt->frame[idx];
        rc = 0;
    }
    spin_unlock_irqrestore(&gt->lock, flags);
    return rc;
}

void gnttab_set_frame_gfn(struct domain *d, uint64_t idx, gfn_t gfn)
{
    struct grant_table *gt = gnttab_table_of(d);
    unsigned long flags;

    if (gt == NULL || idx >= GNTTAB_MAX_FRAMES)
        return;
    flags = spin_lock_irqsave(&gt->lock);
    gt->gfn[array_index_nospec((uint32_t)idx, GNTTAB_MAX_FRAMES)] = gfn;
    spin_unlock_irqrestore(&gt->lock, flags);
}

void gnttab_forget_frame_gfn(struct domain *d, gfn_t gfn)
{
    struct grant_table *gt = __atomic_load_n(&d->grant_table, __ATOMIC_ACQUIRE);
    unsigned long flags;

    if (gt == NULL)
        return;
    flags = spin_lock_irqsave(&gt->lock);
    for (unsigned int i = 0; i < GNTTAB_MAX_FRAMES; i++)
        if (gt->gfn[i] == gfn)
            gt->gfn[i] = GNTTAB_NO_GFN;
    spin_unlock_irqrestore(&gt->lock, flags);
}

/*
 * Back to a table that was never used, keeping the structure itself (other domains'
 * hypercalls may hold a pointer to it): d's mappings of others' grants released, every
 * mapping of its own grants revoked, frames and active entries freed.
 */
void gnttab_domain_reset(struct domain *d)
{
    struct grant_table *gt = __atomic_load_n(&d->grant_table, __ATOMIC_ACQUIRE);
    unsigned long flags;

    if (gt == NULL)
        return;
    gnttab_release_maptrack(d);
    flags = spin_lock_irqsave(&gt->lock);
    gnttab_revoke_all(d, gt);
    for (unsigned int i = 0; i < GNTTAB_MAX_FRAMES; i++) {
        domain_xfree(d, gt->frame[i]);
        domain_xfree(d, gt->active[i]);
        gt->frame[i] = NULL;
        gt->active[i] = NULL;
        gt->gfn[i] = GNTTAB_NO_GFN;
    }
    __atomic_store_n(&gt->nr_frames, GNTTAB_INITIAL_FRAMES, __ATOMIC_RELAXED);
    gt->generation++;
    spin_unlock_irqrestore(&gt->lock, flags);
}

void gnttab_domain_destroy(struct domain *d)
{
    struct grant_table *gt = d->grant_table;

    if (gt == NULL)
        return;
    gnttab_domain_reset(d);
    d->grant_table = NULL;
    for (unsigned int i = 0; i < MAPTRACK_CHUNKS; i++)
        domain_xfree(d, gt->maptrack[i]);
    domain_xfree(d, gt);
}

/* The domain a grant op names, if the caller may act on it (Xen: XSM_TARGET). */
static int16_t target_domain(struct vcpu *curr, domid_t dom, struct domain **out)
{
    switch (domain_for_caller(curr->domain, dom, out)) {
    case 0:
        return GNTST_okay;
    case -EPERM:
        return GNTST_permission_denied;
    default:
        return GNTST_bad_domain;
    }
}

/* The setup_table fields we use, from either layout. */
struct setup_args {
    domid_t dom;
    uint32_t nr_frames;
    gpaddr_t frame_list;
};

static int16_t setup_table(struct vcpu *curr, const struct setup_args *a, bool compat32)
{
    struct domain *d = NULL;
    struct grant_table *gt;
    unsigned long flags;
    int16_t status = target_domain(curr, a->dom, &d);
    gfn_t gfns[GNTTAB_MAX_FRAMES];
    uint32_t i;

    if (status != GNTST_okay)
        return status;
    if (a->nr_frames > GNTTAB_MAX_FRAMES)
        return GNTST_general_error; /* "limited to 64 grant-table frames" */
    gt = gnttab_table_of(d);
    if (gt == NULL)
        return GNTST_general_error;
    flags = spin_lock_irqsave(&gt->lock);
    if (grow(d, gt, a->nr_frames) != 0)
        status = GNTST_general_error;
    for (i = 0; i < a->nr_frames; i++)
        gfns[i] = gt->gfn[i];
    spin_unlock_irqrestore(&gt->lock, flags);
    if (status != GNTST_okay)
        return status;

    /* Where each frame is mapped in d (auto-translated guests: no machine frames). */
    for (i = 0; i < a->nr_frames; i++) {
        int rc;

        if (compat32) {
            uint32_t f = (uint32_t)gfns[i];

            rc = arch_copy_to_guest(curr->domain, a->frame_list + (gpaddr_t)i * 4, &f, 4);
        } else {
            rc = arch_copy_to_guest(curr->domain, a->frame_list + (gpaddr_t)i * 8, &gfns[i], 8);
        }
        if (rc != 0)
            status = GNTST_bad_virt_addr;
    }
    return status;
}

static long op_setup_table(struct vcpu *curr, gpaddr_t uop)
{
    struct domain *cd = curr->domain;
    bool compat32 = hypercall_compat32(curr);
    struct setup_args a;
    int16_t status;

    if (compat32) {
        struct gnttab_setup_table_x86_32 op;

        if (arch_copy_from_guest(cd, &op, uop, sizeof(op)) != 0)
            return -EFAULT;
        a = (struct setup_args){op.dom, op.nr_frames, op.frame_list.p};
    } else {
        struct gnttab_setup_table_64 op;

        if (arch_copy_from_guest(cd, &op, uop, sizeof(op)) != 0)
            return -EFAULT;
        a = (struct setup_args){op.dom, op.nr_frames, op.frame_list.p};
    }
    status = setup_table(curr, &a, compat32);
    /* Only the status field goes back, at the same offset in both layouts. */
    BUILD_BUG_ON(offsetof(struct gnttab_setup_table_64, status) !=
                 offsetof(struct gnttab_setup_table_x86_32, status));
    if (arch_copy_to_guest(cd, uop + offsetof(struct gnttab_setup_table_64, status), &status,
                           sizeof(status)) != 0)
        return -EFAULT;
    return 0;
}

static long op_query_size(struct vcpu *curr, gpaddr_t uop)
{
    struct gnttab_query_size op;
    struct domain *d = NULL;

    if (arch_copy_from_guest(curr->domain, &op, uop, sizeof(op)) != 0)
        return -EFAULT;
    op.status = target_domain(curr, op.dom, &d);
    if (op.status == GNTST_okay) {
        struct grant_table *gt = __atomic_load_n(&d->grant_table, __ATOMIC_ACQUIRE);

        /* A table not made yet has its initial size. */
        op.nr_frames =
            gt != NULL ? __atomic_load_n(&gt->nr_frames, __ATOMIC_RELAXED) : GNTTAB_INITIAL_FRAMES;
        op.max_nr_frames = GNTTAB_MAX_FRAMES;
    }
    if (arch_copy_to_guest(curr->domain, uop, &op, sizeof(op)) != 0)
        return -EFAULT;
    return 0;
}

/*
 * GNTTABOP_set_version: 1 is the version every table has and keeps; 2 is -ENOSYS, as Xen
 * answers for a table whose max_version is 1 ("as before set_version existed"); anything
 * else -EINVAL. Either way the version in use is written back, as Xen does.
 */
static long op_set_version(struct vcpu *curr, gpaddr_t uop)
{
    struct gnttab_set_version op;
    long rc;

    if (arch_copy_from_guest(curr->domain, &op, uop, sizeof(op)) != 0)
        return -EFAULT;
    rc = op.version == 1 ? 0 : op.version == 2 ? -ENOSYS : -EINVAL;
    op.version = 1;
    if (arch_copy_to_guest(curr->domain, uop, &op, sizeof(op)) != 0)
        return -EFAULT;
    return rc;
}

/* GNTTABOP_get_version: a domain's own, or any domain's for the privileged one (Xen's
 * XSM_TARGET); -ESRCH for no such domain. Only the version field is written. */
static long op_get_version(struct vcpu *curr, gpaddr_t uop)
{
    struct gnttab_get_version op;
    struct domain *d;
    uint32_t version = 1;
    int rc;

    if (arch_copy_from_guest(curr->domain, &op, uop, sizeof(op)) != 0)
        return -EFAULT;
    rc = domain_for_caller(curr->domain, op.dom, &d);
    if (rc != 0)
        return rc;
    if (arch_copy_to_guest(curr->domain, uop + offsetof(struct gnttab_get_version, version),
                           &version, sizeof(version)) != 0)
        return -EFAULT;
    return 0;
}

/*
 * The ops that take an array: up to GNTTAB_OPS_PER_CALL of them per call, then the rest
 * as a continuation (-ERESTART with uop and count moved on), so no call runs long. Each
 * op's status goes into its own struct; -EFAULT when one cannot be read or written.
 */
#define GNTTAB_OPS_PER_CALL 64u

static long batch(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS], unsigned int cmd)
{
    unsigned int count = (unsigned int)args[2], n = MIN(count, GNTTAB_OPS_PER_CALL);
    size_t size;
    long rc;

    /* Grant frames live in guest RAM frames: a port that cannot map them offers none. */
    if (!physmap_supported(curr->domain))
        return -ENOSYS;
    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        size = sizeof(struct gnttab_map_grant_ref);
        rc = gnttab_op_map(curr, args[1], n);
        break;
    case GNTTABOP_unmap_grant_ref:
        size = sizeof(struct gnttab_unmap_grant_ref);
        rc = gnttab_op_unmap(curr, args[1], n);
        break;
    default: {
        /* Read once: the guest's width may be latched again meanwhile (domain.h), and the
         * ops and the continuation's stride must agree. */
        bool compat32 = hypercall_compat32(curr);

        size = compat32 ? sizeof(struct gnttab_copy_x86_32) : sizeof(struct gnttab_copy_64);
        rc = gnttab_op_copy(curr, args[1], n, compat32);
        break;
    }
    }
    if (rc != 0 || n == count)
        return rc;
    args[1] += n * size;
    args[2] = count - n;
    return -ERESTART;
}

/* args: cmd, guest address of an array of `count` op structs, count. */
long hypercall_grant_table_op(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS])
{
    unsigned int cmd = (unsigned int)args[0];
    gpaddr_t uop = args[1];
    unsigned int count = (unsigned int)args[2];

    if ((int)count < 0)
        return -EINVAL;
    if ((cmd & ~GNTTABOP_CMD_MASK) != 0 && (cmd & GNTTABOP_CMD_MASK) != GNTTABOP_cache_flush)
        return -EINVAL;
    switch (cmd & GNTTABOP_CMD_MASK) {
    case GNTTABOP_setup_table:
        return count != 1 ? -EINVAL : op_setup_table(curr, uop);
    case GNTTABOP_query_size:
        return count != 1 ? -EINVAL : op_query_size(curr, uop);
    case GNTTABOP_set_version: /* one struct whatever count says, as on Xen */
        return op_set_version(curr, uop);
    case GNTTABOP_get_version:
        return op_get_version(curr, uop);
    case GNTTABOP_map_grant_ref:
    case GNTTABOP_unmap_grant_ref:
    case GNTTABOP_copy:
        return batch(curr, args, cmd & GNTTABOP_CMD_MASK);
    default:
        return -ENOSYS;
    }
}
