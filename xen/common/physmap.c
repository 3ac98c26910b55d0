/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A domain's RAM frames: which it has given back, and how many grant mappings in other
 * domains hold each (see <xen/physmap.h>). Memory follows use: a domain that never gives
 * a frame back or has one mapped has no bookkeeping at all; after that, a chunk of state
 * covers FRAMES_PER_CHUNK frames and is made the first time one of them changes, charged
 * to the domain (about 2 KiB per 4 MiB of its RAM touched).
 *
 * Invariant: a frame not in the pool is mapped at most once in its domain (populate only
 * maps pooled frames), so giving back the frame at a gfn never leaves another mapping of
 * it in its own domain. Every field is under d->physmap_lock.
 */
#include <xen/alloc.h>
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/physmap.h>

#define FRAMES_PER_CHUNK 1024u
#define FRAME_REFS_MAX   0xffffu

struct frame_chunk {
    uint64_t pooled[FRAMES_PER_CHUNK / 64]; /* given back, not taken again */
    uint16_t refs[FRAMES_PER_CHUNK];        /* grant mappings holding it */
    /* Pooled and referenced by nothing: what populate may take. A chunk without any is
     * skipped whole, so a domain that keeps pooled frames pinned cannot make the search
     * for a free one long. */
    uint32_t nr_takeable;
};

struct physmap_frames {
    uint64_t nr_frames;
    uint64_t nr_pooled;  /* in the pool, whether or not still referenced */
    uint64_t next_chunk; /* the pool search starts here (round robin) */
    uint64_t nr_chunks;
    struct frame_chunk *chunk[]; /* nr_chunks, NULL until first needed */
};

bool physmap_supported(const struct domain *d)
{
    return arch_guest_ram_frames(d) != 0;
}

/* d's bookkeeping, made on first need (lock held). NULL when out of budget. */
static struct physmap_frames *frames_of(struct domain *d)
{
    uint64_t nr = arch_guest_ram_frames(d), chunks = (nr + FRAMES_PER_CHUNK - 1) / FRAMES_PER_CHUNK;
    struct physmap_frames *f = d->physmap;

    if (f != NULL || nr == 0)
        return f;
    f = domain_xzalloc_bytes(d, sizeof(*f) + chunks * sizeof(f->chunk[0]));
    if (f == NULL)
        return NULL;
    f->nr_frames = nr;
    f->nr_chunks = chunks;
    d->physmap = f;
    return f;
}

static struct frame_chunk *chunk_of(struct domain *d, struct physmap_frames *f, uint64_t idx,
                                    bool make)
{
    struct frame_chunk **c = &f->chunk[idx / FRAMES_PER_CHUNK];

    if (*c == NULL && make)
        *c = domain_xzalloc(d, struct frame_chunk);
    return *c;
}

static bool is_pooled(const struct frame_chunk *c, uint64_t idx)
{
    return (c->pooled[(idx % FRAMES_PER_CHUNK) / 64] >> (idx % 64)) & 1;
}

static void set_pooled(struct physmap_frames *f, struct frame_chunk *c, uint64_t idx, bool on)
{
    uint64_t bit = 1ull << (idx % 64);
    uint64_t *w = &c->pooled[(idx % FRAMES_PER_CHUNK) / 64];
    bool free = c->refs[idx % FRAMES_PER_CHUNK] == 0;

    if (on) {
        *w |= bit;
        c->nr_takeable += free;
        f->nr_pooled++;
    } else {
        *w &= ~bit;
        c->nr_takeable -= free;
        f->nr_pooled--;
    }
}

/* One more or one fewer reference on frame idx of chunk c. */
static void change_refs(struct frame_chunk *c, uint64_t idx, int delta)
{
    uint16_t *r = &c->refs[idx % FRAMES_PER_CHUNK];

    if (is_pooled(c, idx) && delta > 0 && *r == 0)
        c->nr_takeable--; /* pooled, and now held: not takeable */
    else if (is_pooled(c, idx) && delta < 0 && *r == 1)
        c->nr_takeable++; /* its last holder went */
    *r = (uint16_t)(*r + delta);
}

uint64_t physmap_tot_pages(struct domain *d)
{
    unsigned long flags = spin_lock_irqsave(&d->physmap_lock);
    uint64_t n = arch_guest_ram_frames(d) - (d->physmap != NULL ? d->physmap->nr_pooled : 0);

    spin_unlock_irqrestore(&d->physmap_lock, flags);
    return n;
}

