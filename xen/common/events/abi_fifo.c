/* SPDX-License-Identifier: Apache-2.0 */
/*
 * FIFO-based event channel ABI (Xen 4.4+; design draft H).
 *
 * Each port has a 32-bit event word in guest "event array" pages:
 *   P (31) pending, M (30) masked, L (29) linked, B (28) busy, LINK (16..0) next port.
 * Each vCPU has a control block in a guest page: READY (one bit per priority) and HEAD[16].
 * Pending, unmasked events are linked into one singly-linked queue per (vCPU, priority);
 * the guest walks the queues from HEAD, unlinking as it goes.
 *
 * Who writes what:
 *   - HEAD: only the hypervisor, and only when a queue was (as far as we know) empty.
 *   - READY bit q: the hypervisor sets it only when it wrote a new HEAD for queue q, so a
 *     guest never sees READY with a stale HEAD; the guest takes the whole word with xchg.
 *   - LINK of the current tail: the hypervisor, with a bounded cmpxchg (the BUSY protocol
 *     below), because the guest may be unlinking that very word at the same time.
 *   - Tails: never in guest memory. We keep them here, so a guest cannot make us walk or
 *     trust a queue: the hypervisor never follows a LINK.
 *
 * Locking: every queue structure, the event array and the per-port fields (priority, last
 * queue, pending latch) belong to the receiving domain's event_lock, which the core holds around
 * every hook. Xen needs per-queue locks and a bounded lock dance because its senders only hold a
 * per-channel lock; here one lock covers both the old and the new queue of a port, so the dance is
 * unnecessary, but its semantics (consume from the old queue, invalidate a stale old tail) are
 * kept.
 *
 * Every word read here is guest-writable and hostile: no loop depends on guest data,
 * every atomic on guest memory is bounded (arch_guest_* / guest_atomic.h), and no value
 * read from the guest is ever used as an index.
 */

#include <xen/alloc.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/evtchn.h>
#include <xen/fence.h>
#include <xen/guest_atomic.h>
#include <xen/nospec.h>

#define FIFO_WORDS_PER_PAGE (PAGE_SIZE / sizeof(event_word_t))                     /* 1024 */
#define FIFO_MAX_PAGES      (EVTCHN_FIFO_NR_CHANNELS / FIFO_WORDS_PER_PAGE)        /* 128 */
#define FIFO_CB_MAX_OFFSET  (PAGE_SIZE - sizeof(struct evtchn_fifo_control_block)) /* 4024 */

#define FIFO_P    (1u << EVTCHN_FIFO_PENDING)
#define FIFO_M    (1u << EVTCHN_FIFO_MASKED)
#define FIFO_L    (1u << EVTCHN_FIFO_LINKED)
#define FIFO_BUSY (1u << EVTCHN_FIFO_BUSY)

/* Draft H: after setting BUSY, the guest can change a linked word at most 4 more times. */
#define FIFO_LINK_RETRIES 4

BUILD_BUG_ON(FIFO_WORDS_PER_PAGE != 1024);
BUILD_BUG_ON(FIFO_MAX_PAGES != 128);
BUILD_BUG_ON(sizeof(struct evtchn_fifo_control_block) != 72);
BUILD_BUG_ON(EVTCHN_FIFO_NR_CHANNELS > EVTCHN_MAX_PORTS);

struct evtchn_fifo_queue {
    uint32_t *head;     /* &control_block->head[priority]: guest memory, written only by us */
    evtchn_port_t tail; /* last port linked on this queue; 0: empty as far as we know */
    uint8_t priority;
    bool ready_owed; /* a new HEAD was written but the guest starved the READY update */
};

struct evtchn_fifo_vcpu {
    /* NULL until this vCPU's init_control; published after the heads below (XSA-358). */
    struct evtchn_fifo_control_block *control_block;
    void *cb_page; /* the mapping that holds control_block, for unmapping */
    struct evtchn_fifo_queue queue[EVTCHN_FIFO_MAX_QUEUES];
};

struct evtchn_fifo_domain {
    /*
     * Ports below num_evtchns have an event word. A page pointer is published before the
     * count that covers it, so a reader that checks the count first never sees a hole.
     */
    uint32_t num_evtchns;
    uint32_t num_pages;
    event_word_t *event_array[FIFO_MAX_PAGES];
};

