/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest model of the 2-level and 3-level ABIs, written the way Linux's events_2l.c
 * consumes events (and the 3-level RFC extends it by one selector level):
 *
 *   1. clear vcpu_info.evtchn_upcall_pending, *before* looking at any selector;
 *   2. take the L1 selector with an atomic exchange (and, for 3-level, each L2 word it
 *      selects), so a bit the hypervisor sets afterwards raises a new upcall;
 *   3. handle pending & ~mask in every selected leaf word, round-robin from the port
 *      after the last one handled (fairness: a busy low port cannot starve high ones),
 *      clearing each pending bit before calling the handler (Linux's clear_evtchn);
 *   4. go again while evtchn_upcall_pending was set meanwhile (bounded).
 *
 * This is the guest: it uses plain host atomics on its own memory, not the hypervisor's
 * bounded helpers. It reaches vcpu_info and shared_info through the pointers the
 * hypervisor uses (where the guest mapped them), and its own 3-level pages by gfn,
 * so a stale model entry can never touch freed memory.
 */
#include <pthread.h>
#include <string.h>

#include <xen/errno.h>

#include "guest_model.h"

#define MODEL_MAX_ROUNDS 64 /* upcall re-runs per guest_consume: a flood cannot hang a test */
#define L3_WORD_BITS     64
#define BITS_PER_PAGE    (PAGE_SIZE * 8)
#define MAX_LEAF_WORDS   (EVTCHN_MAX_PORTS / L3_WORD_BITS) /* 3-level, 64-bit words */

struct bitmap_model {
    struct domain *d; /* the domain this entry describes; anything else: no entry */
    bool l3;          /* 3-level bitmaps registered through this model */
    uint32_t word_bits;
    uint32_t nr_pages;
    gfn_t pending_gfn[EVTCHN_3L_MAX_PAGES];
    gfn_t mask_gfn[EVTCHN_3L_MAX_PAGES];
    gfn_t l2_page[MAX_VCPUS]; /* pages holding L2 selectors, several vCPUs each */
    gfn_t l2_gfn[MAX_VCPUS];  /* 0: this vCPU has no L2 registered */
    uint32_t l2_offset[MAX_VCPUS];
    uint32_t next_port[MAX_VCPUS]; /* round-robin: where the next scan starts */
};

static struct bitmap_model models[MAX_DOMAINS];

/*
 * The entry for d, blanked the first time d asks (a left-over entry for a destroyed domain
 * with the same id is not d's). Stress tests consume on several threads at once, so the
 * blanking is done once, under a lock, and published with release.
 */
static struct bitmap_model *model_of(struct domain *d)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    struct bitmap_model *m = &models[d->domain_id % MAX_DOMAINS];

    if (__atomic_load_n(&m->d, __ATOMIC_ACQUIRE) == d)
        return m;
    pthread_mutex_lock(&lock);
    if (m->d != d) {
        memset(m, 0, sizeof(*m));
        __atomic_store_n(&m->d, d, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&lock);
    return m;
}

void guest_bitmap_forget(struct domain *d)
{
    memset(&models[d->domain_id % MAX_DOMAINS], 0, sizeof(models[0]));
}

/* ---- Where the guest's words are ---------------------------------------------------- */

struct bitmap_view {
    unsigned int levels;
    unsigned int word_bits; /* selector words */
    unsigned int leaf_bits; /* bits per leaf word */
    uint32_t nr_ports;
};

static bool bitmap_view(struct domain *d, struct bitmap_view *bv)
{
    struct bitmap_model *m = model_of(d);

    if (guest_abi(d) == GUEST_ABI_3L) {
        if (!m->l3)
            return false; /* registered behind the model's back: it has no addresses */
        bv->levels = 3;
        bv->word_bits = m->word_bits;
        bv->leaf_bits = L3_WORD_BITS;
        bv->nr_ports =
            MIN((uint32_t)EVTCHN_3L_NR_CHANNELS(m->word_bits), m->nr_pages * BITS_PER_PAGE);
        return true;
    }
    bv->levels = 2;
    bv->word_bits = d->guest_layout->word_bits;
    bv->leaf_bits = bv->word_bits;
    bv->nr_ports = EVTCHN_2L_NR_CHANNELS_BITS(bv->word_bits);
    return true;
}

/* The leaf bitmap holding `port` and the bit index within it; NULL outside the ABI. */
static uint8_t *leaf_bitmap(struct domain *d, const struct bitmap_view *bv, bool mask,
                            uint32_t port, uint32_t *bit)
{
    struct bitmap_model *m = model_of(d);
    const struct guest_layout *l = d->guest_layout;
    uint32_t page;

    if (port >= bv->nr_ports)
        return NULL;
    if (bv->levels == 2) {
        *bit = port;
        return (uint8_t *)d->shared_info + (mask ? l->shinfo_mask_off : l->shinfo_pending_off);
    }
    page = port / BITS_PER_PAGE;
    *bit = port % BITS_PER_PAGE;
    return harness_gfn_to_va(d, mask ? m->mask_gfn[page] : m->pending_gfn[page]);
}

static uint64_t *l2_selector(struct vcpu *v)
{
    struct bitmap_model *m = model_of(v->domain);
    uint8_t *page;

    if (v->vcpu_id >= MAX_VCPUS || m->l2_gfn[v->vcpu_id] == 0)
        return NULL;
    page = harness_gfn_to_va(v->domain, m->l2_gfn[v->vcpu_id]);
    return page == NULL ? NULL : (uint64_t *)(page + m->l2_offset[v->vcpu_id]);
}

static void *l1_selector(struct vcpu *v)
{
    return (uint8_t *)v->vcpu_info + v->domain->guest_layout->pending_sel_off;
}

/* Guest atomics on its own words: bit n of a little-endian bitmap is in 32-bit word n/32. */
static bool bit_test(const uint8_t *bitmap, uint32_t n)
{
    const uint32_t *w = (const uint32_t *)bitmap + n / 32;

    return (__atomic_load_n(w, __ATOMIC_SEQ_CST) >> (n % 32)) & 1;
}

static bool bit_test_and_clear(uint8_t *bitmap, uint32_t n)
{
    uint32_t bit = 1u << (n % 32);

    return __atomic_fetch_and((uint32_t *)bitmap + n / 32, ~bit, __ATOMIC_SEQ_CST) & bit;
}

static void bit_set(uint8_t *bitmap, uint32_t n)
{
    __atomic_fetch_or((uint32_t *)bitmap + n / 32, 1u << (n % 32), __ATOMIC_SEQ_CST);
}

/* xchg(word, 0) on a selector word of the guest's xen_ulong_t width. */
static uint64_t take_word(void *word, unsigned int word_bits)
{
    if (word_bits == 32)
        return __atomic_exchange_n((uint32_t *)word, 0, __ATOMIC_SEQ_CST);
    return __atomic_exchange_n((uint64_t *)word, 0, __ATOMIC_SEQ_CST);
}

/* Leaf word w, pending & ~mask. */
static uint64_t leaf_ready(struct domain *d, const struct bitmap_view *bv, uint32_t w)
{
    uint32_t bit, i;
    uint64_t ready = 0;
    const uint8_t *p = leaf_bitmap(d, bv, false, w * bv->leaf_bits, &bit);
    const uint8_t *mk = leaf_bitmap(d, bv, true, w * bv->leaf_bits, &bit);

    if (p == NULL || mk == NULL)
        return 0;
    for (i = 0; i < bv->leaf_bits / 32; i++) {
        const uint32_t *pw = (const uint32_t *)p + bit / 32 + i;
        const uint32_t *mw = (const uint32_t *)mk + bit / 32 + i;

        ready |= (uint64_t)(__atomic_load_n(pw, __ATOMIC_SEQ_CST) &
                            ~__atomic_load_n(mw, __ATOMIC_SEQ_CST))
                 << (32 * i);
    }
    return ready;
}

/*
 * Linux handles a port only on the CPU it bound it to (its per-CPU binding mask). The
 * model learns the binding the way any guest can: EVTCHNOP_status. One vCPU: no need.
 */
static bool bound_elsewhere(struct vcpu *v, evtchn_port_t port)
{
    struct evtchn_status st = {.dom = DOMID_SELF, .port = port};

    if (v->domain->max_vcpus == 1)
        return false;
    if (harness_evtchn_op(v, EVTCHNOP_status, &st, sizeof(st)) != 0)
        return false;
    return st.status != EVTCHNSTAT_closed && st.vcpu != v->vcpu_id;
}

/* ---- The upcall ----------------------------------------------------------------------- */

/* Take the selectors top-down; mark in `words` every leaf word they point at. */
static void take_selectors(struct vcpu *v, const struct bitmap_view *bv, uint64_t *words)
{
    uint64_t l1 = take_word(l1_selector(v), bv->word_bits);
    uint64_t *l2 = bv->levels == 3 ? l2_selector(v) : NULL;

    while (l1 != 0) { /* at most word_bits rounds */
        uint32_t i = (uint32_t)__builtin_ctzll(l1);

        l1 &= l1 - 1;
        if (bv->levels == 2) {
            words[i / 64] |= 1ull << (i % 64);
            continue;
        }
        if (l2 == NULL)
            continue;
        uint64_t sel = take_word((uint8_t *)l2 + i * (bv->word_bits / 8), bv->word_bits);

        while (sel != 0) {
            uint32_t w = i * bv->word_bits + (uint32_t)__builtin_ctzll(sel);

            sel &= sel - 1;
            words[w / 64] |= 1ull << (w % 64);
        }
    }
}

/* Handle the ready ports of leaf word w in [lo, hi) bit range. */
static unsigned int handle_word(struct vcpu *v, const struct bitmap_view *bv, uint32_t w,
                                unsigned int lo, unsigned int hi, guest_event_handler h, void *ctx)
{
    struct bitmap_model *m = model_of(v->domain);
    uint64_t ready = leaf_ready(v->domain, bv, w);
    unsigned int handled = 0;

    if (hi < 64)
        ready &= (1ull << hi) - 1;
    ready &= ~((1ull << lo) - 1);
    while (ready != 0) { /* at most leaf_bits rounds */
        uint32_t port = w * bv->leaf_bits + (uint32_t)__builtin_ctzll(ready);
        uint32_t bit;
        uint8_t *pending = leaf_bitmap(v->domain, bv, false, port, &bit);

        ready &= ready - 1;
        if (pending == NULL || bound_elsewhere(v, port))
            continue;
        /* clear_evtchn() first: an event arriving during the handler is seen again. */
        if (!bit_test_and_clear(pending, bit))
            continue; /* another vCPU took it */
        m->next_port[v->vcpu_id] = (port + 1) % bv->nr_ports;
        if (h != NULL)
            h(v, port, ctx);
        handled++;
    }
    return handled;
}

static bool test_word(const uint64_t *words, uint32_t w)
{
    return (words[w / 64] >> (w % 64)) & 1;
}

/* The first selected leaf word in [from, to), or `to`: a set-bit scan, not a walk. */
static uint32_t next_word(const uint64_t *words, uint32_t from, uint32_t to)
{
    while (from < to) {
        uint64_t rest = words[from / 64] >> (from % 64);

        if (rest != 0)
            return MIN(from + (uint32_t)__builtin_ctzll(rest), to);
        from = (from / 64 + 1) * 64;
    }
    return to;
}

static unsigned int bitmap_consume(struct vcpu *v, unsigned int levels, guest_event_handler h,
                                   void *ctx)
{
    struct domain *d = v->domain;
    struct bitmap_model *m = model_of(d);
    uint64_t words[MAX_LEAF_WORDS / 64]; /* leaf words the selectors pointed at */
    struct bitmap_view bv;
    unsigned int handled = 0, round;

    if (!bitmap_view(d, &bv) || bv.levels != levels || v->vcpu_id >= MAX_VCPUS)
        return 0;

    for (round = 0; round < MODEL_MAX_ROUNDS; round++) {
        uint32_t nwords = bv.nr_ports / bv.leaf_bits;
        uint32_t start = m->next_port[v->vcpu_id] % bv.nr_ports;
        uint32_t sw = start / bv.leaf_bits, sb = start % bv.leaf_bits;
        uint32_t w;

        __atomic_store_n((uint8_t *)v->vcpu_info, 0, __ATOMIC_SEQ_CST);
        memset(words, 0, sizeof(words));
        take_selectors(v, &bv, words);

        /*
         * Round-robin from `start`: the upper part of its word, the other selected words
         * in order (wrapping), then the lower part of the start word last.
         */
        if (test_word(words, sw))
            handled += handle_word(v, &bv, sw, sb, bv.leaf_bits, h, ctx);
        for (w = next_word(words, sw + 1, nwords); w < nwords; w = next_word(words, w + 1, nwords))
            handled += handle_word(v, &bv, w, 0, bv.leaf_bits, h, ctx);
        for (w = next_word(words, 0, sw); w < sw; w = next_word(words, w + 1, sw))
            handled += handle_word(v, &bv, w, 0, bv.leaf_bits, h, ctx);
        if (sb != 0 && test_word(words, sw))
            handled += handle_word(v, &bv, sw, 0, sb, h, ctx);
        if (!(__atomic_load_n((uint8_t *)v->vcpu_info, __ATOMIC_SEQ_CST) & 1))
            break;
    }
    return handled;
}

unsigned int guest_2l_consume(struct vcpu *v, guest_event_handler h, void *ctx)
{
    return bitmap_consume(v, 2, h, ctx);
}

unsigned int guest_3l_consume(struct vcpu *v, guest_event_handler h, void *ctx)
{
    return bitmap_consume(v, 3, h, ctx);
}

/* ---- Masking ------------------------------------------------------------------------- */

void guest_bitmap_mask(struct domain *d, evtchn_port_t port)
{
    struct bitmap_view bv;
    uint32_t bit;
    uint8_t *mask;

    if (!bitmap_view(d, &bv))
        return;
    mask = leaf_bitmap(d, &bv, true, port, &bit);
    if (mask != NULL)
        bit_set(mask, bit);
}

/*
 * Linux's evtchn_2l_unmask on an HVM guest: clear the mask, then look at pending (in
 * that order, so an event racing with us is either delivered by the hypervisor or seen
 * here). If pending, mask again and let EVTCHNOP_unmask re-deliver: the hypervisor
 * raises the upcall only for a mask it clears itself.
 */
void guest_bitmap_unmask(struct vcpu *v, evtchn_port_t port)
{
    struct domain *d = v->domain;
    struct bitmap_view bv;
    uint32_t bit;
    uint8_t *mask, *pending;

    if (!bitmap_view(d, &bv))
        return;
    mask = leaf_bitmap(d, &bv, true, port, &bit);
    pending = leaf_bitmap(d, &bv, false, port, &bit);
    if (mask == NULL || pending == NULL)
        return;
    bit_test_and_clear(mask, bit);
    if (bit_test(pending, bit)) {
        struct evtchn_unmask op = {.port = port};

        bit_set(mask, bit);
        (void)harness_evtchn_op(v, EVTCHNOP_unmask, &op, sizeof(op));
    }
}

bool guest_bitmap_is_pending(struct domain *d, evtchn_port_t port)
{
    struct bitmap_view bv;
    uint32_t bit;
    const uint8_t *pending;

    if (!bitmap_view(d, &bv))
        return false;
    pending = leaf_bitmap(d, &bv, false, port, &bit);
    return pending != NULL && bit_test(pending, bit);
}

/* ---- 3-level set-up, as a guest would do it ----------------------------------------- */

int guest_3l_register_bitmaps(struct domain *d)
{
    struct bitmap_model *m = model_of(d);
    uint32_t word_bits = d->guest_layout->word_bits;
    uint32_t nr_pages = EVTCHN_3L_NR_CHANNELS(word_bits) / BITS_PER_PAGE; /* 8, or 2 */
    struct evtchn_register_3level op = {.cmd = EVTCHN_3L_CMD_REGISTER_BITMAPS,
                                        .nr_pages = nr_pages};
    uint32_t i;
    long rc;

    /* Fresh zeroed pages: every port starts unmasked, as shared_info's bitmaps do. */
    for (i = 0; i < nr_pages; i++) {
        op.pending_gfn[i] = harness_alloc_gfn(d);
        op.mask_gfn[i] = harness_alloc_gfn(d);
    }
    rc = harness_evtchn_op(d->vcpu[0], EVTCHNOP_register_3level, &op, sizeof(op));
    if (rc != 0)
        return (int)rc;

    memset(m->l2_page, 0, sizeof(m->l2_page));
    memset(m->l2_gfn, 0, sizeof(m->l2_gfn));
    memset(m->next_port, 0, sizeof(m->next_port));
    m->l3 = true;
    m->word_bits = word_bits;
    m->nr_pages = nr_pages;
    memcpy(m->pending_gfn, op.pending_gfn, sizeof(m->pending_gfn));
    memcpy(m->mask_gfn, op.mask_gfn, sizeof(m->mask_gfn));
    return 0;
}

int guest_3l_register_l2(struct vcpu *v)
{
    struct domain *d = v->domain;
    struct bitmap_model *m = model_of(d);
    /* Before the model's bitmaps the hypervisor refuses; ask it anyway, as a guest could. */
    uint32_t word_bits = m->l3 ? m->word_bits : d->guest_layout->word_bits;
    uint32_t l2_bytes = word_bits * word_bits / 8; /* 512, or 128 */
    uint32_t per_page = PAGE_SIZE / l2_bytes;
    struct evtchn_register_3level op = {.cmd = EVTCHN_3L_CMD_REGISTER_L2, .vcpu = v->vcpu_id};
    gfn_t *page;
    long rc;

    if (v->vcpu_id >= MAX_VCPUS)
        return -EINVAL;
    /*
     * Several vCPUs share a page, at different offsets, as a guest packing per-CPU
     * data would: vCPU i at slot i of the page of i / (PAGE_SIZE / l2_bytes).
     */
    page = &m->l2_page[v->vcpu_id / per_page];
    if (*page == 0)
        *page = harness_alloc_gfn(d);
    op.offset = (v->vcpu_id % per_page) * l2_bytes;
    op.l2_gfn = *page;
    rc = harness_evtchn_op(v, EVTCHNOP_register_3level, &op, sizeof(op));
    if (rc != 0)
        return (int)rc;
    m->l2_gfn[v->vcpu_id] = op.l2_gfn;
    m->l2_offset[v->vcpu_id] = op.offset;
    return 0;
}

int guest_setup_3l(struct domain *d)
{
    uint32_t i;
    int rc = guest_3l_register_bitmaps(d);

    for (i = 0; rc == 0 && i < d->max_vcpus; i++)
        rc = guest_3l_register_l2(d->vcpu[i]);
    return rc;
}