uint64_t physmap_max_pages(const struct domain *d)
{
    return arch_guest_ram_frames(d);
}

/* The index of d's own RAM frame at gfn, or -1 (lock held). */
static int64_t ram_at(struct domain *d, gfn_t gfn)
{
    void *page;

    if (arch_guest_physmap_query(d, gfn, &page) != PHYSMAP_RAM)
        return -1;
    return arch_guest_ram_index(d, page);
}

/* Unmap d's own RAM frame at gfn into its pool (lock held). 0, -ENOENT, -ENOMEM. */
static int give_back_locked(struct domain *d, gfn_t gfn)
{
    struct physmap_frames *f = frames_of(d);
    int64_t idx = ram_at(d, gfn);
    struct frame_chunk *c;
    int rc;

    if (f == NULL)
        return -ENOMEM;
    if (idx < 0 || (uint64_t)idx >= f->nr_frames)
        return -ENOENT;
    c = chunk_of(d, f, (uint64_t)idx, true);
    rc = c == NULL ? -ENOMEM : arch_guest_physmap_clear(d, gfn);
    if (rc == 0)
        set_pooled(f, c, (uint64_t)idx, true);
    return rc;
}

int physmap_give_back(struct domain *d, gfn_t gfn)
{
    unsigned long flags = spin_lock_irqsave(&d->physmap_lock);
    int rc = give_back_locked(d, gfn);

    spin_unlock_irqrestore(&d->physmap_lock, flags);
    return rc;
}

/*
 * A pooled frame no mapping references, taken out of the pool; -1 if none. Bounded by the
 * number of chunks plus one chunk's frames: chunks with nothing takeable are skipped.
 */
static int64_t take_from_pool(struct physmap_frames *f)
{
    for (uint64_t n = 0; n < f->nr_chunks; n++) {
        uint64_t ci = (f->next_chunk + n) % f->nr_chunks;
        struct frame_chunk *c = f->chunk[ci];

        if (c == NULL || c->nr_takeable == 0)
            continue;
        for (unsigned int w = 0; w < FRAMES_PER_CHUNK / 64; w++) {
            for (uint64_t bits = c->pooled[w]; bits != 0; bits &= bits - 1) {
                unsigned int b = (unsigned int)__builtin_ctzll(bits);
                uint64_t idx = ci * FRAMES_PER_CHUNK + w * 64 + b;

                if (c->refs[w * 64 + b] != 0)
                    continue; /* still mapped by another domain */
                set_pooled(f, c, idx, false);
                f->next_chunk = ci;
                return (int64_t)idx;
            }
        }
    }
    return -1;
}

/* For a 1:1 domain: frame gfn's own frame, if it is pooled and unreferenced; else -1. */
static int64_t take_own_frame(struct domain *d, struct physmap_frames *f, gfn_t gfn)
{
    gfn_t first = arch_guest_ram_first_gfn(d);
    uint64_t idx = gfn - first;
    struct frame_chunk *c;

    if (gfn < first || idx >= f->nr_frames)
        return -1;
    c = f->chunk[idx / FRAMES_PER_CHUNK];
    if (c == NULL || !is_pooled(c, idx) || c->refs[idx % FRAMES_PER_CHUNK] != 0)
        return -1;
    set_pooled(f, c, idx, false);
    return (int64_t)idx;
}

int physmap_populate(struct domain *d, gfn_t gfn)
{
    unsigned long flags = spin_lock_irqsave(&d->physmap_lock);
    struct physmap_frames *f = frames_of(d);
    enum physmap_type t;
    void *page;
    int64_t idx;
    int rc = 0;

    t = arch_guest_physmap_query(d, gfn, &page);
    if (f == NULL) {
        rc = -ENOMEM;
    } else if (t == PHYSMAP_RAM) {
        /*
         * Xen replaces the page a gfn already has with a new one. Here the old one goes
         * back into the pool first rather than being lost to the domain, as Xen/Arm loses it.
         */
        rc = give_back_locked(d, gfn);
    } else if (t != PHYSMAP_NONE) {
        rc = -EBUSY; /* a hypervisor page or a grant mapping: their owners track them */
    }
    if (rc == 0) {
        /* A 1:1 domain's frame goes back where it was built (Xen: gfn == mfn), or nowhere. */
        idx = arch_domain_direct_mapped(d) ? take_own_frame(d, f, gfn) : take_from_pool(f);
        if (idx < 0) {
            rc = -ENOMEM;
        } else {
            page = arch_guest_ram_frame(d, (uint64_t)idx);
            /* What it held before it was given back, or what a grantee wrote: not for now. */
            memset(page, 0, PAGE_SIZE);
            rc = arch_guest_physmap_set(d, gfn, page, PHYSMAP_RAM);
            if (rc != 0)
                set_pooled(f, f->chunk[(uint64_t)idx / FRAMES_PER_CHUNK], (uint64_t)idx, true);
        }
    }
    spin_unlock_irqrestore(&d->physmap_lock, flags);
    return rc;
}