/*
 * FIFO's per-port state, in the two fields struct evtchn leaves to the domain's ABI:
 * the priority of the port's future events (abi_byte; fifo_bind sets the default) and
 * the queue it was last linked on (abi_word).
 */
static inline unsigned int fifo_priority(const struct evtchn *chn)
{
    return chn->abi_byte;
}

static inline void fifo_set_port_priority(struct evtchn *chn, unsigned int priority)
{
    chn->abi_byte = (uint8_t)priority;
}

/*
 * The last queue, {vcpu id, priority} in one 32-bit value. All zero (vCPU 0, priority 0) is a valid
 * "never linked elsewhere": the port cannot be the tail of that queue without having been linked
 * there.
 */
#define LASTQ_PRIO(lq)        ((lq)&0xffu)
#define LASTQ_VCPU(lq)        (((lq) >> 8) & 0xffffu)
#define LASTQ_MAKE(vcpu, pri) ((((uint32_t)(vcpu)&0xffffu) << 8) | ((uint32_t)(pri)&0xffu))

/* FIFO's own state, in its slots of struct domain and struct vcpu (NULL: none). */
static struct evtchn_fifo_domain *fifo_domain(const struct domain *d)
{
    return __atomic_load_n(&d->evtchn_abi[EVTCHN_ABI_FIFO], __ATOMIC_ACQUIRE);
}

static struct evtchn_fifo_vcpu *fifo_vcpu(const struct vcpu *v)
{
    return v ? __atomic_load_n(&v->evtchn_abi[EVTCHN_ABI_FIFO], __ATOMIC_ACQUIRE) : NULL;
}

/* The event word of port, or NULL if no array page covers it (yet). */
static event_word_t *fifo_word(const struct domain *d, evtchn_port_t port)
{
    const struct evtchn_fifo_domain *fd = fifo_domain(d);
    uint32_t n;

    if (!fd)
        return NULL;
    /* Acquire pairs with the release in expand_array: the page pointer is then visible. */
    n = __atomic_load_n(&fd->num_evtchns, __ATOMIC_ACQUIRE);
    if (port >= n)
        return NULL;
    port = array_index_nospec(port, n);
    return fd->event_array[port / FIFO_WORDS_PER_PAGE] + port % FIFO_WORDS_PER_PAGE;
}

static struct evtchn_fifo_control_block *fifo_control_block(const struct evtchn_fifo_vcpu *fv)
{
    return fv ? __atomic_load_n(&fv->control_block, __ATOMIC_ACQUIRE) : NULL;
}

/* The queue the port was last linked on (abi_word), or NULL if that vCPU has no FIFO state. */
static struct evtchn_fifo_queue *fifo_last_queue(const struct domain *d, const struct evtchn *chn)
{
    uint32_t lq = READ_ONCE(chn->abi_word);
    uint32_t vid = LASTQ_VCPU(lq), prio = LASTQ_PRIO(lq);
    struct vcpu *v;

    if (vid >= d->max_vcpus || prio >= EVTCHN_FIFO_MAX_QUEUES)
        return NULL;
    v = d->vcpu[array_index_nospec(vid, d->max_vcpus)];
    if (!fifo_vcpu(v))
        return NULL;
    return &fifo_vcpu(v)->queue[array_index_nospec(prio, EVTCHN_FIFO_MAX_QUEUES)];
}

/* One compare-and-swap on a guest word. True only if it swapped. */
static bool fifo_cmpxchg(struct domain *d, event_word_t *word, event_word_t old, event_word_t new,
                         event_word_t *seen)
{
    if (arch_guest_cmpxchg32(word, old, new, seen) == GUEST_ATOMIC_GAVE_UP &&
        guest_cmpxchg32_paused(d, word, old, new, seen) == GUEST_ATOMIC_GAVE_UP)
        return false; /* given up for good (counted): a failed attempt */
    return *seen == old;
}

/*
 * Point the LINK of `word` (the tail of a queue) at `link`, if the word is still LINKED.
 * Returns 1 if linked, 0 if the word is not LINKED (the guest consumed it: the queue is
 * empty and the caller writes HEAD), -EAGAIN if the guest changed the word under us;
 * *w then holds the value seen.
 */
static int fifo_try_set_link(struct domain *d, event_word_t *word, event_word_t *w, uint32_t link)
{
    event_word_t old = *w, seen;

    if (!(old & FIFO_L))
        return 0;
    /* Computed with BUSY clear: a successful swap also releases BUSY. */
    if (fifo_cmpxchg(d, word, old, (old & ~(FIFO_BUSY | EVTCHN_FIFO_LINK_MASK)) | link, &seen))
        return 1;
    *w = seen;
    return -EAGAIN;
}

