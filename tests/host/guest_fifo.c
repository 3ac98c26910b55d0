/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest model of the FIFO-based event channel ABI, following what Linux's
 * drivers/xen/events/events_fifo.c does (reference sheet section 1.10):
 *
 *   - one zeroed page per vCPU for its control block (offset 0), registered with
 *     EVTCHNOP_init_control;
 *   - event-array pages added with EVTCHNOP_expand_array, every word pre-set to MASKED;
 *   - an upcall takes READY with xchg and walks the queues, priority 0 first, keeping a
 *     local head per (vCPU, priority) and reading the control block's HEAD only when the
 *     local head ran out; each event is unlinked with a cmpxchg loop that clears LINKED and
 *     LINK together and yields the next port;
 *   - unmask clears MASKED only while BUSY is clear, then asks the hypervisor to relink with
 *     EVTCHNOP_unmask if the event is pending.
 *
 * Linux trusts its own memory and loops on cmpxchg without bound. The model bounds every
 * loop, because tests also scribble over these words on purpose, and checks every port it
 * reads from guest memory before using it as an index.
 *
 * State is per domain, indexed by domain id. It is reset by guest_setup_fifo() and by
 * guest_fifo_forget(); a lookup also checks the domain pointer, so a model left over from a
 * destroyed domain is not used for a new domain with the same id by accident.
 */
#include <stdint.h>
#include <string.h>

#include <public/errno.h>

#include "guest_model.h"

#define FIFO_WORDS_PER_PAGE (4096u / sizeof(event_word_t))
#define FIFO_MAX_PAGES      (EVTCHN_FIFO_NR_CHANNELS / FIFO_WORDS_PER_PAGE)

#define W_P    (1u << EVTCHN_FIFO_PENDING)
#define W_M    (1u << EVTCHN_FIFO_MASKED)
#define W_L    (1u << EVTCHN_FIFO_LINKED)
#define W_BUSY (1u << EVTCHN_FIFO_BUSY)

/* Bound for the model's own cmpxchg loops (Linux's are unbounded). */
#define MODEL_SPIN_LIMIT (1u << 20)

struct fifo_model {
    struct domain *d;
    bool active;
    unsigned int nr_pages; /* published with release after array[] is filled */
    event_word_t *array[FIFO_MAX_PAGES];
    struct evtchn_fifo_control_block *cb[MAX_VCPUS];
    /* Linux's per-CPU `struct evtchn_fifo_queue`: where the walk of each queue stands. */
    uint32_t head[MAX_VCPUS][EVTCHN_FIFO_MAX_QUEUES];
};

static struct fifo_model models[MAX_DOMAINS];

static struct fifo_model *model_of(const struct domain *d)
{
    struct fifo_model *m;

    if (d == NULL || d->domain_id >= MAX_DOMAINS)
        return NULL;
    m = &models[d->domain_id];
    return m->active && m->d == d ? m : NULL;
}

static event_word_t *model_word(struct fifo_model *m, evtchn_port_t port)
{
    unsigned int pages = __atomic_load_n(&m->nr_pages, __ATOMIC_ACQUIRE);

    if (port == 0 || port >= pages * FIFO_WORDS_PER_PAGE)
        return NULL;
    return &m->array[port / FIFO_WORDS_PER_PAGE][port % FIFO_WORDS_PER_PAGE];
}

