/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The 2-level and 3-level event-channel ABIs: one algorithm, parameterised by the number
 * of levels.
 *
 * Both keep one pending and one mask bit per port in a shared leaf bitmap and tell the
 * guest which leaf words to look at through a tree of per-vCPU selectors:
 *
 *   2-level: leaf = shared_info.evtchn_pending/evtchn_mask (xen_ulong_t words);
 *            L1   = vcpu_info.evtchn_pending_sel, bit i = leaf word i.
 *   3-level: leaf = L3, guest pages of uint64_t words (EVTCHN_3L_CMD_REGISTER_BITMAPS);
 *            L2   = per-vCPU array of word_bits xen_ulong_t words, bit j (counted across
 *                   the words) = L3 word j (EVTCHN_3L_CMD_REGISTER_L2);
 *            L1   = vcpu_info.evtchn_pending_sel, bit i = L2 word i.
 *
 * Every bitmap is an array of little-endian words, so "bit n" is bit n%8 of byte n/8
 * whatever the word width: a selector bit index is simply the leaf word index divided
 * by word_bits once per level climbed. Delivery sets the leaf pending bit and, if the
 * port is unmasked, climbs the selectors with test-and-set, stopping at the first bit
 * that was already set (the guest has not consumed it yet, so it will look below it);
 * only when every level was newly set does the vCPU get an upcall. The guest consumes
 * top-down (clear upcall_pending, xchg L1, xchg L2, read leaf), so this order never
 * loses an event.
 *
 * The layout of the 2-level words depends on the guest (d->guest_layout) and may change
 * at run time (x86 latches the guest's width), so 2-level reads it on every operation.
 * 3-level latches word_bits when the bitmaps are registered, because the size of every
 * registered L2 selector was validated against it.
 *
 * EVTCHNOP_register_3level errors (all checked before any state changes):
 *   -EINVAL  unknown cmd;
 *            REGISTER_BITMAPS: nr_pages 0 or > EVTCHN_3L_MAX_PAGES, a gfn that is not the
 *            domain's writable RAM, or the domain is not on the 2-level ABI (bitmaps
 *            already registered, or FIFO in use: only EVTCHNOP_reset leaves those);
 *            REGISTER_L2: bitmaps not registered yet, a bad l2_gfn, an offset not aligned
 *            to xen_ulong_t, or an L2 selector that would cross the end of the page.
 *   -ENOENT  REGISTER_L2 for a vCPU the domain does not have.
 *   -EEXIST  REGISTER_L2 for a vCPU that already registered its L2.
 *   -ENOMEM  no memory for the hypervisor's 3-level state.
 */
#include <xen/alloc.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/evtchn.h>
#include <xen/guest_atomic.h>
#include <xen/lib.h>
#include <xen/nospec.h>

/*
 * The helpers of the hot operations take `levels` as a parameter (one body for 2 and 3
 * levels); ALWAYS_INLINE into bm2_* and bm3_*, each gets the body with its constant
 * folded in: the 2-level send does none of the 3-level geometry.
 */

#define BITS_PER_PAGE (PAGE_SIZE * 8)
#define L3_WORD_BITS  64 /* the 3-level leaf words are uint64_t for every guest */

BUILD_BUG_ON(EVTCHN_3L_NR_CHANNELS(64) != EVTCHN_MAX_PORTS);
BUILD_BUG_ON(EVTCHN_MAX_PORTS / BITS_PER_PAGE != EVTCHN_3L_MAX_PAGES);

/* Hypervisor-private 3-level state of a domain; every field under d->event_lock. */
struct evtchn_3l_domain {
    uint32_t nr_pages;  /* pages in each of the pending and mask bitmaps */
    uint32_t nr_ports;  /* ports the registered pages can hold (<= 3L capacity) */
    uint32_t word_bits; /* guest xen_ulong_t width when the bitmaps were registered */
    void *pending[EVTCHN_3L_MAX_PAGES];
    void *mask[EVTCHN_3L_MAX_PAGES];
    void *l2_page[MAX_VCPUS]; /* each vCPU's L2 page mapped (its L2 selector is inside) */
};

