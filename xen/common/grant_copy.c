/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GNTTABOP_copy with Xen 4.17's checks and status codes: each side is either a grant ref
 * of some domain (GNTCOPY_source_gref / GNTCOPY_dest_gref), pinned for the copy as a
 * mapping would be (read for the source, write for the destination), or one of the
 * caller's own RAM frames (DOMID_SELF only). No lock is held across the copy itself: the
 * pins keep both frames from being reused, and two granters' locks are never held at
 * once (copies between A and B in both directions at the same time cannot deadlock).
 */
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/lib.h>

#include "grant_private.h"

/* One side of a copy, whichever layout it came in. */
struct copy_side {
    uint64_t ref_or_gmfn;
    domid_t domid;
    uint16_t offset;
    bool is_gref;
    /* Filled in by claim(): */
    struct domain *d;
    struct grant_table *gt; /* non-NULL: a pin to drop */
    uint32_t generation;    /* ... if the granter's table is still in the life it was taken in */
    uint8_t *page;
};

/* The side's page, pinned if it is a grant (for writing unless readonly). GNTST_*. */
static int16_t claim(struct domain *ld, struct copy_side *s, bool readonly)
{
    unsigned long flags;
    uint32_t frame;
    int16_t st;

    if (!s->is_gref) {
        void *page;

        /* "Only DOMID_SELF may reference via frame." */
        if (s->domid != DOMID_SELF)
            return GNTST_permission_denied;
        if (arch_guest_physmap_query(ld, s->ref_or_gmfn, &page) != PHYSMAP_RAM)
            return GNTST_bad_page;
        s->page = page;
        return GNTST_okay;
    }
    s->d = domain_resolve(ld, s->domid);
    if (s->d == NULL)
        return GNTST_bad_domain;
    s->gt = gnttab_table_of(s->d);
    if (s->gt == NULL)
        return GNTST_general_error;
    flags = spin_lock_irqsave(&s->gt->lock);
    st = gnttab_pin(s->d, s->gt, (grant_ref_t)s->ref_or_gmfn, ld->domain_id, readonly, &frame);
    s->generation = s->gt->generation;
    spin_unlock_irqrestore(&s->gt->lock, flags);
    if (st != GNTST_okay) {
        s->gt = NULL;
        return st;
    }
    s->page = arch_guest_ram_frame(s->d, frame);
    return GNTST_okay;
}

static void release(struct copy_side *s, bool readonly)
{
    unsigned long flags;

    if (s->gt == NULL)
        return;
    flags = spin_lock_irqsave(&s->gt->lock);
    if (s->gt->generation == s->generation) /* else the reset dropped every pin already */
        gnttab_unpin(s->d, s->gt, (grant_ref_t)s->ref_or_gmfn, readonly);
    spin_unlock_irqrestore(&s->gt->lock, flags);
}

static int16_t copy_one(struct domain *ld, struct copy_side *src, struct copy_side *dst,
                        uint16_t len)
{
    int16_t st;

    if (len > PAGE_SIZE || src->offset > PAGE_SIZE - len || dst->offset > PAGE_SIZE - len)
        return GNTST_bad_copy_arg;
    st = claim(ld, src, true);
    if (st != GNTST_okay)
        return st;
    st = claim(ld, dst, false);
    if (st == GNTST_okay) {
        /* memmove: both sides may be the same page. */
        memmove(dst->page + dst->offset, src->page + src->offset, len);
        release(dst, false);
    }
    release(src, true);
    return st;
}

long gnttab_op_copy(struct vcpu *curr, gpaddr_t uop, unsigned int count, bool compat32)
{
    struct domain *ld = curr->domain;
    size_t size = compat32 ? sizeof(struct gnttab_copy_x86_32) : sizeof(struct gnttab_copy_64);
    size_t status_at = compat32 ? offsetof(struct gnttab_copy_x86_32, status)
                                : offsetof(struct gnttab_copy_64, status);

    for (unsigned int i = 0; i < count; i++) {
        gpaddr_t at = uop + (gpaddr_t)i * size;
        struct copy_side src, dst;
        uint16_t len, flags;
        int16_t st;

        /* Both layouts have the same fields; only their widths and offsets differ. */
#define READ_COPY_OP(type)                                                                         \
    do {                                                                                           \
        type op;                                                                                   \
                                                                                                   \
        if (arch_copy_from_guest(ld, &op, at, sizeof(op)) != 0)                                    \
            return -EFAULT;                                                                        \
        src = (struct copy_side){.ref_or_gmfn = op.source.u.gmfn,                                  \
                                 .domid = op.source.domid,                                         \
                                 .offset = op.source.offset};                                      \
        dst = (struct copy_side){                                                                  \
            .ref_or_gmfn = op.dest.u.gmfn, .domid = op.dest.domid, .offset = op.dest.offset};      \
        len = op.len, flags = op.flags;                                                            \
    } while (0)
        if (compat32)
            READ_COPY_OP(struct gnttab_copy_x86_32);
        else
            READ_COPY_OP(struct gnttab_copy_64);
#undef READ_COPY_OP
        /* A grant ref is the union's low 32 bits. */
        src.is_gref = (flags & GNTCOPY_source_gref) != 0;
        dst.is_gref = (flags & GNTCOPY_dest_gref) != 0;
        if (src.is_gref)
            src.ref_or_gmfn = (uint32_t)src.ref_or_gmfn;
        if (dst.is_gref)
            dst.ref_or_gmfn = (uint32_t)dst.ref_or_gmfn;
        st = copy_one(ld, &src, &dst, len);
        if (arch_copy_to_guest(ld, at + status_at, &st, sizeof(st)) != 0)
            return -EFAULT;
    }
    return 0;
}
