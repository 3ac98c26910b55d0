/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hostile guests, on every ABI. Domain H writes whatever it likes into the memory it
 * shares with the hypervisor (shared_info, vcpu_info, FIFO event words and control blocks,
 * 3-level bitmaps and L2 selectors, its hypercall argument pages), binds and closes ports
 * and consumes with the guest model, while an honest domain V exchanges events with H and
 * with itself. Whatever H does:
 *
 *   - every hypercall, H's and V's, returns (a watchdog turns a hang into a failure);
 *   - V's calls succeed and V's events all arrive (the same sequence-number check as the
 *     stress suite: after the last send, each port's handler saw the final value);
 *   - when H starves the hypervisor's atomics (harness_starve_atomics, the XSA-295 path),
 *     H loses events and nothing else happens: V is unaffected, H's calls still work, and
 *     H's events flow again once it stops.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "test_util.h"

#define HOSTILE_ID  1
#define VICTIM_ID   2
#define NR_VCPUS    2
#define NR_V_FROM_H 64 /* V's ports that H sends on */
#define NR_H_FROM_V 64 /* H's ports that V sends on */
#define NR_V_IPI    4  /* V's own IPIs */
#define MAX_PORT    1024
#define DRAIN_MS    20000
#define HANG_MS     60000 /* a worker not back by then is stuck in the hypervisor */

/* Every result a hypercall may give: 0, or one of Xen's error codes. */
static bool plausible_rc(long rc)
{
    static const long ok[] = {0,       -EPERM,  -ENOENT,     -ESRCH, -ENXIO,   -EAGAIN,
                              -ENOMEM, -EACCES, -EFAULT,     -EBUSY, -EEXIST,  -EINVAL,
                              -ENOSPC, -ENOSYS, -EOPNOTSUPP, -ETIME, -ENOTCONN};

    for (unsigned int i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        if (rc == ok[i])
            return true;
    return false;
}

/* ---- The world: H, V and the channels between them ---------------------------------- */

struct world {
    struct domain *h, *v;
    enum guest_abi h_abi, v_abi;

    /* V's receiving ports (from H and V's own IPIs), with who sends on which port. */
    unsigned int nr_v;
    evtchn_port_t v_port[NR_V_FROM_H + NR_V_IPI];
    evtchn_port_t v_src[NR_V_FROM_H + NR_V_IPI]; /* H's port, or 0 for V's IPI */
    bool v_is_port[MAX_PORT];
    uint32_t sent[MAX_PORT], seen[MAX_PORT];

    /* H's receiving ports, V sending. */
    unsigned int nr_h;
    evtchn_port_t h_port[NR_H_FROM_V], h_src[NR_H_FROM_V];
    uint32_t h_handled[MAX_PORT];

    bool stop, stop_consumers;
    unsigned long v_errors, h_bad_rc, v_spurious, h_calls, scribbles;
    long first_v_error, first_bad_rc;
    unsigned int progress; /* bumped by every worker loop: the watchdog's evidence */
};

static void v_error(struct world *w, long rc)
{
    if (__atomic_fetch_add(&w->v_errors, 1, __ATOMIC_RELAXED) == 0)
        __atomic_store_n(&w->first_v_error, rc, __ATOMIC_RELAXED);
}

static void h_result(struct world *w, long rc)
{
    __atomic_fetch_add(&w->h_calls, 1, __ATOMIC_RELAXED);
    if (!plausible_rc(rc) && __atomic_fetch_add(&w->h_bad_rc, 1, __ATOMIC_RELAXED) == 0)
        __atomic_store_n(&w->first_bad_rc, rc, __ATOMIC_RELAXED);
}

/* rx allocates a port for tx, tx binds it: returns rx's port, *tx_port gets tx's end. */
static evtchn_port_t connect(struct domain *rx, struct domain *tx, evtchn_port_t *tx_port)
{
    evtchn_port_t rx_port = 0;

    assert_int_equal(connect_pair(rx, tx, &rx_port, tx_port), 0);
    return rx_port;
}

static struct world *make_world(enum guest_abi h_abi, const struct guest_layout *h_layout,
                                enum guest_abi v_abi, const struct guest_layout *v_layout)
{
    struct world *w = calloc(1, sizeof(*w));
    unsigned int i;

    assert_non_null(w);
    w->h_abi = h_abi;
    w->v_abi = v_abi;
    w->h = harness_domain(HOSTILE_ID, NR_VCPUS, false, h_layout);
    w->v = harness_domain(VICTIM_ID, NR_VCPUS, false, v_layout);
    assert_non_null(w->h);
    assert_non_null(w->v);
    assert_int_equal(setup_abi(w->h, h_abi, 1), 0);
    assert_int_equal(setup_abi(w->v, v_abi, 1), 0);

    for (i = 0; i < NR_V_FROM_H; i++) {
        evtchn_port_t p = connect(w->v, w->h, &w->v_src[w->nr_v]);

        assert_int_equal(bind_vcpu(w->v, p, i % NR_VCPUS), 0);
        assert_true(p < MAX_PORT);
        w->v_port[w->nr_v++] = p;
        w->v_is_port[p] = true;
        guest_unmask(w->v->vcpu[i % NR_VCPUS], p);
    }
    for (i = 0; i < NR_V_IPI; i++) {
        evtchn_port_t p = 0;

        assert_int_equal(bind_ipi(w->v, i % NR_VCPUS, &p), 0);
        assert_true(p < MAX_PORT);
        w->v_src[w->nr_v] = 0;
        w->v_port[w->nr_v++] = p;
        w->v_is_port[p] = true;
        guest_unmask(w->v->vcpu[i % NR_VCPUS], p);
    }
    for (i = 0; i < NR_H_FROM_V; i++) {
        evtchn_port_t p = connect(w->h, w->v, &w->h_src[w->nr_h]);

        assert_true(p < MAX_PORT);
        w->h_port[w->nr_h++] = p;
        guest_unmask(w->h->vcpu[0], p);
    }
    /* bind_interdomain leaves V's new ends pending on V's side: drain them before counting. */
    for (i = 0; i < NR_VCPUS; i++)
        guest_consume(w->v->vcpu[i], NULL, NULL);
    return w;
}

static void v_handler(struct vcpu *vc, evtchn_port_t port, void *ctx)
{
    struct world *w = ctx;
    uint32_t val, old;

    (void)vc;
    if (port >= MAX_PORT || !w->v_is_port[port]) {
        /* V's own sending ends (to H) may be pending from bind: not V's receiving ports. */
        bool ours = false;

        for (unsigned int i = 0; i < w->nr_h && !ours; i++)
            ours = w->h_src[i] == port;
        if (!ours)
            __atomic_fetch_add(&w->v_spurious, 1, __ATOMIC_RELAXED);
        return;
    }
    val = __atomic_load_n(&w->sent[port], __ATOMIC_SEQ_CST);
    old = __atomic_load_n(&w->seen[port], __ATOMIC_RELAXED);
    while (val > old && !__atomic_compare_exchange_n(&w->seen[port], &old, val, false,
                                                     __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
}

static void h_handler(struct vcpu *vc, evtchn_port_t port, void *ctx)
{
    struct world *w = ctx;

    (void)vc;
    if (port < MAX_PORT)
        __atomic_fetch_add(&w->h_handled[port], 1, __ATOMIC_RELAXED);
}

/* Send one event on V's port index i (bumping its sequence number first). */
static void send_to_v(struct world *w, unsigned int i, unsigned int vcpu)
{
    evtchn_port_t p = w->v_port[i];
    struct evtchn_send snd;
    long rc;

    __atomic_add_fetch(&w->sent[p], 1, __ATOMIC_SEQ_CST);
    if (w->v_src[i] != 0) {
        snd.port = w->v_src[i];
        rc = op(w->h->vcpu[vcpu % NR_VCPUS], EVTCHNOP_send, &snd, sizeof(snd));
        /* H's send on an intact channel: it must work even while H scribbles. */
        if (rc != 0)
            v_error(w, rc);
    } else {
        snd.port = p;
        rc = op(w->v->vcpu[vcpu % NR_VCPUS], EVTCHNOP_send, &snd, sizeof(snd));
        if (rc != 0)
            v_error(w, rc);
    }
}

/* Ports V has not had its last event for. */
static unsigned int v_missing(struct world *w, evtchn_port_t *first)
{
    unsigned int missing = 0;

    for (unsigned int i = 0; i < w->nr_v; i++) {
        evtchn_port_t p = w->v_port[i];

        if (__atomic_load_n(&w->seen[p], __ATOMIC_RELAXED) !=
                __atomic_load_n(&w->sent[p], __ATOMIC_RELAXED) &&
            missing++ == 0)
            *first = p;
    }
    return missing;
}

/* ---- Workers ----------------------------------------------------------------------------- */

struct worker {
    struct world *w;
    unsigned int id;
    pthread_t t;
};

/* V's vCPU id: consume V's events whenever the upcall is raised. */
static void *v_consumer(void *p)
{
    struct worker *k = p;
    struct world *w = k->w;
    struct vcpu *vc = w->v->vcpu[k->id];
    unsigned int idle = 0;

    while (!__atomic_load_n(&w->stop_consumers, __ATOMIC_ACQUIRE)) {
        if (upcall_pending(vc)) {
            guest_consume(vc, v_handler, w);
            idle = 0;
        } else if (++idle % 16 == 0) {
            sched_yield();
        }
        __atomic_fetch_add(&w->progress, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

/* H's vCPUs consume too (on scribbled memory: the model is bounded). */
static void *h_consumer(void *p)
{
    struct worker *k = p;
    struct world *w = k->w;

    while (!__atomic_load_n(&w->stop_consumers, __ATOMIC_ACQUIRE)) {
        for (unsigned int i = 0; i < NR_VCPUS; i++)
            if (upcall_pending(w->h->vcpu[i]))
                guest_consume(w->h->vcpu[i], h_handler, w);
        sched_yield();
        __atomic_fetch_add(&w->progress, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

/* Traffic: H -> V, V -> V (IPIs), V -> H. */
static void *sender(void *p)
{
    struct worker *k = p;
    struct world *w = k->w;
    uint64_t seed = 0x9e3779b97f4a7c15ull * (k->id + 7);

    while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
        if (rnd(&seed) % 2) {
            send_to_v(w, rnd(&seed) % w->nr_v, rnd(&seed));
        } else {
            struct evtchn_send snd = {.port = w->h_src[rnd(&seed) % w->nr_h]};
            long rc = op(w->v->vcpu[rnd(&seed) % NR_VCPUS], EVTCHNOP_send, &snd, sizeof(snd));

            if (rc != 0)
                v_error(w, rc); /* V sending into H's hostile memory must still work */
        }
        __atomic_fetch_add(&w->progress, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

/* H binds and closes (and status, unmask, priorities, vCPU moves) on its own ports. */
static void *h_churn(void *p)
{
    struct worker *k = p;
    struct world *w = k->w;
    uint64_t seed = 0xda942042e4dd58b5ull;
    evtchn_port_t mine[32] = {0};

    while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
        struct vcpu *hv = w->h->vcpu[rnd(&seed) % NR_VCPUS];
        unsigned int slot = rnd(&seed) % 32;
        uint32_t r = rnd(&seed);
        long rc;

        switch (r % 6) {
        case 0: { /* a new IPI or unbound port, or close the one in the slot */
            if (mine[slot] == 0) {
                struct evtchn_bind_ipi ipi = {.vcpu = r % NR_VCPUS};

                rc = op(hv, EVTCHNOP_bind_ipi, &ipi, sizeof(ipi));
                if (rc == 0)
                    mine[slot] = ipi.port;
            } else {
                struct evtchn_close c = {.port = mine[slot]};

                rc = op(hv, EVTCHNOP_close, &c, sizeof(c));
                mine[slot] = 0;
            }
            break;
        }
        case 1: {
            struct evtchn_send snd = {.port = r % 80};

            rc = op(hv, EVTCHNOP_send, &snd, sizeof(snd));
            break;
        }
        case 2: {
            struct evtchn_unmask um = {.port = r % 200};

            rc = op(hv, EVTCHNOP_unmask, &um, sizeof(um));
            break;
        }
        case 3: {
            struct evtchn_set_priority sp = {.port = r % 200, .priority = (r >> 8) % 17};

            rc = op(hv, EVTCHNOP_set_priority, &sp, sizeof(sp));
            break;
        }
        case 4: {
            struct evtchn_bind_vcpu bv = {.port = r % 200, .vcpu = (r >> 8) % 3};

            rc = op(hv, EVTCHNOP_bind_vcpu, &bv, sizeof(bv));
            break;
        }
        default: {
            struct evtchn_status st = {.dom = DOMID_SELF, .port = r % 200};

            rc = op(hv, EVTCHNOP_status, &st, sizeof(st));
            break;
        }
        }
        h_result(w, rc);
        __atomic_fetch_add(&w->progress, 1, __ATOMIC_RELAXED);
    }
    for (unsigned int i = 0; i < 32; i++)
        if (mine[i] != 0) {
            struct evtchn_close c = {.port = mine[i]};

            h_result(w, op(w->h->vcpu[0], EVTCHNOP_close, &c, sizeof(c)));
        }
    return NULL;
}

/*
 * H's memory that the hypervisor reads or writes: shared_info and every page H handed out,
 * except the harness's pages for hypercall arguments. The hypervisor copies each argument
 * once, so scribbling them could only make this test's own bookkeeping wrong (H sending on
 * a port other than the one the test counted).
 */
static bool is_scratch(struct world *w, gfn_t gfn)
{
    unsigned int n;
    gfn_t first = harness_scratch_gfn(w->h, &n);

    return gfn >= first && gfn < first + n;
}

static uint32_t *h_word(struct world *w, uint64_t *seed)
{
    uint32_t pages = harness_gfns_allocated(w->h);

    for (;;) {
        uint32_t pick = rnd(seed) % (pages + 2); /* shared_info twice as likely as a page */
        uint8_t *base;

        if (pick >= pages)
            base = w->h->shared_info;
        else if (!is_scratch(w, harness_first_gfn() + pick))
            base = harness_gfn_to_va(w->h, harness_first_gfn() + pick);
        else
            continue;
        return (uint32_t *)base + rnd(seed) % (PAGE_SIZE / 4);
    }
}

static uint32_t hostile_value(uint64_t *seed, uint32_t old)
{
    uint32_t r = rnd(seed);

    switch (r % 8) {
    case 0:
        return 0;
    case 1:
        return ~0u;
    case 2:
        return old ^ (1u << (rnd(seed) % 32)); /* flip one bit (P, M, L, BUSY, a LINK bit) */
    case 3:
        return 0xf0000000u | (rnd(seed) % 300); /* every FIFO flag, a plausible LINK */
    case 4:
        return (1u << 29) | (1u << 28) | EVTCHN_FIFO_LINK_MASK; /* LINKED+BUSY, LINK max */
    default:
        return rnd(seed) ^ (rnd(seed) << 16);
    }
}

static void *scribbler(void *p)
{
    struct worker *k = p;
    struct world *w = k->w;
    uint64_t seed = 0x5851f42d4c957f2dull;

    while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
        for (unsigned int n = 0; n < 64; n++) {
            uint32_t *word = h_word(w, &seed);

            __atomic_store_n(word, hostile_value(&seed, __atomic_load_n(word, __ATOMIC_RELAXED)),
                             __ATOMIC_RELAXED);
        }
        w->scribbles += 64;
        __atomic_fetch_add(&w->progress, 1, __ATOMIC_RELAXED);
        sched_yield();
    }
    return NULL;
}

/* Join, but a worker stuck in the hypervisor fails the run instead of hanging it. */
static void join_or_die(struct worker *k, const char *what)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += HANG_MS / 1000;
    if (pthread_timedjoin_np(k->t, NULL, &ts) != 0) {
        printf("# %s %u did not return within %u s: a hypercall hangs\n", what, k->id,
               HANG_MS / 1000);
        fflush(stdout);
        abort();
    }
}

/* After traffic stops: V must get every last event. Returns how many ports did not. */
static unsigned int drain_v(struct world *w, evtchn_port_t *first)
{
    uint64_t deadline = now_ms() + DRAIN_MS;
    unsigned int missing;

    while ((missing = v_missing(w, first)) != 0 && now_ms() < deadline)
        usleep(1000);
    return missing;
}

static void check_v(struct world *w, unsigned int missing, evtchn_port_t first)
{
    if (missing != 0)
        printf("# V port %u: sent %u, handled up to %u\n", first, w->sent[first], w->seen[first]);
    if (w->v_errors != 0)
        printf("# first failing V-side call: %ld\n", w->first_v_error);
    if (w->h_bad_rc != 0)
        printf("# H got an impossible result: %ld\n", w->first_bad_rc);
    assert_int_equal(missing, 0);
    assert_int_equal(w->v_errors, 0);
    assert_int_equal(w->v_spurious, 0);
    assert_int_equal(w->h_bad_rc, 0);
    assert_int_equal(w->v->atomics_starved, 0);
}

/* ---- Concurrent scribbling -------------------------------------------------------------- */

static void run_hostile(enum guest_abi h_abi, const struct guest_layout *h_layout,
                        enum guest_abi v_abi, const struct guest_layout *v_layout)
{
    struct world *w = make_world(h_abi, h_layout, v_abi, v_layout);
    struct worker vc[NR_VCPUS], hc, snd[2], churn, scr;
    unsigned int i, missing;
    evtchn_port_t first = 0;
    uint64_t deadline;

    for (i = 0; i < NR_VCPUS; i++) {
        vc[i] = (struct worker){.w = w, .id = i};
        assert_int_equal(pthread_create(&vc[i].t, NULL, v_consumer, &vc[i]), 0);
    }
    hc = (struct worker){.w = w};
    assert_int_equal(pthread_create(&hc.t, NULL, h_consumer, &hc), 0);
    for (i = 0; i < 2; i++) {
        snd[i] = (struct worker){.w = w, .id = i};
        assert_int_equal(pthread_create(&snd[i].t, NULL, sender, &snd[i]), 0);
    }
    churn = (struct worker){.w = w};
    assert_int_equal(pthread_create(&churn.t, NULL, h_churn, &churn), 0);
    scr = (struct worker){.w = w};
    assert_int_equal(pthread_create(&scr.t, NULL, scribbler, &scr), 0);

    deadline = now_ms() + stress_ms();
    while (now_ms() < deadline)
        usleep(10000);
    __atomic_store_n(&w->stop, true, __ATOMIC_RELEASE);
    join_or_die(&scr, "scribbler");
    join_or_die(&churn, "H churn");
    for (i = 0; i < 2; i++)
        join_or_die(&snd[i], "sender");

    missing = drain_v(w, &first);
    __atomic_store_n(&w->stop_consumers, true, __ATOMIC_RELEASE);
    join_or_die(&hc, "H consumer");
    for (i = 0; i < NR_VCPUS; i++)
        join_or_die(&vc[i], "V consumer");

    printf("# H %s/%s vs V %s/%s: %lu words scribbled, %lu H calls, V ok: %s\n", abi_name(h_abi),
           h_layout->name, abi_name(v_abi), v_layout->name, w->scribbles, w->h_calls,
           missing == 0 && w->v_errors == 0 ? "yes" : "NO");
    check_v(w, missing, first);
    free(w);
}

static void test_hostile_2l(void **state)
{
    (void)state;
    run_hostile(GUEST_ABI_2L, &guest_layout_x86_32, GUEST_ABI_FIFO, &guest_layout_x86_64);
}

static void test_hostile_3l(void **state)
{
    (void)state;
    run_hostile(GUEST_ABI_3L, &guest_layout_arm, GUEST_ABI_2L, &guest_layout_arm);
}

static void test_hostile_fifo(void **state)
{
    (void)state;
    run_hostile(GUEST_ABI_FIFO, &guest_layout_x86_64, GUEST_ABI_3L, &guest_layout_x86_64);
}

static void test_hostile_fifo_arm(void **state)
{
    (void)state;
    run_hostile(GUEST_ABI_FIFO, &guest_layout_arm, GUEST_ABI_FIFO, &guest_layout_arm);
}

/* ---- Fixed patterns, one at a time ------------------------------------------------------ */

/*
 * Sequential and deterministic: fill all of H's shared memory with one pattern, run a
 * round of H's and V's calls and consumes, check V, next pattern. The patterns are the
 * classic traps: everything set (every selector bit, FIFO word LINKED+BUSY with LINK to
 * the last port, READY for every queue), LINK cycles (each word linking to itself), HEAD
 * and LINK beyond the event array, and all zero (a guest that forgot everything).
 */
enum pattern { PAT_ONES, PAT_SELF_LINK, PAT_FAR_LINK, PAT_ZERO, PAT_RANDOM, NR_PATTERNS };

static void fill_h(struct world *w, enum pattern pat, uint64_t *seed)
{
    uint32_t pages = harness_gfns_allocated(w->h);

    for (uint32_t pg = 0; pg <= pages; pg++) {
        uint32_t *page =
            pg == pages ? w->h->shared_info : harness_gfn_to_va(w->h, harness_first_gfn() + pg);

        for (uint32_t i = 0; i < PAGE_SIZE / 4; i++) {
            uint32_t v;

            switch (pat) {
            case PAT_ONES:
                v = ~0u;
                break;
            case PAT_SELF_LINK: /* word i of array page n is port n*1024+i: link to itself */
                v = 0xe0000000u | ((pg * 1024 + i) & EVTCHN_FIFO_LINK_MASK);
                break;
            case PAT_FAR_LINK:
                v = 0xb0000000u | (EVTCHN_FIFO_LINK_MASK - (i & 7));
                break;
            case PAT_ZERO:
                v = 0;
                break;
            default:
                v = rnd(seed) ^ (rnd(seed) << 16);
                break;
            }
            __atomic_store_n(&page[i], v, __ATOMIC_RELAXED);
        }
    }
}

static void run_patterns(enum guest_abi h_abi, const struct guest_layout *layout)
{
    struct world *w = make_world(h_abi, layout, GUEST_ABI_2L, &guest_layout_x86_64);
    uint64_t seed = 0x14057b7ef767814full;
    evtchn_port_t first = 0;
    unsigned int missing = 0;

    for (unsigned int pat = 0; pat < NR_PATTERNS; pat++) {
        fill_h(w, pat, &seed);
        for (unsigned int round = 0; round < 3; round++) {
            /* V -> H on every channel, H's own calls, H consumes. */
            for (unsigned int i = 0; i < w->nr_h; i++) {
                struct evtchn_send snd = {.port = w->h_src[i]};
                long rc = op(w->v->vcpu[i % NR_VCPUS], EVTCHNOP_send, &snd, sizeof(snd));

                if (rc != 0)
                    v_error(w, rc);
            }
            for (uint32_t port = 0; port < 160; port++) {
                struct evtchn_unmask um = {.port = port};
                struct evtchn_set_priority sp = {.port = port, .priority = port % 16};

                h_result(w, op(w->h->vcpu[port % NR_VCPUS], EVTCHNOP_unmask, &um, sizeof(um)));
                h_result(w, op(w->h->vcpu[0], EVTCHNOP_set_priority, &sp, sizeof(sp)));
            }
            for (unsigned int i = 0; i < NR_VCPUS; i++)
                guest_consume(w->h->vcpu[i], h_handler, w);

            /* H -> V and V's IPIs, consumed by V: every one arrives. */
            for (unsigned int i = 0; i < w->nr_v; i++)
                send_to_v(w, i, i);
            for (unsigned int i = 0; i < NR_VCPUS; i++)
                guest_consume(w->v->vcpu[i], v_handler, w);
            missing = v_missing(w, &first);
            if (missing != 0 || w->v_errors != 0)
                printf("# pattern %u round %u: V lost %u ports\n", pat, round, missing);
            check_v(w, missing, first);
        }
    }
    /* A bind and a close still work for H afterwards. */
    {
        struct evtchn_bind_ipi ipi = {.vcpu = 1};
        struct evtchn_close c;

        assert_int_equal(op(w->h->vcpu[0], EVTCHNOP_bind_ipi, &ipi, sizeof(ipi)), 0);
        c.port = ipi.port;
        assert_int_equal(op(w->h->vcpu[0], EVTCHNOP_close, &c, sizeof(c)), 0);
    }
    printf("# patterns on H %s/%s: %lu H calls, all returned\n", abi_name(h_abi), layout->name,
           w->h_calls);
    free(w);
}

static void test_patterns_2l(void **state)
{
    (void)state;
    run_patterns(GUEST_ABI_2L, &guest_layout_arm);
}

static void test_patterns_2l_x86_32(void **state)
{
    (void)state;
    run_patterns(GUEST_ABI_2L, &guest_layout_x86_32);
}

static void test_patterns_3l(void **state)
{
    (void)state;
    run_patterns(GUEST_ABI_3L, &guest_layout_x86_64);
}

static void test_patterns_fifo(void **state)
{
    (void)state;
    run_patterns(GUEST_ABI_FIFO, &guest_layout_arm);
}

/* ---- Starved atomics (XSA-295) ---------------------------------------------------------- */

/*
 * H keeps its shared words busy so the hypervisor's bounded atomics give up (injected with
 * harness_starve_atomics: the same path a real LL/SC storm takes). H is paused while each
 * operation is finished and unpaused after (XSA-295), may lose events, and nothing else:
 * every call returns 0, V is untouched, the hypervisor notes it once, and when the storm
 * is over H's events are delivered again.
 */
static void run_starve(enum guest_abi h_abi, const struct guest_layout *layout)
{
    struct world *w = make_world(h_abi, layout, GUEST_ABI_FIFO, &guest_layout_arm);
    evtchn_port_t first = 0, fresh, fresh_src;
    unsigned int missing, i;
    char *console;

    free(harness_take_console());
    harness_starve_atomics(w->h, 200);
    for (unsigned int round = 0; round < 8; round++) {
        for (i = 0; i < w->nr_h; i++) {
            struct evtchn_send snd = {.port = w->h_src[i]};

            assert_int_equal(op(w->v->vcpu[0], EVTCHNOP_send, &snd, sizeof(snd)), 0);
        }
        for (i = 0; i < NR_VCPUS; i++)
            guest_consume(w->h->vcpu[i], h_handler, w);
        /* V's life goes on, exactly. */
        for (i = 0; i < w->nr_v; i++)
            send_to_v(w, i, i);
        for (i = 0; i < NR_VCPUS; i++)
            guest_consume(w->v->vcpu[i], v_handler, w);
    }
    missing = v_missing(w, &first);
    check_v(w, missing, first);
    /* H was paused while its operations were finished (XSA-295), and is not any more. */
    assert_true(w->h->atomics_paused > 0);
    assert_int_equal(w->h->pause_count, 0);

    /* The hypervisor said so, naming H, without flooding the console (XSA-169). */
    console = harness_take_console();
    assert_non_null(console);
    {
        unsigned int lines = 0;

        for (const char *c = console; (c = strstr(c, "(d1)")) != NULL; c++)
            lines++;
        printf("# console: %u line(s) about d1\n", lines);
        assert_true(lines >= 1 && lines <= 4);
    }
    free(console);

    /* Burn whatever starvation is left, then H works again: a fresh channel delivers. */
    for (i = 0; i < 400; i++) {
        struct evtchn_send snd = {.port = w->h_src[i % w->nr_h]};

        assert_int_equal(op(w->v->vcpu[0], EVTCHNOP_send, &snd, sizeof(snd)), 0);
    }
    for (i = 0; i < NR_VCPUS; i++)
        guest_consume(w->h->vcpu[i], h_handler, w);
    fresh = connect(w->h, w->v, &fresh_src);
    assert_true(fresh < MAX_PORT);
    guest_unmask(w->h->vcpu[0], fresh);
    for (i = 0; i < NR_VCPUS; i++)
        guest_consume(w->h->vcpu[i], h_handler, w);
    w->h_handled[fresh] = 0;
    {
        struct evtchn_send snd = {.port = fresh_src};

        assert_int_equal(op(w->v->vcpu[0], EVTCHNOP_send, &snd, sizeof(snd)), 0);
    }
    for (i = 0; i < NR_VCPUS; i++)
        guest_consume(w->h->vcpu[i], h_handler, w);
    assert_int_equal(w->h_handled[fresh], 1);
    printf("# starved H (%s/%s): paused %u times, %u operations given up, V unaffected, "
           "H recovered\n",
           abi_name(h_abi), layout->name, w->h->atomics_paused, w->h->atomics_starved);
    free(w);
}

static void test_starve_2l(void **state)
{
    (void)state;
    run_starve(GUEST_ABI_2L, &guest_layout_x86_64);
}

static void test_starve_3l(void **state)
{
    (void)state;
    run_starve(GUEST_ABI_3L, &guest_layout_arm);
}

static void test_starve_fifo(void **state)
{
    (void)state;
    run_starve(GUEST_ABI_FIFO, &guest_layout_x86_64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_teardown(fn, harness_teardown)
        T(test_hostile_2l),       T(test_hostile_3l),    T(test_hostile_fifo),
        T(test_hostile_fifo_arm), T(test_patterns_2l),   T(test_patterns_2l_x86_32),
        T(test_patterns_3l),      T(test_patterns_fifo), T(test_starve_2l),
        T(test_starve_3l),        T(test_starve_fifo),
#undef T
    };

    setvbuf(stdout, NULL, _IONBF, 0);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