/* 3-level's own state, in its slots of struct domain and struct vcpu (NULL: none). */
static struct evtchn_3l_domain *l3_of(const struct domain *d)
{
    /* Relaxed, as the plain field it replaced: published and cleared under the event lock. */
    return __atomic_load_n(&d->evtchn_abi[EVTCHN_ABI_3L], __ATOMIC_RELAXED);
}

/* v's L2 selector, inside the guest page l3->l2_page[v] maps. */
static void *l2_selector_of(const struct vcpu *v)
{
    return __atomic_load_n(&v->evtchn_abi[EVTCHN_ABI_3L], __ATOMIC_RELAXED);
}

/* How the bits of a port are laid out right now for an n-level domain. */
struct bm_geom {
    unsigned int levels;    /* 2 or 3 */
    unsigned int word_bits; /* bits per selector word (the guest's xen_ulong_t) */
    unsigned int leaf_bits; /* ports covered by one bit of the lowest selector */
    uint32_t nr_ports;
};

/* False if the domain has no state for this ABI (3-level not registered, or left). */
static ALWAYS_INLINE bool bm_geom(const struct domain *d, unsigned int levels, struct bm_geom *g)
{
    const struct evtchn_3l_domain *l3;

    g->levels = levels;
    if (levels == 2) {
        g->word_bits = d->guest_layout->word_bits;
        g->leaf_bits = g->word_bits;
        g->nr_ports = EVTCHN_2L_NR_CHANNELS_BITS(g->word_bits);
        return d->shared_info != NULL;
    }
    l3 = l3_of(d);
    if (l3 == NULL)
        return false;
    g->word_bits = l3->word_bits;
    g->leaf_bits = L3_WORD_BITS;
    g->nr_ports = l3->nr_ports;
    return true;
}

enum bm_bitmap { BM_PENDING, BM_MASK };

/*
 * The leaf bitmaps (pending and mask) holding port's bits, with the bits' index inside
 * them stored in *bit. False if the port is beyond what the ABI can address (it is then
 * never pending and always masked, so nothing reaches guest memory for it). Both at once:
 * one bound check and one speculation barrier for the pair.
 */
static ALWAYS_INLINE bool bm_leaves(const struct domain *d, const struct bm_geom *g, uint32_t port,
                                    unsigned int *bit, void **pending, void **mask)
{
    const struct guest_layout *l = d->guest_layout;
    const struct evtchn_3l_domain *l3;
    uint32_t page;

    if (port >= g->nr_ports)
        return false;
    port = array_index_nospec(port, g->nr_ports);
    if (g->levels == 2) {
        *bit = port;
        *pending = (uint8_t *)d->shared_info + l->shinfo_pending_off;
        *mask = (uint8_t *)d->shared_info + l->shinfo_mask_off;
        return true;
    }
    /* The pages need not be contiguous: each holds BITS_PER_PAGE consecutive ports. */
    l3 = l3_of(d); /* only here: an atomic load the 2-level path would pay for, unused */
    page = array_index_nospec(port / BITS_PER_PAGE, l3->nr_pages);
    *bit = port % BITS_PER_PAGE;
    *pending = l3->pending[page];
    *mask = l3->mask[page];
    return *pending != NULL && *mask != NULL;
}

/* One of the two (bm_leaves); NULL if the port is beyond what the ABI can address. */
static ALWAYS_INLINE void *bm_leaf(const struct domain *d, const struct bm_geom *g,
                                   enum bm_bitmap which, uint32_t port, unsigned int *bit)
{
    void *pending, *mask;

    if (!bm_leaves(d, g, port, bit, &pending, &mask))
        return NULL;
    return which == BM_PENDING ? pending : mask;
}

/* Selector `level` of v: 1 is vcpu_info.evtchn_pending_sel, 2 the 3-level L2 (or NULL). */
static ALWAYS_INLINE void *bm_selector(const struct domain *d, const struct vcpu *v,
                                       unsigned int level)
{
    if (level == 1)
        return v->vcpu_info == NULL ? NULL
                                    : (uint8_t *)v->vcpu_info + d->guest_layout->pending_sel_off;
    return l2_selector_of(v);
}

