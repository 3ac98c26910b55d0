/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pinning a granter's entry for a mapping or a copy (see grant_private.h): the checks Xen
 * 4.17 makes on the shared entry the first time (a plain permit_access grant, to this
 * domain, writable if asked for writing), the GTF_reading / GTF_writing flags the granter
 * reads to know its page is in use, and the reference that keeps the frame from being
 * handed out again while it is.
 *
 * The entry's first word (flags, domid) is shared with the granter, who may change it at
 * any time: it is read once, checked, and updated with a compare-and-swap retried a few
 * times only (as Xen: a guest that keeps changing it loses, GNTST_general_error).
 */
#include <xen/alloc.h>
#include <xen/errno.h>
#include <xen/guest_atomic.h>
#include <xen/nospec.h>
#include <xen/physmap.h>

#include "grant_private.h"

#define PIN_CMPXCHG_TRIES 5 /* Xen's bound on racing the guest for the entry's flags */
#define GTF_READING_BIT   3 /* GTF_reading, GTF_writing as bit numbers */
#define GTF_WRITING_BIT   4

/* The active entry for ref, made if asked and missing (gt->lock held). */
static struct active_grant *active_of(struct domain *rd, struct grant_table *gt, grant_ref_t ref,
                                      bool make)
{
    uint32_t f = array_index_nospec(ref / GNTTAB_ENTRIES_PER_FRAME, GNTTAB_MAX_FRAMES);

    if (gt->active[f] == NULL && make)
        gt->active[f] = domain_xzalloc_array(rd, struct active_grant, GNTTAB_ENTRIES_PER_FRAME);
    return gt->active[f] == NULL ? NULL : &gt->active[f][ref % GNTTAB_ENTRIES_PER_FRAME];
}

/* The entry's {flags, domid} word: flags in the low half (little-endian). */
static uint32_t *header_word(struct grant_entry_v1 *e)
{
    return (uint32_t *)e;
}

/* Set GTF_reading (and GTF_writing) after checking the entry grants ld what it asks. */
static int16_t mark_in_use(struct grant_entry_v1 *e, domid_t ld, bool readonly, bool first)
{
    uint32_t *w = header_word(e), seen = __atomic_load_n(w, __ATOMIC_RELAXED);

    for (unsigned int tries = 0; tries < PIN_CMPXCHG_TRIES; tries++) {
        uint16_t flags = (uint16_t)seen, want = GTF_reading | (readonly ? 0 : GTF_writing);
        uint32_t now;

        /* Pinned already, the entry was checked then; only a new writer looks again. */
        if (first && ((flags & (GTF_type_mask | GTF_sub_page)) != GTF_permit_access ||
                      (domid_t)(seen >> 16) != ld))
            return GNTST_general_error;
        if (!readonly && (flags & GTF_readonly))
            return GNTST_general_error; /* "write-pin of a r/o grant entry" */
        if ((flags & want) == want)
            return GNTST_okay;
        if (arch_guest_cmpxchg32(w, seen, seen | want, &now) == GUEST_ATOMIC_DONE && now == seen)
            return GNTST_okay;
        seen = now;
    }
    return GNTST_general_error; /* "shared grant entry is unstable" */
}

int16_t gnttab_pin(struct domain *rd, struct grant_table *gt, grant_ref_t ref, domid_t ld,
                   bool readonly, uint32_t *frame)
{
    struct grant_entry_v1 *e = gnttab_shared_entry(gt, ref);
    struct active_grant *act;
    bool first;
    int16_t st;

    if (e == NULL)
        return GNTST_bad_gntref;
    act = active_of(rd, gt, ref, true);
    if (act == NULL)
        return GNTST_general_error; /* the granter's budget is spent */
    first = act->readers == 0 && act->writers == 0;
    if (!first && act->domid != ld)
        return GNTST_general_error; /* in use by another domain */
    if ((readonly ? act->readers : act->writers) == UINT16_MAX)
        return GNTST_general_error; /* the count would overflow */
    if (first || (!readonly && act->writers == 0)) {
        st = mark_in_use(e, ld, readonly, first); /* sets nothing when it fails */
        if (st != GNTST_okay)
            return st;
    }
    if (first) {
        void *page;
        uint64_t idx;
        /* The entry's frame, read once: the granter may rewrite it at any time. */
        int rc = physmap_get_frame(rd, __atomic_load_n(&e->frame, __ATOMIC_RELAXED), &page, &idx);

        if (rc != 0) {
            guest_clear_bit(rd, GTF_READING_BIT, header_word(e));
            guest_clear_bit(rd, GTF_WRITING_BIT, header_word(e));
            return rc == -ENOENT ? GNTST_bad_page : GNTST_general_error;
        }
        act->frame = (uint32_t)idx;
        act->domid = ld;
    }
    if (readonly)
        act->readers++;
    else
        act->writers++;
    *frame = act->frame;
    return GNTST_okay;
}

void gnttab_unpin(struct domain *rd, struct grant_table *gt, grant_ref_t ref, bool readonly)
{
    struct grant_entry_v1 *e = gnttab_shared_entry(gt, ref);
    struct active_grant *act = active_of(rd, gt, ref, false);

    if (act == NULL || (readonly ? act->readers : act->writers) == 0)
        return;
    if (readonly)
        act->readers--;
    else
        act->writers--;
    /* The granter learns its page is no longer written, then no longer used at all. */
    if (act->writers == 0 && e != NULL)
        guest_clear_bit(rd, GTF_WRITING_BIT, header_word(e));
    if (act->readers == 0 && act->writers == 0) {
        if (e != NULL)
            guest_clear_bit(rd, GTF_READING_BIT, header_word(e));
        physmap_put_frame(rd, act->frame);
    }
}
