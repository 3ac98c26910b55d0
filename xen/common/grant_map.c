/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GNTTABOP_map_grant_ref and unmap_grant_ref for auto-translated guests, as Xen 4.17 on
 * Arm does them (xen/common/grant_table.c, xen/arch/arm/mm.c create_grant_host_mapping):
 * host_addr is the guest-physical address where the granted frame appears, GNTMAP_host_map
 * (optionally GNTMAP_readonly) is the only mapping there is, dev_bus_addr reports the
 * frame's host address, and each mapping gets a handle in the mapping domain's maptrack.
 *
 * A granted frame is never reachable after its owner's life ends: when a domain is reset
 * (reboot) every mapping of its grants is removed from the mapping domain's map before its
 * RAM is scrubbed and reused (gnttab_revoke_all); the handle stays until unmapped, which
 * then only frees it. And a domain's own mappings are released when it is reset.
 */
#include <xen/alloc.h>
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/guest_kind.h>
#include <xen/lib.h>
#include <xen/nospec.h>
#include <xen/physmap.h>

#include "grant_private.h"

#define MAPTRACK_LIMIT (MAPTRACK_CHUNKS * MAPTRACK_PER_CHUNK)

static struct maptrack_entry *maptrack_entry(struct grant_table *gt, grant_handle_t h)
{
    struct maptrack_entry *c;

    if (h >= MAPTRACK_LIMIT)
        return NULL;
    h = array_index_nospec(h, MAPTRACK_LIMIT);
    c = gt->maptrack[h / MAPTRACK_PER_CHUNK];
    return c == NULL ? NULL : &c[h % MAPTRACK_PER_CHUNK];
}

/* A free handle of ld, marked busy; MAPTRACK_LIMIT when there is none. */
static grant_handle_t take_handle(struct domain *ld, struct grant_table *gt)
{
    unsigned long flags = spin_lock_irqsave(&gt->maptrack_lock);
    grant_handle_t h = MAPTRACK_LIMIT;

    /* At most one chunk is scanned: full ones are skipped by their count. */
    for (unsigned int c = 0; c < MAPTRACK_CHUNKS && h == MAPTRACK_LIMIT; c++) {
        if (gt->maptrack_used[c] == MAPTRACK_PER_CHUNK)
            continue;
        if (gt->maptrack[c] == NULL) {
            gt->maptrack[c] = domain_xzalloc_array(ld, struct maptrack_entry, MAPTRACK_PER_CHUNK);
            if (gt->maptrack[c] == NULL)
                break; /* its budget is spent */
        }
        for (unsigned int i = 0; i < MAPTRACK_PER_CHUNK; i++) {
            if (gt->maptrack[c][i].flags == 0) {
                gt->maptrack[c][i].flags = MAPTRACK_BUSY;
                gt->maptrack_used[c]++;
                h = c * MAPTRACK_PER_CHUNK + i;
                break;
            }
        }
    }
    spin_unlock_irqrestore(&gt->maptrack_lock, flags);
    return h;
}

static void put_handle(struct grant_table *gt, grant_handle_t h)
{
    unsigned long flags = spin_lock_irqsave(&gt->maptrack_lock);
    struct maptrack_entry *m = maptrack_entry(gt, h);

    if (m != NULL && m->flags != 0) {
        *m = (struct maptrack_entry){0};
        gt->maptrack_used[h / MAPTRACK_PER_CHUNK]--;
    }
    spin_unlock_irqrestore(&gt->maptrack_lock, flags);
}