/*
 * Port is pending and unmasked in the leaf: set its selector bits bottom-up and signal v
 * if every one of them was newly set. A vCPU without a selector at some level (3-level
 * L2 not registered yet) gets nothing; the event stays pending in the leaf and the L2
 * registration raises it (l3_reraise).
 */
static ALWAYS_INLINE void bm_raise(struct domain *d, const struct bm_geom *g, struct vcpu *v,
                                   uint32_t port)
{
    uint32_t idx = port / g->leaf_bits;
    unsigned int level;

    for (level = g->levels - 1; level >= 1; level--) {
        void *sel = bm_selector(d, v, level);

        if (sel == NULL)
            return;
        /*
         * 3-level sized its L1 index when the bitmaps were registered; if the guest's
         * width has been re-latched narrower since, stay inside evtchn_pending_sel.
         */
        if (level == 1 && idx >= d->guest_layout->word_bits)
            return;
        /* Already set (or the guest starved us): the guest will still look below it. */
        if (guest_test_and_set_bit(d, idx, sel))
            return;
        idx /= g->word_bits;
    }
    vcpu_mark_events_pending(v);
}

/* ---- The operations, once for any number of levels ------------------------------------ */

static uint32_t bm_max_ports(const struct domain *d, unsigned int levels)
{
    struct bm_geom g;

    return bm_geom(d, levels, &g) ? g.nr_ports : 0;
}

/* Where chn's pending and mask bits live; false if this ABI cannot hold the port now. */
static ALWAYS_INLINE bool bm_locate(struct domain *d, unsigned int levels, const struct evtchn *chn,
                                    struct bm_geom *g, unsigned int *bit, void **pending,
                                    void **mask)
{
    if (!bm_geom(d, levels, g))
        return false;
    return bm_leaves(d, g, chn->port, bit, pending, mask);
}

/* chn became pending and unmasked: raise its selectors on the vCPU it notifies. */
static ALWAYS_INLINE void bm_notify(struct domain *d, const struct bm_geom *g,
                                    const struct evtchn *chn)
{
    struct vcpu *v = domain_vcpu(d, chn->notify_vcpu);

    if (v != NULL)
        bm_raise(d, g, v, chn->port);
}

static ALWAYS_INLINE void bm_set_pending(struct domain_locked dl, struct evtchn *chn,
                                         unsigned int levels)
{
    struct domain *d = dl.d;
    struct bm_geom g;
    unsigned int bit;
    void *pending, *mask;

    if (!bm_locate(d, levels, chn, &g, &bit, &pending, &mask))
        return;
    /* Already pending: the guest has not handled the last edge yet, no new one. */
    if (guest_test_and_set_bit(d, bit, pending))
        return;
    if (guest_test_bit(bit, mask))
        return;
    bm_notify(d, &g, chn);
}

static void bm_clear_pending(struct domain_locked dl, struct evtchn *chn, unsigned int levels)
{
    struct domain *d = dl.d;
    struct bm_geom g;
    unsigned int bit;
    void *pending;

    if (!bm_geom(d, levels, &g))
        return;
    pending = bm_leaf(d, &g, BM_PENDING, chn->port, &bit);
    if (pending != NULL)
        guest_clear_bit(d, bit, pending);
}

static void bm_unmask(struct domain_locked dl, struct evtchn *chn, unsigned int levels)
{
    struct domain *d = dl.d;
    struct bm_geom g;
    unsigned int bit;
    void *pending, *mask;

    if (!bm_locate(d, levels, chn, &g, &bit, &pending, &mask))
        return;
    /*
     * Only a mask we cleared ourselves re-delivers: a guest that cleared it by hand has
     * already decided how to deal with a pending event (Xen's rule).
     */
    if (!guest_test_and_clear_bit(d, bit, mask) || !guest_test_bit(bit, pending))
        return;
    bm_notify(d, &g, chn);
}

static bool bm_test(const struct domain *d, const struct evtchn *chn, unsigned int levels,
                    enum bm_bitmap which, bool outside)
{
    struct bm_geom g;
    unsigned int bit;
    const void *bitmap;