/*
 * The BUSY protocol (draft H): if the first attempt loses a race with the guest, set BUSY
 * on the tail word. A guest must not clear MASKED while BUSY is set, which leaves it at most
 * FIFO_LINK_RETRIES other legal changes (set M, clear P, clear L+LINK, ...), so a
 * well-behaved guest cannot make all retries fail. We never spin on its memory.
 *
 * Returns 1 if linked, 0 if the tail is not LINKED (the caller writes HEAD), -EBUSY if the
 * guest broke the protocol (or starved our atomics) and nothing was linked.
 */
static int fifo_set_link(struct domain *d, event_word_t *word, uint32_t link)
{
    event_word_t w = guest_read32(word);
    unsigned int try;
    int ret;

    ret = fifo_try_set_link(d, word, &w, link);
    if (ret >= 0)
        return ret;

    guest_set_bit(d, EVTCHN_FIFO_BUSY, word);
    w = guest_read32(word);
    for (try = 0; try < FIFO_LINK_RETRIES; try++) {
        ret = fifo_try_set_link(d, word, &w, link);
        if (ret >= 0) {
            if (ret == 0)
                guest_clear_bit(d, EVTCHN_FIFO_BUSY, word);
            return ret;
        }
    }
    guest_clear_bit(d, EVTCHN_FIFO_BUSY, word);
    return -EBUSY;
}

/*
 * Tell the guest that queue q has a new HEAD. If the guest starves the atomic, READY is
 * owed and set with the queue's next event (HEAD has not moved meanwhile: only a new HEAD
 * moves it, and that sets READY itself), so the queue is not stalled for good.
 */
static void fifo_set_ready(struct domain *d, struct vcpu *v, struct evtchn_fifo_control_block *cb,
                           struct evtchn_fifo_queue *q)
{
    bool was_set;

    fence_publish(); /* HEAD before READY */
    if (arch_guest_test_and_set_bit32(&cb->ready, q->priority, &was_set) == GUEST_ATOMIC_GAVE_UP &&
        guest_test_and_set_bit32_paused(d, &cb->ready, q->priority, &was_set) ==
            GUEST_ATOMIC_GAVE_UP) {
        q->ready_owed = true;
        return;
    }
    q->ready_owed = false;
    if (!was_set)
        vcpu_mark_events_pending(v);
}

/* The event-lock-held body of set_pending, shared with unmask. */
static void fifo_set_pending(struct domain *d, struct evtchn *chn)
{
    evtchn_port_t port = chn->port;
    event_word_t *word = fifo_word(d, port);
    struct evtchn_fifo_control_block *cb;
    struct evtchn_fifo_queue *q, *old_q;
    struct vcpu *v;
    unsigned int prio;
    bool linked = true; /* true: no new HEAD, so no READY */
    int rc;

    /* No array page for this port yet: remember it, expand_array raises it (917c123029). */
    if (!word) {
        chn->pending = 1;
        return;
    }

    v = domain_vcpu(d, chn->notify_vcpu);
    if (!fifo_vcpu(v))
        return;
    /*
     * No control block on the target vCPU (XSA-107): a guest must not unmask an event
     * before its vCPU's control block exists, so the event can simply be dropped.
     */
    cb = fifo_control_block(fifo_vcpu(v));
    if (!cb)
        return;

    prio = fifo_priority(chn);
    if (prio >= EVTCHN_FIFO_MAX_QUEUES)
        prio = EVTCHN_FIFO_PRIORITY_DEFAULT;
    q = &fifo_vcpu(v)->queue[array_index_nospec(prio, EVTCHN_FIFO_MAX_QUEUES)];
    old_q = fifo_last_queue(d, chn);

    guest_set_bit(d, EVTCHN_FIFO_PENDING, word);

    /*
     * Link the event only if it is unmasked and not already linked. If it is still linked
     * (possibly on an old queue after a priority or vCPU change), setting P was enough: the
     * guest finds it where it is.
     */
    if (!guest_test_bit(EVTCHN_FIFO_MASKED, word) &&
        !guest_test_and_set_bit(d, EVTCHN_FIFO_LINKED, word)) {
        /*
         * If this port is still recorded as the tail of the queue it was last linked on,
         * that queue is now empty (the guest unlinked the port). Forget the stale tail, or
         * the next event on that queue would be linked behind this port, wherever it now
         * is, corrupting both queues (e33d4257fc). This also covers old_q == q, where we
         * must not link the port to itself.
         */
        if (old_q && old_q->tail == port)
            old_q->tail = 0;
        if (old_q != q)
            WRITE_ONCE(chn->abi_word, LASTQ_MAKE(v->vcpu_id, q->priority));

        rc = 0;
        if (q->tail) {
            event_word_t *tail_word = fifo_word(d, q->tail);

            /* The new word's P and L must be visible before the guest can follow LINK. */
            fence_publish();
            if (tail_word)
                rc = fifo_set_link(d, tail_word, port);
        }
        if (rc < 0) {
            /*
             * The guest kept rewriting its tail word, against the protocol: nothing points
             * at this port. Xen would call it linked and leave a LINKED word that no queue
             * reaches (never reusable, and every later event of the queue chained behind
             * it, lost). Unlink it instead: the queue stays intact, and the event, still
             * pending, is linked again by the port's next send or unmask.
             */
            guest_clear_bit(d, EVTCHN_FIFO_LINKED, word);
        } else {
            linked = rc == 1;
            if (!linked) {
                fence_publish(); /* the word is set up before HEAD names it */
                guest_write32(q->head, port);
            }
            q->tail = port;
        }
    }

    /*
     * READY only for a new HEAD (70ccddb14a): otherwise the guest could take READY and read
     * a HEAD that is stale. The upcall is needed only on READY's 0 -> 1.
     */
    if (!linked || q->ready_owed)
        fifo_set_ready(d, v, cb, q);
}