static void map_one(struct vcpu *curr, struct gnttab_map_grant_ref *op)
{
    struct domain *ld = curr->domain, *rd;
    struct grant_table *lgt = gnttab_table_of(ld), *rgt;
    bool readonly = (op->flags & GNTMAP_readonly) != 0;
    struct maptrack_entry *m;
    grant_handle_t h;
    unsigned long flags;
    uint32_t frame;
    void *page;

    op->status = GNTST_general_error;
    if ((op->flags & (GNTMAP_host_map | GNTMAP_device_map)) == 0) {
        op->status = GNTST_bad_gntref; /* neither mapping asked for */
        return;
    }
    /* Auto-translated guests: no device, application or PTE mappings (Xen: "HVM"). */
    if ((op->flags & ~(uint32_t)GNTMAP_readonly) != GNTMAP_host_map)
        return;
    rd = domain_lookup(op->dom); /* by id only: DOMID_SELF is no granter (Xen) */
    if (rd == NULL) {
        op->status = GNTST_bad_domain;
        return;
    }
    if (lgt == NULL || (rgt = gnttab_table_of(rd)) == NULL)
        return;
    h = take_handle(ld, lgt);
    if (h == MAPTRACK_LIMIT) {
        op->status = GNTST_no_space;
        return;
    }

    flags = spin_lock_irqsave(&rgt->lock);
    op->status = gnttab_pin(rd, rgt, op->ref, ld->domain_id, readonly, &frame);
    if (op->status == GNTST_okay) {
        page = arch_guest_ram_frame(rd, frame);
        /* The entry's own cache attributes (GTF_PWT/PCD/PAT) are refused, as on Arm. */
        if (gnttab_shared_entry(rgt, op->ref)->flags & (GTF_PWT | GTF_PCD | GTF_PAT))
            op->status = GNTST_general_error;
        else
            op->status = physmap_map_grant(ld, op->host_addr >> PAGE_SHIFT, page, readonly) == 0
                             ? GNTST_okay
                             : GNTST_general_error;
        if (op->status != GNTST_okay) {
            gnttab_unpin(rd, rgt, op->ref, readonly);
        } else {
            /* Filled in under the granter's lock: a revocation sees it whole or not yet. */
            unsigned long mflags = spin_lock_irqsave(&lgt->maptrack_lock);

            m = maptrack_entry(lgt, h);
            *m = (struct maptrack_entry){.gfn = op->host_addr >> PAGE_SHIFT,
                                         .ref = op->ref,
                                         .domid = rd->domain_id,
                                         .flags = (uint16_t)op->flags};
            spin_unlock_irqrestore(&lgt->maptrack_lock, mflags);
            op->handle = h;
            op->dev_bus_addr = arch_page_maddr(page);
        }
    }
    spin_unlock_irqrestore(&rgt->lock, flags);
    if (op->status != GNTST_okay)
        put_handle(lgt, h);
}

/*
 * Undo mapping h of ld: the host mapping at gfn removed (Xen uses the address the caller
 * gives, not the one recorded, and checks the frame there is the granted one), the pin
 * dropped, the handle freed. gfn 0 (host_addr 0) leaves mapping and handle as they are.
 * force (ld's life is ending) drops the pin and the handle even if gfn holds something
 * else. GNTST_*.
 */
static int16_t unmap_handle(struct domain *ld, struct grant_table *lgt, grant_handle_t h, gfn_t gfn,
                            bool force)
{
    struct maptrack_entry *m, seen = {0};
    struct grant_table *rgt;
    struct active_grant *act;
    unsigned long flags, mflags;
    struct domain *rd;
    int16_t st = GNTST_okay;

    mflags = spin_lock_irqsave(&lgt->maptrack_lock);
    m = maptrack_entry(lgt, h);
    if (m != NULL)
        seen = *m;
    spin_unlock_irqrestore(&lgt->maptrack_lock, mflags);
    if (seen.flags == 0 || (seen.flags & MAPTRACK_BUSY))
        return GNTST_bad_handle;
    if (seen.flags & MAPTRACK_REVOKED) {
        /* Its granter was reset: the mapping went then; only the handle is left. */
        put_handle(lgt, h);
        return GNTST_okay;
    }
    if (gfn == 0 && !force)
        return GNTST_okay; /* nothing asked of the host mapping */
    rd = domain_lookup(seen.domid);
    rgt = rd != NULL ? __atomic_load_n(&rd->grant_table, __ATOMIC_ACQUIRE) : NULL;
    if (rgt == NULL)
        return GNTST_bad_handle;

    flags = spin_lock_irqsave(&rgt->lock);
    mflags = spin_lock_irqsave(&lgt->maptrack_lock);
    /* Still the same mapping, not unmapped or revoked meanwhile by another vCPU? Both
     * change only under the granter's lock, which is held from here on. */
    if (memcmp(m, &seen, sizeof(seen)) != 0)
        st = GNTST_bad_handle;
    spin_unlock_irqrestore(&lgt->maptrack_lock, mflags);
    if (st == GNTST_okay) {
        act =
            &rgt->active[seen.ref / GNTTAB_ENTRIES_PER_FRAME][seen.ref % GNTTAB_ENTRIES_PER_FRAME];
        if (physmap_unmap_grant(ld, gfn, arch_guest_ram_frame(rd, act->frame)) != 0 && !force)
            st = GNTST_general_error;
        else {
            gnttab_unpin(rd, rgt, seen.ref, (seen.flags & GNTMAP_readonly) != 0);
            put_handle(lgt, h);
        }
    }
    spin_unlock_irqrestore(&rgt->lock, flags);
    return st;
}