    if (!bm_geom(d, levels, &g))
        return outside;
    bitmap = bm_leaf(d, &g, which, chn->port, &bit);
    return bitmap == NULL ? outside : guest_test_bit(bit, bitmap);
}

static bool bm_is_pending(const struct domain *d, const struct evtchn *chn, unsigned int levels)
{
    return bm_test(d, chn, levels, BM_PENDING, false);
}

/* A port the ABI cannot address counts as masked: nothing must ever deliver it. */
static bool bm_is_masked(const struct domain *d, const struct evtchn *chn, unsigned int levels)
{
    return bm_test(d, chn, levels, BM_MASK, true);
}

static void bm_describe(const struct domain *d, const struct evtchn *chn,
                        struct evtchn_abi_state *out, unsigned int levels)
{
    out->pending = bm_is_pending(d, chn, levels);
    out->masked = bm_is_masked(d, chn, levels);
    out->linked = false;
    out->busy = false;
    out->priority = 0;
    out->queue_vcpu = -1;
}

/* The bitmaps' pages go back to the guest; the domain returns to 2-level afterwards. */
static void bm_leave(struct domain_locked dl, unsigned int levels)
{
    struct domain *d = dl.d;
    struct evtchn_3l_domain *l3 = l3_of(d);
    uint32_t i;

    if (levels == 2 || l3 == NULL)
        return; /* 2-level lives in shared_info: nothing of ours to free */

    /* Unpublish before unmapping, so no path can reach a dead mapping. */
    __atomic_store_n(&d->evtchn_abi[EVTCHN_ABI_3L], NULL, __ATOMIC_RELEASE);
    for (i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++)
        if (d->vcpu[i] != NULL)
            __atomic_store_n(&d->vcpu[i]->evtchn_abi[EVTCHN_ABI_3L], NULL, __ATOMIC_RELEASE);
    for (i = 0; i < MAX_VCPUS; i++)
        if (l3->l2_page[i] != NULL)
            arch_unmap_guest_frame(d, l3->l2_page[i]);
    for (i = 0; i < EVTCHN_3L_MAX_PAGES; i++) {
        if (l3->pending[i] != NULL)
            arch_unmap_guest_frame(d, l3->pending[i]);
        if (l3->mask[i] != NULL)
            arch_unmap_guest_frame(d, l3->mask[i]);
    }
    domain_xfree(d, l3);
}

/* The bitmap ABIs keep no per-port state of their own. */
static void bm_bind(struct domain_locked dl, struct evtchn *chn)
{
    (void)dl;
    (void)chn;
}

static bool bm_is_busy(const struct domain *d, const struct evtchn *chn)
{
    (void)d;
    (void)chn;
    return false; /* the guest never holds a reference to a bitmap port */
}

/*
 * The two tables. Both levels share every function above with the level count as a
 * parameter; an ops table has no room for one, so each level has its thin entry points.
 */
static uint32_t bm2_max_ports(const struct domain *d)
{
    return bm_max_ports(d, 2);
}

static uint32_t bm3_max_ports(const struct domain *d)
{
    return bm_max_ports(d, 3);
}

static void bm2_set_pending(struct domain_locked dl, struct evtchn *chn)
{
    bm_set_pending(dl, chn, 2);
}

static void bm3_set_pending(struct domain_locked dl, struct evtchn *chn)
{
    bm_set_pending(dl, chn, 3);
}

static void bm2_clear_pending(struct domain_locked dl, struct evtchn *chn)
{
    bm_clear_pending(dl, chn, 2);
}

static void bm3_clear_pending(struct domain_locked dl, struct evtchn *chn)
{
    bm_clear_pending(dl, chn, 3);
}

static void bm2_unmask(struct domain_locked dl, struct evtchn *chn)
{
    bm_unmask(dl, chn, 2);
}

static void bm3_unmask(struct domain_locked dl, struct evtchn *chn)
{
    bm_unmask(dl, chn, 3);
}

static bool bm2_is_pending(const struct domain *d, const struct evtchn *chn)
{
    return bm_is_pending(d, chn, 2);
}