/* ---- Port operations ------------------------------------------------------------------ */

static uint32_t fifo_max_ports(const struct domain *d)
{
    (void)d;
    return EVTCHN_FIFO_NR_CHANNELS;
}

static void fifo_bind(struct domain_locked dl, struct evtchn *chn)
{
    (void)dl;
    /*
     * A reused port may still be LINKED if the core let it go; its first event then lands
     * on the old queue. That is the guest's own doing (it did not drain), so no message.
     * the last queue is kept on purpose: it names the queue whose tail may still be this port.
     */
    fifo_set_port_priority(chn, EVTCHN_FIFO_PRIORITY_DEFAULT);
}

static void fifo_hook_set_pending(struct domain_locked dl, struct evtchn *chn)
{
    fifo_set_pending(dl.d, chn);
}

static void fifo_clear_pending(struct domain_locked dl, struct evtchn *chn)
{
    event_word_t *word = fifo_word(dl.d, chn->port);

    chn->pending = 0;
    /* Only P: the guest unlinks and skips a non-pending event itself. */
    if (word)
        guest_clear_bit(dl.d, EVTCHN_FIFO_PENDING, word);
}

static void fifo_unmask(struct domain_locked dl, struct evtchn *chn)
{
    event_word_t *word = fifo_word(dl.d, chn->port);

    /* No word yet: the latched pending state is raised when the page arrives. */
    if (!word)
        return;
    guest_clear_bit(dl.d, EVTCHN_FIFO_MASKED, word);
    if (guest_test_bit(EVTCHN_FIFO_PENDING, word))
        fifo_set_pending(dl.d, chn);
}

static bool fifo_is_pending(const struct domain *d, const struct evtchn *chn)
{
    const event_word_t *word = fifo_word(d, chn->port);

    return word ? guest_test_bit(EVTCHN_FIFO_PENDING, word) : chn->pending;
}

static bool fifo_is_masked(const struct domain *d, const struct evtchn *chn)
{
    const event_word_t *word = fifo_word(d, chn->port);

    /* A port without a word cannot be delivered: as good as masked. */
    return word ? guest_test_bit(EVTCHN_FIFO_MASKED, word) : true;
}

static bool fifo_is_busy(const struct domain *d, const struct evtchn *chn)
{
    const event_word_t *word = fifo_word(d, chn->port);

    /* LINKED, not BUSY: a linked port is reachable from a queue and must not be reused. */
    return word && guest_test_bit(EVTCHN_FIFO_LINKED, word);
}

static int fifo_set_priority(struct domain_locked dl, struct evtchn *chn, unsigned int priority)
{
    (void)dl;
    if (priority > EVTCHN_FIFO_PRIORITY_MIN)
        return -EINVAL;
    /*
     * Future events only: a queued event stays on its old queue and is consumed there;
     * the next set_pending moves the port (the last queue keeps the old queue's tail honest).
     */
    fifo_set_port_priority(chn, priority);
    return 0;
}