long gnttab_op_map(struct vcpu *curr, gpaddr_t uop, unsigned int count)
{
    for (unsigned int i = 0; i < count; i++) {
        struct gnttab_map_grant_ref op;
        gpaddr_t at = uop + (gpaddr_t)i * sizeof(op);

        if (arch_copy_from_guest(curr->domain, &op, at, sizeof(op)) != 0)
            return -EFAULT;
        map_one(curr, &op);
        if (arch_copy_to_guest(curr->domain, at, &op, sizeof(op)) != 0)
            return -EFAULT;
    }
    return 0;
}

long gnttab_op_unmap(struct vcpu *curr, gpaddr_t uop, unsigned int count)
{
    struct grant_table *lgt = __atomic_load_n(&curr->domain->grant_table, __ATOMIC_ACQUIRE);

    for (unsigned int i = 0; i < count; i++) {
        struct gnttab_unmap_grant_ref op;
        gpaddr_t at = uop + (gpaddr_t)i * sizeof(op);

        if (arch_copy_from_guest(curr->domain, &op, at, sizeof(op)) != 0)
            return -EFAULT;
        op.status = lgt == NULL ? GNTST_bad_handle
                                : unmap_handle(curr->domain, lgt, op.handle,
                                               op.host_addr >> PAGE_SHIFT, false);
        if (arch_copy_to_guest(curr->domain, at + offsetof(struct gnttab_unmap_grant_ref, status),
                               &op.status, sizeof(op.status)) != 0)
            return -EFAULT;
    }
    return 0;
}

void gnttab_revoke_all(struct domain *d, struct grant_table *gt)
{
    for (domid_t id = 0; id < MAX_DOMAINS; id++) {
        struct domain *ld = domain_lookup(id);
        struct grant_table *lgt =
            ld != NULL ? __atomic_load_n(&ld->grant_table, __ATOMIC_ACQUIRE) : NULL;
        unsigned long mflags;

        if (lgt == NULL)
            continue;
        mflags = spin_lock_irqsave(&lgt->maptrack_lock);
        for (unsigned int c = 0; c < MAPTRACK_CHUNKS; c++) {
            for (unsigned int i = 0; lgt->maptrack_used[c] != 0 && i < MAPTRACK_PER_CHUNK; i++) {
                struct maptrack_entry *m = &lgt->maptrack[c][i];
                bool readonly = (m->flags & GNTMAP_readonly) != 0;
                struct active_grant *act;

                if (m->domid != d->domain_id || m->flags == 0 ||
                    (m->flags & (MAPTRACK_BUSY | MAPTRACK_REVOKED)))
                    continue;
                act = &gt->active[m->ref / GNTTAB_ENTRIES_PER_FRAME]
                                 [m->ref % GNTTAB_ENTRIES_PER_FRAME];
                (void)physmap_unmap_grant(ld, m->gfn, arch_guest_ram_frame(d, act->frame));
                gnttab_unpin(d, gt, m->ref, readonly);
                m->flags |= MAPTRACK_REVOKED;
            }
        }
        spin_unlock_irqrestore(&lgt->maptrack_lock, mflags);
    }
}

void gnttab_release_maptrack(struct domain *d)
{
    struct grant_table *lgt = __atomic_load_n(&d->grant_table, __ATOMIC_ACQUIRE);

    if (lgt == NULL)
        return;
    for (unsigned int c = 0; c < MAPTRACK_CHUNKS; c++) {
        for (unsigned int i = 0; lgt->maptrack_used[c] != 0 && i < MAPTRACK_PER_CHUNK; i++) {
            /* d runs nothing now: the entry cannot change under us but by revocation. */
            gfn_t gfn = __atomic_load_n(&lgt->maptrack[c][i].gfn, __ATOMIC_RELAXED);

            (void)unmap_handle(d, lgt, c * MAPTRACK_PER_CHUNK + i, gfn, true);
        }
    }
}