static bool bm3_is_pending(const struct domain *d, const struct evtchn *chn)
{
    return bm_is_pending(d, chn, 3);
}

static bool bm2_is_masked(const struct domain *d, const struct evtchn *chn)
{
    return bm_is_masked(d, chn, 2);
}

static bool bm3_is_masked(const struct domain *d, const struct evtchn *chn)
{
    return bm_is_masked(d, chn, 3);
}

static void bm2_describe(const struct domain *d, const struct evtchn *chn,
                         struct evtchn_abi_state *out)
{
    bm_describe(d, chn, out, 2);
}

static void bm3_describe(const struct domain *d, const struct evtchn *chn,
                         struct evtchn_abi_state *out)
{
    bm_describe(d, chn, out, 3);
}

static void bm2_leave(struct domain_locked dl)
{
    bm_leave(dl, 2);
}

static void bm3_leave(struct domain_locked dl)
{
    bm_leave(dl, 3);
}

/* The default ABI: every domain starts here and comes back here on EVTCHNOP_reset. */
const struct evtchn_port_ops evtchn_ops_2l = {
    .name = "2-level",
    .max_ports = bm2_max_ports,
    .bind = bm_bind,
    .set_pending = bm2_set_pending,
    .clear_pending = bm2_clear_pending,
    .unmask = bm2_unmask,
    .is_pending = bm2_is_pending,
    .is_masked = bm2_is_masked,
    .is_busy = bm_is_busy,
    .set_priority = NULL,
    .describe = bm2_describe,
    .leave = bm2_leave,
};

const struct evtchn_port_ops evtchn_ops_3l = {
    .name = "3-level",
    .max_ports = bm3_max_ports,
    .bind = bm_bind,
    .set_pending = bm3_set_pending,
    .clear_pending = bm3_clear_pending,
    .unmask = bm3_unmask,
    .is_pending = bm3_is_pending,
    .is_masked = bm3_is_masked,
    .is_busy = bm_is_busy,
    .set_priority = NULL,
    .describe = bm3_describe,
    .leave = bm3_leave,
};

/* ---- 3-level registration -------------------------------------------------------------- */

static void l3_free(struct domain *d, struct evtchn_3l_domain *l3)
{
    unsigned int i;

    for (i = 0; i < EVTCHN_3L_MAX_PAGES; i++) {
        if (l3->pending[i] != NULL)
            arch_unmap_guest_frame(d, l3->pending[i]);
        if (l3->mask[i] != NULL)
            arch_unmap_guest_frame(d, l3->mask[i]);
    }
    domain_xfree(d, l3);
}

static int l3_register_bitmaps(struct domain *d, const struct evtchn_register_3level *op)
{
    struct evtchn_3l_domain *l3;
    struct domain_locked dl;
    unsigned long flags;
    unsigned int i, word_bits;
    uint32_t nr_pages = op->nr_pages;

    if (nr_pages == 0 || nr_pages > EVTCHN_3L_MAX_PAGES)
        return -EINVAL;
    nr_pages = array_index_nospec(nr_pages, EVTCHN_3L_MAX_PAGES + 1);

    l3 = domain_xzalloc(d, struct evtchn_3l_domain);
    if (l3 == NULL)
        return -ENOMEM;
    l3->nr_pages = nr_pages;

    /* Map outside the lock: mapping touches no event state, and may be slow. */
    for (i = 0; i < nr_pages; i++) {
        l3->pending[i] = arch_map_guest_frame(d, op->pending_gfn[i]);
        l3->mask[i] = arch_map_guest_frame(d, op->mask_gfn[i]);
        if (l3->pending[i] == NULL || l3->mask[i] == NULL) {
            l3_free(d, l3);
            return -EINVAL;
        }
    }

    dl = evtchn_lock(d, &flags);
    /* Only from the default ABI: a second registration, or FIFO, must reset first. */
    if (!evtchn_on_default_abi(d)) {
        evtchn_unlock(dl, flags);
        l3_free(d, l3);
        return -EINVAL;
    }
    word_bits = d->guest_layout->word_bits;
    l3->word_bits = word_bits;
    l3->nr_ports = MIN((uint32_t)EVTCHN_3L_NR_CHANNELS(word_bits), nr_pages * BITS_PER_PAGE);

    /*
     * Fully built before it is reachable. No vCPU has an L2 yet, so the events the switch
     * carries over land in L3 only; each vCPU's REGISTER_L2 raises its own.
     */
    __atomic_store_n(&d->evtchn_abi[EVTCHN_ABI_3L], l3, __ATOMIC_RELEASE);
    evtchn_switch_abi(dl, &evtchn_ops_3l);
    evtchn_unlock(dl, flags);
    return 0;
}