static void fifo_describe(const struct domain *d, const struct evtchn *chn,
                          struct evtchn_abi_state *out)
{
    const event_word_t *word = fifo_word(d, chn->port);
    event_word_t w = word ? guest_read32(word) : 0;

    out->pending = word ? (w & FIFO_P) != 0 : chn->pending;
    out->masked = word ? (w & FIFO_M) != 0 : true;
    out->linked = (w & FIFO_L) != 0;
    out->busy = (w & FIFO_BUSY) != 0; /* the bit itself: L already says "not reusable" */
    out->priority = (uint8_t)fifo_priority(chn);
    out->queue_vcpu = out->linked ? (int16_t)LASTQ_VCPU(READ_ONCE(chn->abi_word)) : -1;
}

/* Free every piece of FIFO state and NULL every pointer to it. Event lock held. */
static void fifo_free(struct domain *d)
{
    struct evtchn_fifo_domain *fd = fifo_domain(d);
    uint32_t i;

    /* Unpublish first, so nothing can reach what is freed below. */
    __atomic_store_n(&d->evtchn_abi[EVTCHN_ABI_FIFO], NULL, __ATOMIC_RELEASE);

    for (i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++) {
        struct vcpu *v = d->vcpu[i];
        struct evtchn_fifo_vcpu *fv;

        fv = fifo_vcpu(v);
        if (!fv)
            continue;
        __atomic_store_n(&v->evtchn_abi[EVTCHN_ABI_FIFO], NULL, __ATOMIC_RELEASE);
        if (fv->cb_page)
            arch_unmap_guest_frame(d, fv->cb_page);
        domain_xfree(d, fv);
    }

    if (fd) {
        for (i = 0; i < fd->num_pages && i < FIFO_MAX_PAGES; i++) {
            arch_unmap_guest_frame(d, fd->event_array[i]);
            fd->event_array[i] = NULL;
        }
        domain_xfree(d, fd);
    }
}

static void fifo_leave(struct domain_locked dl)
{
    fifo_free(dl.d);
}

const struct evtchn_port_ops evtchn_ops_fifo = {
    .name = "fifo",
    .max_ports = fifo_max_ports,
    .bind = fifo_bind,
    .set_pending = fifo_hook_set_pending,
    .clear_pending = fifo_clear_pending,
    .unmask = fifo_unmask,
    .is_pending = fifo_is_pending,
    .is_masked = fifo_is_masked,
    .is_busy = fifo_is_busy,
    .set_priority = fifo_set_priority,
    .describe = fifo_describe,
    .leave = fifo_leave,
};

/* ---- EVTCHNOP_init_control / EVTCHNOP_expand_array ------------------------------------- */

/*
 * The switch to FIFO: state for the domain and for EVERY vCPU (XSA-107), so that an event
 * bound or moved to a vCPU without a control block finds queues and is dropped cleanly.
 */
static int fifo_alloc_domain(struct domain *d)
{
    struct evtchn_fifo_domain *fd = domain_xzalloc(d, struct evtchn_fifo_domain);
    uint32_t i, p;

    if (!fd)
        return -ENOMEM;
    __atomic_store_n(&d->evtchn_abi[EVTCHN_ABI_FIFO], fd, __ATOMIC_RELEASE);

    for (i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++) {
        struct vcpu *v = d->vcpu[i];
        struct evtchn_fifo_vcpu *fv;

        if (!v)
            continue;
        fv = domain_xzalloc(d, struct evtchn_fifo_vcpu);
        if (!fv) {
            fifo_free(d); /* XSA-188: leaves no dangling pointer behind */
            return -ENOMEM;
        }
        for (p = 0; p < EVTCHN_FIFO_MAX_QUEUES; p++)
            fv->queue[p].priority = (uint8_t)p;
        __atomic_store_n(&v->evtchn_abi[EVTCHN_ABI_FIFO], fv, __ATOMIC_RELEASE);
    }
    return 0;
}