int physmap_map_grant(struct domain *d, gfn_t gfn, void *page, bool readonly)
{
    unsigned long flags = spin_lock_irqsave(&d->physmap_lock);
    void *old;
    enum physmap_type t = arch_guest_physmap_query(d, gfn, &old);
    int rc = 0;

    if (t == PHYSMAP_RAM)
        rc = give_back_locked(d, gfn); /* as populate does: the frame stays d's, pooled */
    else if (t != PHYSMAP_NONE)
        rc = -EBUSY; /* a hypervisor page or another grant: their owners track them */
    if (rc == 0)
        rc = arch_guest_physmap_set(d, gfn, page, readonly ? PHYSMAP_GRANT_RO : PHYSMAP_GRANT_RW);
    spin_unlock_irqrestore(&d->physmap_lock, flags);
    return rc;
}

int physmap_unmap_grant(struct domain *d, gfn_t gfn, const void *page)
{
    unsigned long flags = spin_lock_irqsave(&d->physmap_lock);
    void *at;
    enum physmap_type t = arch_guest_physmap_query(d, gfn, &at);
    int rc = -ENOENT;

    if ((t == PHYSMAP_GRANT_RW || t == PHYSMAP_GRANT_RO) && at == page)
        rc = arch_guest_physmap_clear(d, gfn);
    spin_unlock_irqrestore(&d->physmap_lock, flags);
    return rc;
}

int physmap_claim(struct domain *d)
{
    unsigned long flags = spin_lock_irqsave(&d->physmap_lock);
    int rc = d->physmap != NULL && take_from_pool(d->physmap) >= 0 ? 0 : -ENOMEM;

    spin_unlock_irqrestore(&d->physmap_lock, flags);
    return rc;
}

int physmap_get_frame(struct domain *d, gfn_t gfn, void **page, uint64_t *idx)
{
    unsigned long flags = spin_lock_irqsave(&d->physmap_lock);
    struct physmap_frames *f = frames_of(d);
    int64_t i = ram_at(d, gfn);
    struct frame_chunk *c = NULL;
    int rc = -ENOENT;

    if (f == NULL)
        rc = -ENOMEM;
    else if (i >= 0 && (uint64_t)i < f->nr_frames) {
        c = chunk_of(d, f, (uint64_t)i, true);
        if (c == NULL)
            rc = -ENOMEM;
        else if (c->refs[i % FRAMES_PER_CHUNK] == FRAME_REFS_MAX)
            rc = -EBUSY;
        else {
            change_refs(c, (uint64_t)i, +1);
            *page = arch_guest_ram_frame(d, (uint64_t)i);
            *idx = (uint64_t)i;
            rc = 0;
        }
    }
    spin_unlock_irqrestore(&d->physmap_lock, flags);
    return rc;
}

void physmap_put_frame(struct domain *d, uint64_t idx)
{
    unsigned long flags = spin_lock_irqsave(&d->physmap_lock);
    struct physmap_frames *f = d->physmap;
    struct frame_chunk *c = f != NULL && idx < f->nr_frames ? chunk_of(d, f, idx, false) : NULL;

    if (c != NULL && c->refs[idx % FRAMES_PER_CHUNK] != 0)
        change_refs(c, idx, -1);
    spin_unlock_irqrestore(&d->physmap_lock, flags);
}

void physmap_domain_reset(struct domain *d)
{
    unsigned long flags = spin_lock_irqsave(&d->physmap_lock);
    struct physmap_frames *f = d->physmap;

    d->physmap = NULL;
    spin_unlock_irqrestore(&d->physmap_lock, flags);
    if (f == NULL)
        return;
    for (uint64_t i = 0; i < f->nr_chunks; i++)
        domain_xfree(d, f->chunk[i]);
    domain_xfree(d, f);
}