/*
 * v just got its L2: deliver what is already pending and unmasked for it in L3. One pass
 * over at most EVTCHN_MAX_PORTS / 32 words, under the lock like every other delivery.
 */
static void l3_reraise(struct domain *d, const struct bm_geom *g, struct vcpu *v)
{
    uint32_t limit = MIN(g->nr_ports, d->valid_evtchns);
    uint32_t base;

    for (base = 0; base < limit; base += 32) {
        unsigned int bit;
        const uint32_t *pw, *mw;
        uint32_t ready;
        void *pending, *mask;

        if (!bm_leaves(d, g, base, &bit, &pending, &mask))
            break;
        pw = guest_bit_word(pending, bit);
        mw = guest_bit_word(mask, bit);
        ready = guest_read32(pw) & ~guest_read32(mw);
        while (ready != 0) { /* at most 32 rounds: one bit cleared each */
            unsigned int b = (unsigned int)__builtin_ctz(ready);
            uint32_t port = base + b;
            const struct evtchn *chn;

            ready &= ready - 1;
            if (port >= limit)
                break;
            chn = evtchn_from_port(d, port);
            if (chn != NULL && chn->state > ECS_RESERVED && chn->notify_vcpu == v->vcpu_id)
                bm_raise(d, g, v, port);
        }
    }
}

static int l3_register_l2(struct domain *d, const struct evtchn_register_3level *op)
{
    struct domain_locked dl;
    unsigned long flags;
    struct vcpu *v;
    struct bm_geom g;
    uint32_t id, word_bytes, l2_bytes;
    void *page;
    int rc = 0;

    if (op->vcpu >= d->max_vcpus || op->vcpu >= MAX_VCPUS)
        return -ENOENT;
    id = array_index_nospec(op->vcpu, MIN(d->max_vcpus, MAX_VCPUS));
    v = d->vcpu[id];
    if (v == NULL)
        return -ENOENT;

    page = arch_map_guest_frame(d, op->l2_gfn);
    if (page == NULL)
        return -EINVAL;

    dl = evtchn_lock(d, &flags);
    if (d->evtchn_ops != &evtchn_ops_3l || !bm_geom(d, 3, &g)) {
        rc = -EINVAL;
        goto out;
    }
    /* word_bits words of word_bits bits; aligned so every guest atomic is natural. */
    word_bytes = g.word_bits / 8;
    l2_bytes = g.word_bits * word_bytes;
    if (op->offset % word_bytes != 0 || op->offset > PAGE_SIZE - l2_bytes) {
        rc = -EINVAL;
        goto out;
    }
    if (l2_selector_of(v) != NULL) {
        rc = -EEXIST;
        goto out;
    }
    l3_of(d)->l2_page[id] = page;
    __atomic_store_n(&v->evtchn_abi[EVTCHN_ABI_3L], (uint8_t *)page + op->offset, __ATOMIC_RELEASE);
    page = NULL; /* now owned by the 3-level state */
    l3_reraise(d, &g, v);

out:
    evtchn_unlock(dl, flags);
    if (page != NULL)
        arch_unmap_guest_frame(d, page);
    return rc;
}

int evtchn_3l_register(struct domain *d, const struct evtchn_register_3level *op)
{
    switch (op->cmd) {
    case EVTCHN_3L_CMD_REGISTER_BITMAPS:
        return l3_register_bitmaps(d, op);
    case EVTCHN_3L_CMD_REGISTER_L2:
        return l3_register_l2(d, op);
    default:
        return -EINVAL;
    }
}
