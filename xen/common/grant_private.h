/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The grant table's state, shared by the files that implement its ops: grant_table.c
 * (the table, setup_table, query_size, versions, the dispatcher), grant_pin.c (pinning
 * an entry for a mapping or a copy), grant_map.c (map/unmap, the maptrack, revocation)
 * and grant_copy.c. Nothing outside them looks inside.
 *
 * Locks, always taken in this order: a granting domain's gt->lock, then a mapping
 * domain's gt->maptrack_lock, then any domain's physmap_lock (<xen/physmap.h>), then the
 * port's own p2m lock. gt->lock covers the frames' contents as the hypervisor changes
 * them, the active entries and nr_frames; maptrack_lock the maptrack.
 */
#ifndef MINIXEN_COMMON_GRANT_PRIVATE_H
#define MINIXEN_COMMON_GRANT_PRIVATE_H

#include <xen/grant_table.h>
#include <public/grant_table.h>

#define GNTTAB_NO_GFN            (~(gfn_t)0) /* Xen's INVALID_GFN: frame not mapped anywhere */
#define GNTTAB_ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(struct grant_entry_v1))

/*
 * What the hypervisor holds on one of the granter's entries: the mappings and copies
 * using it now, all by one domain (as Xen: another domain's attempt fails until they end),
 * and the RAM frame they use, referenced (physmap_get_frame) while any is held.
 */
struct active_grant {
    uint16_t readers; /* read-only mappings and copies out of it */
    uint16_t writers; /* writable mappings and copies into it */
    domid_t domid;    /* the domain using it (readers + writers != 0) */
    uint16_t _pad;
    uint32_t frame; /* index of the granter's RAM frame */
};

/* One mapping made by map_grant_ref, in the mapping domain's maptrack. */
struct maptrack_entry {
    uint64_t gfn;    /* where it is mapped in the mapping domain */
    grant_ref_t ref; /* of the granter's table */
    domid_t domid;   /* the granter */
    uint16_t flags;  /* GNTMAP_host_map | GNTMAP_readonly, MAPTRACK_*; 0: free */
};
#define MAPTRACK_BUSY    (1u << 14) /* taken, being filled in by map_grant_ref */
#define MAPTRACK_REVOKED (1u << 15) /* the granter was reset: the mapping is gone */

#define MAPTRACK_PER_CHUNK 256u
#define MAPTRACK_CHUNKS    64u /* up to 16384 mappings per domain at once */

struct grant_table {
    spinlock_t lock;
    uint32_t nr_frames; /* the size guests see; frames below it exist or are made on demand */
    void *frame[GNTTAB_MAX_FRAMES];
    gfn_t gfn[GNTTAB_MAX_FRAMES];
    /* Per frame of entries, made when one of them is first pinned; charged to the granter. */
    struct active_grant *active[GNTTAB_MAX_FRAMES];

    /* Counts the domain's lives (gnttab_domain_reset): a pin taken in one life is never
     * dropped in the next (grant_copy.c holds one across the copy, without the lock). */
    uint32_t generation;

    /* The mappings this domain holds of other domains' grants (maptrack_lock). */
    spinlock_t maptrack_lock;
    struct maptrack_entry *maptrack[MAPTRACK_CHUNKS]; /* made as needed; charged to it */
    uint16_t maptrack_used[MAPTRACK_CHUNKS];          /* entries in use: full ones skipped */
};

/* d's table, made on first use. NULL only when memory ran out. */
struct grant_table *gnttab_table_of(struct domain *d);

/* Entry ref of rd's table as the hypervisor sees it, or NULL past its size (gt->lock held). */
struct grant_entry_v1 *gnttab_shared_entry(struct grant_table *gt, grant_ref_t ref);

/*
 * Pin ref of rd for ld (a mapping or a copy), read-only or not: checks the shared entry
 * as Xen does, sets GTF_reading/GTF_writing in it, takes a reference on the frame. GNTST_*
 * (gt->lock held). *frame: the granter's RAM frame index.
 */
int16_t gnttab_pin(struct domain *rd, struct grant_table *gt, grant_ref_t ref, domid_t ld,
                   bool readonly, uint32_t *frame);
/* Undo one gnttab_pin of ref with the same readonly (gt->lock held). */
void gnttab_unpin(struct domain *rd, struct grant_table *gt, grant_ref_t ref, bool readonly);

/* Every mapping of d's grants in any domain removed, and every pin dropped (gt->lock held). */
void gnttab_revoke_all(struct domain *d, struct grant_table *gt);
/* Every mapping d holds of other domains' grants released (no lock held). */
void gnttab_release_maptrack(struct domain *d);

long gnttab_op_map(struct vcpu *curr, gpaddr_t uop, unsigned int count);
long gnttab_op_unmap(struct vcpu *curr, gpaddr_t uop, unsigned int count);
/* compat32: the struct layout (x86 32-bit guests), read once by the caller for a whole batch. */
long gnttab_op_copy(struct vcpu *curr, gpaddr_t uop, unsigned int count, bool compat32);

#endif