static uint32_t xchg32(uint32_t *p, uint32_t v)
{
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

static bool cmpxchg32(uint32_t *p, uint32_t *expected, uint32_t desired)
{
    return __atomic_compare_exchange_n(p, expected, desired, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}

/* ---- Helpers for tests (declared in guest_model.h) ------------------------------------ */

/* The word the guest sees for port (NULL if no array page covers it). */
event_word_t *guest_fifo_word(struct domain *d, evtchn_port_t port)
{
    struct fifo_model *m = model_of(d);

    return m ? model_word(m, port) : NULL;
}

/* v's control block (NULL before guest_setup_fifo). */
struct evtchn_fifo_control_block *guest_fifo_control_block(struct vcpu *v)
{
    struct fifo_model *m = model_of(v->domain);

    return m ? m->cb[v->vcpu_id] : NULL;
}

unsigned int guest_fifo_nr_pages(struct domain *d)
{
    struct fifo_model *m = model_of(d);

    return m ? __atomic_load_n(&m->nr_pages, __ATOMIC_ACQUIRE) : 0;
}

/*
 * Add `pages` event-array pages, each pre-set to MASKED as Linux's init_array_page does.
 * Returns 0 or the first failing hypercall's result.
 */
int guest_fifo_expand(struct domain *d, unsigned int pages)
{
    struct fifo_model *m = model_of(d);
    unsigned int i, w;

    if (m == NULL)
        return -XEN_EOPNOTSUPP;
    for (i = 0; i < pages; i++) {
        struct evtchn_expand_array ea;
        unsigned int n = m->nr_pages;
        event_word_t *page;
        gfn_t gfn;
        long rc;

        if (n >= FIFO_MAX_PAGES)
            return -XEN_ENOSPC;
        gfn = harness_alloc_gfn(d);
        page = harness_gfn_to_va(d, gfn);
        if (page == NULL)
            return -XEN_ENOMEM;
        for (w = 0; w < FIFO_WORDS_PER_PAGE; w++)
            __atomic_store_n(&page[w], W_M, __ATOMIC_RELAXED);

        memset(&ea, 0, sizeof(ea));
        ea.array_gfn = gfn;
        rc = harness_evtchn_op(d->vcpu[0], EVTCHNOP_expand_array, &ea, sizeof(ea));
        if (rc != 0)
            return (int)rc;
        m->array[n] = page;
        __atomic_store_n(&m->nr_pages, n + 1, __ATOMIC_RELEASE);
    }
    return 0;
}

/* ---- Setup and reset ------------------------------------------------------------------ */

int guest_setup_fifo(struct domain *d, unsigned int fifo_pages)
{
    struct fifo_model *m;
    uint32_t i;

    if (d == NULL || d->domain_id >= MAX_DOMAINS)
        return -XEN_EINVAL;
    m = &models[d->domain_id];
    memset(m, 0, sizeof(*m));
    m->d = d;

    /* A control block for every vCPU, each on its own zeroed page at offset 0. */
    for (i = 0; i < d->max_vcpus; i++) {
        struct evtchn_init_control ic;
        gfn_t gfn = harness_alloc_gfn(d);
        long rc;

        memset(&ic, 0, sizeof(ic));
        ic.control_gfn = gfn;
        ic.offset = 0;
        ic.vcpu = i;
        rc = harness_evtchn_op(d->vcpu[0], EVTCHNOP_init_control, &ic, sizeof(ic));
        if (rc != 0)
            return (int)rc; /* Linux falls back to 2-level if the first one fails */
        if (ic.link_bits != EVTCHN_FIFO_LINK_BITS)
            return -XEN_EINVAL;
        m->cb[i] = harness_gfn_to_va(d, gfn);
        m->active = true; /* the domain is on FIFO from the first success on */
    }
    return guest_fifo_expand(d, fifo_pages);
}

void guest_fifo_forget(struct domain *d)
{
    if (d == NULL || d->domain_id >= MAX_DOMAINS)
        return;
    memset(&models[d->domain_id], 0, sizeof(models[0]));
}

/* ---- Upcall --------------------------------------------------------------------------- */

/*
 * Unlink: clear LINKED and LINK in one step and return the old LINK (the next port).
 * Linux's clear_linked(), bounded.
 */
static uint32_t clear_linked(event_word_t *word)
{
    uint32_t w = __atomic_load_n(word, __ATOMIC_RELAXED);
    unsigned int spins;

    for (spins = 0; spins < MODEL_SPIN_LIMIT; spins++) {
        uint32_t old = w;

        if (cmpxchg32(word, &w, old & ~(W_L | EVTCHN_FIFO_LINK_MASK)))
            return old & EVTCHN_FIFO_LINK_MASK;
    }
    return 0;
}

/* Linux's consume_one_event(). */
static bool consume_one(struct vcpu *v, struct fifo_model *m, struct evtchn_fifo_control_block *cb,
                        unsigned int q, uint32_t *ready, guest_event_handler handler, void *ctx)
{
    uint32_t *local = &m->head[v->vcpu_id][q];
    uint32_t head = *local;
    event_word_t *word;
    uint32_t next, w;
    bool handled = false;

    /* Reached the tail last time? Then the hypervisor wrote a new HEAD. */
    if (head == 0) {
        __atomic_thread_fence(__ATOMIC_ACQUIRE); /* virt_rmb(): word before head */
        head = __atomic_load_n(&cb->head[q], __ATOMIC_RELAXED);
    }

    word = model_word(m, head);
    if (word == NULL) {
        /* Linux would fault here; the model just abandons this queue. */
        *ready &= ~(1u << q);
        *local = 0;
        return false;
    }

    next = clear_linked(word);
    if (next == 0)
        *ready &= ~(1u << q);

    w = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    if ((w & W_P) && !(w & W_M)) {
        /* The irq chip's ack (ack_dynirq -> clear_evtchn) clears P before the handler. */
        __atomic_fetch_and(word, ~W_P, __ATOMIC_SEQ_CST);
        if (handler != NULL)
            handler(v, head, ctx);
        handled = true;
    }
    *local = next;
    return handled;
}

unsigned int guest_fifo_consume(struct vcpu *v, guest_event_handler handler, void *ctx)
{
    struct fifo_model *m = model_of(v->domain);
    struct evtchn_fifo_control_block *cb;
    unsigned int handled = 0, steps;
    uint32_t ready;

    if (m == NULL || v->vcpu_id >= MAX_VCPUS || (cb = m->cb[v->vcpu_id]) == NULL)
        return 0;

    /* As Linux's common upcall code: acknowledge the upcall before looking at the queues. */
    __atomic_store_n((uint8_t *)v->vcpu_info, 0, __ATOMIC_SEQ_CST);

    ready = xchg32(&cb->ready, 0);
    /* Each step unlinks one word; a queue cannot be longer than the port space. */
    for (steps = 0; ready != 0 && steps < 2 * EVTCHN_FIFO_NR_CHANNELS + 64; steps++) {
        unsigned int q = (unsigned int)__builtin_ctz(ready);

        if (q >= EVTCHN_FIFO_MAX_QUEUES) {
            ready = 0; /* a scribbled READY bit beyond the queues */
            break;
        }
        if (consume_one(v, m, cb, q, &ready, handler, ctx))
            handled++;
        ready |= xchg32(&cb->ready, 0);
        ready &= (1u << EVTCHN_FIFO_MAX_QUEUES) - 1;
    }
    return handled;
}

/* ---- Masking -------------------------------------------------------------------------- */

void guest_fifo_mask(struct domain *d, evtchn_port_t port)
{
    struct fifo_model *m = model_of(d);
    event_word_t *word = m ? model_word(m, port) : NULL;

    if (word != NULL)
        __atomic_fetch_or(word, W_M, __ATOMIC_SEQ_CST);
}

/* Linux's clear_masked(): never clear MASKED while the hypervisor holds BUSY. Bounded. */
static void clear_masked(event_word_t *word)
{
    uint32_t w = __atomic_load_n(word, __ATOMIC_RELAXED);
    unsigned int spins;

    for (spins = 0; spins < MODEL_SPIN_LIMIT; spins++) {
        uint32_t old = w & ~W_BUSY;

        w = old;
        if (cmpxchg32(word, &w, old & ~W_M))
            return;
    }
}

void guest_fifo_unmask(struct vcpu *v, evtchn_port_t port)
{
    struct fifo_model *m = model_of(v->domain);
    event_word_t *word = m ? model_word(m, port) : NULL;

    if (word == NULL)
        return;
    clear_masked(word);
    if (__atomic_load_n(word, __ATOMIC_SEQ_CST) & W_P) {
        /* Pending while masked: it was never linked. Ask the hypervisor to link it. */
        struct evtchn_unmask um = {.port = port};

        (void)harness_evtchn_op(v, EVTCHNOP_unmask, &um, sizeof(um));
    }
}

bool guest_fifo_is_pending(struct domain *d, evtchn_port_t port)
{
    struct fifo_model *m = model_of(d);
    event_word_t *word = m ? model_word(m, port) : NULL;

    return word != NULL && (__atomic_load_n(word, __ATOMIC_ACQUIRE) & W_P);
}