static int fifo_map_control_block(struct vcpu *v, gfn_t gfn, uint32_t offset)
{
    struct evtchn_fifo_vcpu *fv = fifo_vcpu(v);
    struct evtchn_fifo_control_block *cb;
    void *page;
    unsigned int p;

    if (!fv || fv->control_block)
        return -EINVAL;
    page = arch_map_guest_frame(v->domain, gfn);
    if (!page)
        return -EINVAL;
    cb = (struct evtchn_fifo_control_block *)((uint8_t *)page + offset);

    fv->cb_page = page;
    for (p = 0; p < EVTCHN_FIFO_MAX_QUEUES; p++)
        fv->queue[p].head = &cb->head[p];
    /* XSA-358: whoever sees the control block also sees its heads. */
    fence_publish();
    __atomic_store_n(&fv->control_block, cb, __ATOMIC_RELEASE);
    return 0;
}

int evtchn_fifo_init_control(struct domain *d, const struct evtchn_init_control *op)
{
    uint32_t vcpu_id = op->vcpu, offset = op->offset;
    gfn_t gfn = op->control_gfn;
    struct domain_locked dl;
    unsigned long flags;
    struct vcpu *v;
    bool first;
    int rc;

    if (vcpu_id >= d->max_vcpus || vcpu_id >= MAX_VCPUS)
        return -ENOENT;
    v = d->vcpu[array_index_nospec(vcpu_id, d->max_vcpus)];
    if (!v)
        return -ENOENT;
    /* 8-aligned and inside the page (XSA-327): guest atomics need natural alignment. */
    if (offset > FIFO_CB_MAX_OFFSET || (offset & 7))
        return -EINVAL;
    offset = array_index_nospec(offset, FIFO_CB_MAX_OFFSET + 1);

    dl = evtchn_lock(d, &flags);

    first = fifo_domain(d) == NULL;
    if (first) {
        /*
         * FIFO is entered from the default ABI only: a 3-level domain must reset first
         * (-EINVAL, as 3-level registration answers a FIFO domain).
         */
        if (!evtchn_on_default_abi(d)) {
            rc = -EINVAL;
            goto out;
        }
        rc = fifo_alloc_domain(d);
        if (rc)
            goto out;
    }

    rc = fifo_map_control_block(v, gfn, offset);
    if (rc) {
        if (first)
            fifo_free(d); /* the domain stays on 2-level, with nothing left behind */
        goto out;
    }

    /*
     * The switch rebinds every bound port (default priority) and carries its pending state
     * over. The event array is still empty, so those events are latched in chn->pending and
     * expand_array raises them as their pages arrive.
     */
    if (first)
        evtchn_switch_abi(dl, &evtchn_ops_fifo);

out:
    evtchn_unlock(dl, flags);
    return rc;
}

int evtchn_fifo_expand_array(struct domain *d, const struct evtchn_expand_array *op)
{
    struct evtchn_fifo_domain *fd;
    struct domain_locked dl;
    unsigned long flags;
    evtchn_port_t port, first_port;
    event_word_t *page;
    int rc = 0;

    dl = evtchn_lock(d, &flags);

    /* Checked under the lock: a concurrent EVTCHNOP_reset may be freeing it (XSA-505). */
    fd = fifo_domain(d);
    if (!fd || d->evtchn_ops != &evtchn_ops_fifo) {
        rc = -EOPNOTSUPP;
        goto out;
    }
    if (fd->num_pages >= FIFO_MAX_PAGES) {
        rc = -ENOSPC;
        goto out;
    }
    /* Xen does not initialise the words; the guest sets them MASKED before handing over. */
    page = arch_map_guest_frame(d, op->array_gfn);
    if (!page) {
        rc = -EINVAL;
        goto out;
    }

    first_port = fd->num_pages * FIFO_WORDS_PER_PAGE;
    fd->event_array[fd->num_pages] = page;
    fd->num_pages++;
    /* The page pointer is visible before the count that makes it reachable (XSA-221). */
    fence_publish();
    __atomic_store_n(&fd->num_evtchns, first_port + FIFO_WORDS_PER_PAGE, __ATOMIC_RELEASE);

    /* Events that arrived while these ports had no word (917c123029). */
    for (port = first_port; port < first_port + FIFO_WORDS_PER_PAGE; port++) {
        struct evtchn *chn = evtchn_from_port(d, port);

        if (!chn)
            break; /* no storage beyond valid_evtchns, so nothing latched there either */
        if (!chn->pending)
            continue;
        chn->pending = 0;
        if (chn->state > ECS_RESERVED)
            evtchn_port_set_pending(dl, chn);
    }

out:
    evtchn_unlock(dl, flags);
    return rc;
}
