/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Concurrency stress: threads act as physical CPUs sending events (interdomain and IPI)
 * while other threads act as the receiving guest's vCPUs, consuming through the guest
 * model, on all three ABIs.
 *
 * "No event is lost" with coalescing events: before each send, the sender bumps a shared
 * per-port sequence number; the consumer's handler (which runs after the guest model
 * cleared PENDING, as Linux's ack does) records the value it reads. A send that finds the
 * port already pending coalesces with an event that is still to be handled, and that
 * handling reads the counter after our bump. So once the senders stop and the guest goes
 * quiet, every port's last recorded value must equal its final sequence number. Consumers
 * run only when their vCPU's evtchn_upcall_pending is set, so a lost upcall is a lost
 * event too.
 *
 * The runs are bounded in time (MINIXEN_STRESS_MS per case, default 700 ms), not in
 * iterations, so they take the same wall time natively, under TSan and under qemu-aarch64.
 * Nothing here asserts from a worker thread: workers count problems, the test thread
 * checks the counts.
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

#define NR_RX_VCPUS 2   /* receiving domain: one consumer thread each */
#define NR_SENDERS  2   /* threads sending interdomain */
#define NR_INTERDOM 240 /* interdomain ports into the receiver (below the 1023 default limit) */
#define NR_IPI      4   /* IPI ports of the receiver, spread over its vCPUs */
#define MAX_PORT    1024
#define DRAIN_MS    20000 /* after the senders stop, everything must arrive by then */

/* ---- One stress run ---------------------------------------------------------------------- */

struct stress {
    struct domain *tx, *rx;
    enum guest_abi abi;
    bool churn; /* also mask/unmask, move ports between vCPUs, change FIFO priorities */

    unsigned int nr_ports; /* receiver ports in use, in rx_port[] */
    evtchn_port_t rx_port[NR_INTERDOM + NR_IPI];
    evtchn_port_t tx_port[NR_INTERDOM + NR_IPI]; /* sender's end; 0 for IPIs */
    bool is_port[MAX_PORT];                      /* receiver port -> one of ours */

    uint32_t sent[MAX_PORT]; /* sequence numbers, bumped before each send */
    uint32_t seen[MAX_PORT]; /* highest value a handler read */

    bool stop_senders, stop_consumers;
    unsigned long sends, handled, errors, spurious;
    long first_error;
};

static void note_error(struct stress *s, long rc)
{
    if (__atomic_fetch_add(&s->errors, 1, __ATOMIC_RELAXED) == 0)
        __atomic_store_n(&s->first_error, rc, __ATOMIC_RELAXED);
}

static void handler(struct vcpu *v, evtchn_port_t port, void *ctx)
{
    struct stress *s = ctx;
    uint32_t val, old;

    (void)v;
    if (port >= MAX_PORT || !s->is_port[port]) {
        __atomic_fetch_add(&s->spurious, 1, __ATOMIC_RELAXED);
        return;
    }
    val = __atomic_load_n(&s->sent[port], __ATOMIC_SEQ_CST);
    old = __atomic_load_n(&s->seen[port], __ATOMIC_RELAXED);
    while (val > old && !__atomic_compare_exchange_n(&s->seen[port], &old, val, false,
                                                     __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
    __atomic_fetch_add(&s->handled, 1, __ATOMIC_RELAXED);
}

struct consumer_arg {
    struct stress *s;
    struct vcpu *v;
};

static void *consumer(void *p)
{
    struct consumer_arg *a = p;
    unsigned int idle = 0;

    while (!__atomic_load_n(&a->s->stop_consumers, __ATOMIC_ACQUIRE)) {
        if (upcall_pending(a->v)) {
            guest_consume(a->v, handler, a->s);
            idle = 0;
        } else if (++idle % 16 == 0) {
            sched_yield();
        }
    }
    return NULL;
}

struct sender_arg {
    struct stress *s;
    unsigned int id;
};

static void *sender(void *p)
{
    struct sender_arg *a = p;
    struct stress *s = a->s;
    uint64_t seed = 0x9e3779b97f4a7c15ull * (a->id + 1);

    while (!__atomic_load_n(&s->stop_senders, __ATOMIC_ACQUIRE)) {
        unsigned int i = rnd(&seed) % s->nr_ports;
        evtchn_port_t rp = s->rx_port[i];
        struct evtchn_send snd;
        struct vcpu *v;
        long rc;

        __atomic_add_fetch(&s->sent[rp], 1, __ATOMIC_SEQ_CST);
        if (s->tx_port[i] != 0) {
            snd.port = s->tx_port[i];
            v = s->tx->vcpu[a->id % s->tx->max_vcpus];
        } else {
            /* An IPI: the receiver's own vCPU sends it. */
            snd.port = rp;
            v = s->rx->vcpu[a->id % s->rx->max_vcpus];
        }
        rc = op(v, EVTCHNOP_send, &snd, sizeof(snd));
        if (rc != 0)
            note_error(s, rc);
        __atomic_fetch_add(&s->sends, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

/*
 * The guest reorganising its ports while events fly: masking and unmasking (the unmask
 * may hypercall), moving interdomain ports to another vCPU (mask, bind_vcpu, unmask, as
 * Linux rebinds an IRQ), and FIFO priority changes. Every port ends unmasked.
 */
static void *churner(void *p)
{
    struct stress *s = p;
    uint64_t seed = 0x2545f4914f6cdd1dull;
    bool masked[NR_INTERDOM + NR_IPI] = {false};

    while (!__atomic_load_n(&s->stop_senders, __ATOMIC_ACQUIRE)) {
        unsigned int i = rnd(&seed) % s->nr_ports;
        evtchn_port_t rp = s->rx_port[i];
        struct vcpu *v = s->rx->vcpu[rnd(&seed) % s->rx->max_vcpus];
        long rc = 0;

        switch (rnd(&seed) % 4) {
        case 0:
            if (!masked[i])
                guest_mask(s->rx, rp);
            else
                guest_unmask(v, rp);
            masked[i] = !masked[i];
            break;
        case 1:
            if (s->tx_port[i] != 0 && !masked[i]) {
                struct evtchn_bind_vcpu bv = {.port = rp, .vcpu = v->vcpu_id};

                guest_mask(s->rx, rp);
                rc = op(v, EVTCHNOP_bind_vcpu, &bv, sizeof(bv));
                guest_unmask(v, rp);
            }
            break;
        case 2:
            if (s->abi == GUEST_ABI_FIFO) {
                struct evtchn_set_priority sp = {.port = rp, .priority = rnd(&seed) % 16};

                rc = op(v, EVTCHNOP_set_priority, &sp, sizeof(sp));
            }
            break;
        default:
            sched_yield();
            break;
        }
        if (rc != 0)
            note_error(s, rc);
    }
    for (unsigned int i = 0; i < s->nr_ports; i++)
        if (masked[i])
            guest_unmask(s->rx->vcpu[0], s->rx_port[i]);
    return NULL;
}

static void setup_ports(struct stress *s)
{
    unsigned int i;

    for (i = 0; i < NR_INTERDOM; i++) {
        uint32_t vcpu = i % s->rx->max_vcpus;
        evtchn_port_t rp = 0, tp = 0;

        assert_int_equal(connect_pair(s->rx, s->tx, &rp, &tp), 0);
        assert_int_equal(bind_vcpu(s->rx, rp, vcpu), 0);
        assert_true(rp < MAX_PORT);
        s->rx_port[s->nr_ports] = rp;
        s->tx_port[s->nr_ports++] = tp;
        s->is_port[rp] = true;
        /* Linux unmasks a port when it starts the IRQ (FIFO words begin MASKED). */
        guest_unmask(s->rx->vcpu[vcpu], rp);
    }
    for (i = 0; i < NR_IPI; i++) {
        uint32_t vcpu = i % s->rx->max_vcpus;
        evtchn_port_t rp = 0;

        assert_int_equal(bind_ipi(s->rx, vcpu, &rp), 0);
        assert_true(rp < MAX_PORT);
        s->rx_port[s->nr_ports] = rp;
        s->tx_port[s->nr_ports++] = 0;
        s->is_port[rp] = true;
        guest_unmask(s->rx->vcpu[vcpu], rp);
    }
}

static void run_stress(enum guest_abi abi, const struct guest_layout *layout, bool churn)
{
    struct stress *s = calloc(1, sizeof(*s));
    pthread_t cons[NR_RX_VCPUS], snd[NR_SENDERS], chr;
    struct consumer_arg ca[NR_RX_VCPUS];
    struct sender_arg sa[NR_SENDERS];
    unsigned int i, lost = 0;
    evtchn_port_t first_lost = 0;
    uint64_t deadline;

    assert_non_null(s);
    s->abi = abi;
    s->churn = churn;
    s->tx = harness_domain(1, NR_SENDERS, false, layout);
    s->rx = harness_domain(2, NR_RX_VCPUS, false, layout);
    assert_non_null(s->tx);
    assert_non_null(s->rx);
    assert_int_equal(setup_abi(s->rx, abi, 1), 0);
    assert_int_equal(setup_abi(s->tx, abi, 1), 0);
    assert_int_equal(guest_abi(s->rx), abi);
    setup_ports(s);

    for (i = 0; i < NR_RX_VCPUS; i++) {
        ca[i] = (struct consumer_arg){.s = s, .v = s->rx->vcpu[i]};
        assert_int_equal(pthread_create(&cons[i], NULL, consumer, &ca[i]), 0);
    }
    for (i = 0; i < NR_SENDERS; i++) {
        sa[i] = (struct sender_arg){.s = s, .id = i};
        assert_int_equal(pthread_create(&snd[i], NULL, sender, &sa[i]), 0);
    }
    if (churn)
        assert_int_equal(pthread_create(&chr, NULL, churner, s), 0);

    deadline = now_ms() + stress_ms();
    while (now_ms() < deadline)
        usleep(10000);
    __atomic_store_n(&s->stop_senders, true, __ATOMIC_RELEASE);
    for (i = 0; i < NR_SENDERS; i++)
        pthread_join(snd[i], NULL);
    if (churn)
        pthread_join(chr, NULL);

    /* Drain: the consumers keep going until every port's last send has been handled. */
    deadline = now_ms() + DRAIN_MS;
    do {
        lost = 0;
        for (i = 0; i < s->nr_ports; i++) {
            evtchn_port_t p = s->rx_port[i];

            if (__atomic_load_n(&s->seen[p], __ATOMIC_RELAXED) !=
                __atomic_load_n(&s->sent[p], __ATOMIC_RELAXED)) {
                if (lost++ == 0)
                    first_lost = p;
            }
        }
        if (lost != 0)
            usleep(1000);
    } while (lost != 0 && now_ms() < deadline);
    __atomic_store_n(&s->stop_consumers, true, __ATOMIC_RELEASE);
    for (i = 0; i < NR_RX_VCPUS; i++)
        pthread_join(cons[i], NULL);

    printf("# %s/%s%s: %lu sends, %lu handled, %lu errors, %lu spurious, %u ports lost; "
           "atomics %s\n",
           abi_name(abi), layout->name, churn ? " +churn" : "", s->sends, s->handled, s->errors,
           s->spurious, lost, harness_atomics_name());
    if (lost != 0)
        printf("# port %u: sent %u, last handled %u (pending as the guest sees it: %d)\n",
               first_lost, s->sent[first_lost], s->seen[first_lost],
               guest_is_pending(s->rx, first_lost));
    if (s->errors != 0)
        printf("# first failing hypercall returned %ld\n", s->first_error);
    assert_int_equal(s->errors, 0);
    assert_int_equal(s->spurious, 0);
    assert_int_equal(lost, 0);
    assert_true(s->sends > 0);
    free(s);
}

static void test_stress_2l(void **state)
{
    (void)state;
    run_stress(GUEST_ABI_2L, &guest_layout_x86_64, false);
}

static void test_stress_2l_x86_32_churn(void **state)
{
    (void)state;
    run_stress(GUEST_ABI_2L, &guest_layout_x86_32, true);
}

static void test_stress_3l(void **state)
{
    (void)state;
    run_stress(GUEST_ABI_3L, &guest_layout_arm, false);
}

static void test_stress_3l_churn(void **state)
{
    (void)state;
    run_stress(GUEST_ABI_3L, &guest_layout_x86_64, true);
}

static void test_stress_fifo(void **state)
{
    (void)state;
    run_stress(GUEST_ABI_FIFO, &guest_layout_arm, false);
}

static void test_stress_fifo_churn(void **state)
{
    (void)state;
    run_stress(GUEST_ABI_FIFO, &guest_layout_x86_64, true);
}

/* ---- FIFO order -------------------------------------------------------------------------- */

/*
 * Within one queue (vCPU, priority) FIFO delivers in link order. Rounds: send every port
 * once, in a random order, while the consumers run; wait until all are handled; then each
 * queue's handling order must be its send order. A port is sent once per round and the
 * previous round was fully consumed, so every send links a fresh entry at the tail, while
 * the consumers race to empty the queue and the hypervisor must switch between writing
 * HEAD and linking to the tail.
 */
#define ORDER_PORTS_PER_VCPU 48
#define ORDER_PORTS          (ORDER_PORTS_PER_VCPU * NR_RX_VCPUS)

struct order {
    struct domain *tx, *rx;
    evtchn_port_t rx_port[ORDER_PORTS], tx_port[ORDER_PORTS];
    uint8_t prio[MAX_PORT];
    uint16_t log[NR_RX_VCPUS][ORDER_PORTS]; /* this round's handled ports, per vCPU */
    unsigned int log_len[NR_RX_VCPUS];
    unsigned int handled; /* this round, all vCPUs (release: the logs are complete) */
    unsigned long bad;    /* a port handled on a vCPU it is not bound to, or twice */
    bool stop;
};

static void order_handler(struct vcpu *v, evtchn_port_t port, void *ctx)
{
    struct order *o = ctx;
    unsigned int n = o->log_len[v->vcpu_id];

    if (n >= ORDER_PORTS) {
        __atomic_fetch_add(&o->bad, 1, __ATOMIC_RELAXED);
        return;
    }
    o->log[v->vcpu_id][n] = (uint16_t)port;
    o->log_len[v->vcpu_id] = n + 1;
    __atomic_fetch_add(&o->handled, 1, __ATOMIC_RELEASE);
}

struct order_consumer {
    struct order *o;
    struct vcpu *v;
};

static void *order_consumer(void *p)
{
    struct order_consumer *a = p;
    unsigned int idle = 0;

    while (!__atomic_load_n(&a->o->stop, __ATOMIC_ACQUIRE)) {
        if (upcall_pending(a->v)) {
            guest_consume(a->v, order_handler, a->o);
            idle = 0;
        } else if (++idle % 16 == 0) {
            sched_yield();
        }
    }
    return NULL;
}

static void test_fifo_order(void **state)
{
    struct order *o = calloc(1, sizeof(*o));
    struct order_consumer oc[NR_RX_VCPUS];
    pthread_t cons[NR_RX_VCPUS];
    uint64_t seed = 0x853c49e6748fea9bull, deadline;
    unsigned int i, rounds = 0, mismatches = 0;

    (void)state;
    assert_non_null(o);
    o->tx = harness_domain(1, 1, false, &guest_layout_x86_64);
    o->rx = harness_domain(2, NR_RX_VCPUS, false, &guest_layout_arm);
    assert_non_null(o->tx);
    assert_non_null(o->rx);
    assert_int_equal(guest_setup_fifo(o->rx, 1), 0);
    for (i = 0; i < ORDER_PORTS; i++) {
        uint32_t vcpu = i % NR_RX_VCPUS;
        /* Two priorities per vCPU: order is only defined within each. */
        uint32_t prio = (i / 2) % 2 ? 3 : 9;
        evtchn_port_t rp = 0, tp = 0;

        assert_int_equal(connect_pair(o->rx, o->tx, &rp, &tp), 0);
        assert_int_equal(bind_vcpu(o->rx, rp, vcpu), 0);
        assert_int_equal(set_priority(o->rx, rp, prio), 0);
        assert_true(rp < MAX_PORT);
        o->prio[rp] = (uint8_t)prio;
        o->rx_port[i] = rp;
        o->tx_port[i] = tp;
        guest_unmask(o->rx->vcpu[vcpu], rp);
    }
    for (i = 0; i < NR_RX_VCPUS; i++) {
        oc[i] = (struct order_consumer){.o = o, .v = o->rx->vcpu[i]};
        assert_int_equal(pthread_create(&cons[i], NULL, order_consumer, &oc[i]), 0);
    }

    deadline = now_ms() + stress_ms();
    while (now_ms() < deadline && mismatches == 0) {
        unsigned int perm[ORDER_PORTS], sent_order[NR_RX_VCPUS][ORDER_PORTS];
        unsigned int nsent[NR_RX_VCPUS] = {0};
        uint64_t round_deadline;

        for (i = 0; i < ORDER_PORTS; i++)
            perm[i] = i;
        for (i = ORDER_PORTS - 1; i > 0; i--) {
            unsigned int j = rnd(&seed) % (i + 1), t = perm[i];

            perm[i] = perm[j];
            perm[j] = t;
        }
        /* The consumers are idle between rounds (all handled): reset the logs. */
        for (i = 0; i < NR_RX_VCPUS; i++)
            __atomic_store_n(&o->log_len[i], 0, __ATOMIC_RELAXED);
        __atomic_store_n(&o->handled, 0, __ATOMIC_RELEASE);

        for (i = 0; i < ORDER_PORTS; i++) {
            unsigned int k = perm[i], vcpu = k % NR_RX_VCPUS;
            struct evtchn_send snd = {.port = o->tx_port[k]};

            sent_order[vcpu][nsent[vcpu]++] = o->rx_port[k];
            assert_int_equal(op(o->tx->vcpu[0], EVTCHNOP_send, &snd, sizeof(snd)), 0);
        }
        round_deadline = now_ms() + DRAIN_MS;
        while (__atomic_load_n(&o->handled, __ATOMIC_ACQUIRE) < ORDER_PORTS &&
               now_ms() < round_deadline)
            sched_yield();
        if (__atomic_load_n(&o->handled, __ATOMIC_ACQUIRE) != ORDER_PORTS) {
            printf("# round %u: only %u of %u events handled\n", rounds, o->handled, ORDER_PORTS);
            mismatches++;
            break;
        }
        /* Per vCPU and priority, the handled subsequence must be the sent subsequence. */
        for (unsigned int v = 0; v < NR_RX_VCPUS; v++) {
            for (unsigned int prio = 0; prio < 16; prio++) {
                unsigned int a = 0, b = 0;

                for (;;) {
                    while (a < nsent[v] && o->prio[sent_order[v][a]] != prio)
                        a++;
                    while (b < o->log_len[v] && o->prio[o->log[v][b]] != prio)
                        b++;
                    if (a == nsent[v] || b == o->log_len[v])
                        break;
                    if (sent_order[v][a] != o->log[v][b]) {
                        if (mismatches++ == 0)
                            printf("# round %u vcpu %u prio %u: sent port %u but handled "
                                   "%u first\n",
                                   rounds, v, prio, sent_order[v][a], o->log[v][b]);
                        break;
                    }
                    a++;
                    b++;
                }
                if (a != nsent[v] || b != o->log_len[v])
                    mismatches++;
            }
        }
        rounds++;
    }
    __atomic_store_n(&o->stop, true, __ATOMIC_RELEASE);
    for (i = 0; i < NR_RX_VCPUS; i++)
        pthread_join(cons[i], NULL);
    printf("# fifo order: %u rounds of %u events, %u mismatches\n", rounds, ORDER_PORTS,
           mismatches);
    assert_int_equal(mismatches, 0);
    assert_int_equal(o->bad, 0);
    assert_true(rounds > 0);
    free(o);
}

/* ---- The guest atomics themselves ---------------------------------------------------------- */

/*
 * The arch primitives under real contention: cmpxchg increments (32 and 64 bit) must not
 * lose updates, xchg must hand every value to exactly one thread, and each thread's own
 * bit in a shared word must flip exactly as it says while the others flip theirs.
 * A primitive that gives up (arm64 LL/SC under a storm) must have written nothing, which
 * the counts also check.
 */
#define ATOMIC_THREADS 4

struct atomics {
    uint32_t *ctr32, *xword, *bits;
    uint64_t *ctr64;
    bool stop;
    unsigned long incs[ATOMIC_THREADS];
    uint32_t token[ATOMIC_THREADS]; /* what each thread holds at the end */
    unsigned long gave_up, errors;
};

struct atomics_arg {
    struct atomics *a;
    unsigned int id;
};

static void *atomics_worker(void *p)
{
    struct atomics_arg *arg = p;
    struct atomics *a = arg->a;
    unsigned int id = arg->id;
    unsigned long incs = 0, gave_up = 0, errors = 0;
    uint32_t token = id + 1;

    while (!__atomic_load_n(&a->stop, __ATOMIC_ACQUIRE)) {
        uint32_t seen32, old;
        uint64_t seen64;
        bool was;

        /* cmpxchg increment, 32 and 64 bit: retry on a lost race, count give-ups. */
        for (uint32_t cur = __atomic_load_n(a->ctr32, __ATOMIC_RELAXED);;) {
            guest_atomic_t r = arch_guest_cmpxchg32(a->ctr32, cur, cur + 1, &seen32);

            if (r == GUEST_ATOMIC_GAVE_UP) {
                gave_up++;
                cur = __atomic_load_n(a->ctr32, __ATOMIC_RELAXED);
            } else if (seen32 == cur) {
                break;
            } else {
                cur = seen32;
            }
        }
        for (uint64_t cur = __atomic_load_n(a->ctr64, __ATOMIC_RELAXED);;) {
            guest_atomic_t r = arch_guest_cmpxchg64(a->ctr64, cur, cur + 1, &seen64);

            if (r == GUEST_ATOMIC_GAVE_UP) {
                gave_up++;
                cur = __atomic_load_n(a->ctr64, __ATOMIC_RELAXED);
            } else if (seen64 == cur) {
                break;
            } else {
                cur = seen64;
            }
        }
        incs++;

        /* xchg: swap our token for the one in the word; no token is lost or doubled. */
        if (arch_guest_xchg32(a->xword, token, &old) == GUEST_ATOMIC_DONE)
            token = old;
        else
            gave_up++;

        /* Our own bit: set then clear, each must see the previous state. */
        if (arch_guest_test_and_set_bit32(a->bits, id, &was) == GUEST_ATOMIC_DONE) {
            if (was)
                errors++;
            while (arch_guest_test_and_clear_bit32(a->bits, id, &was) == GUEST_ATOMIC_GAVE_UP)
                gave_up++;
            if (!was)
                errors++;
        } else {
            gave_up++;
        }
    }
    a->incs[id] = incs;
    a->token[id] = token;
    __atomic_fetch_add(&a->gave_up, gave_up, __ATOMIC_RELAXED);
    __atomic_fetch_add(&a->errors, errors, __ATOMIC_RELAXED);
    return NULL;
}

static void test_guest_atomics_contended(void **state)
{
    struct domain *d = harness_domain(1, 1, false, &guest_layout_arm);
    struct atomics a = {0};
    struct atomics_arg args[ATOMIC_THREADS];
    pthread_t t[ATOMIC_THREADS];
    unsigned long incs = 0, tokens = 0, expect_tokens = 1000;
    uint8_t *page;
    unsigned int i;

    (void)state;
    assert_non_null(d);
    page = harness_gfn_to_va(d, harness_alloc_gfn(d));
    assert_non_null(page);
    /* Neighbouring words in one cache line: the worst case for exclusive monitors. */
    a.ctr32 = (uint32_t *)page;
    a.xword = (uint32_t *)(page + 4);
    a.bits = (uint32_t *)(page + 8);
    a.ctr64 = (uint64_t *)(page + 16);
    *a.xword = 1000;
    for (i = 0; i < ATOMIC_THREADS; i++) {
        expect_tokens += i + 1;
        args[i] = (struct atomics_arg){.a = &a, .id = i};
        assert_int_equal(pthread_create(&t[i], NULL, atomics_worker, &args[i]), 0);
    }
    usleep(stress_ms() * 1000 / 2);
    __atomic_store_n(&a.stop, true, __ATOMIC_RELEASE);
    for (i = 0; i < ATOMIC_THREADS; i++) {
        pthread_join(t[i], NULL);
        incs += a.incs[i];
        tokens += a.token[i];
    }
    printf("# atomics (%s): %lu increments, %lu give-ups\n", harness_atomics_name(), incs,
           a.gave_up);
    assert_int_equal(*a.ctr32, (uint32_t)incs);
    assert_int_equal(*a.ctr64, (uint64_t)incs);
    assert_int_equal(*a.bits, 0);
    assert_int_equal(a.errors, 0);
    /* Every token is held by one thread or still in the word. */
    assert_int_equal(tokens + *a.xword, expect_tokens);
    assert_true(incs > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_guest_atomics_contended, harness_teardown),
        cmocka_unit_test_teardown(test_stress_2l, harness_teardown),
        cmocka_unit_test_teardown(test_stress_2l_x86_32_churn, harness_teardown),
        cmocka_unit_test_teardown(test_stress_3l, harness_teardown),
        cmocka_unit_test_teardown(test_stress_3l_churn, harness_teardown),
        cmocka_unit_test_teardown(test_stress_fifo, harness_teardown),
        cmocka_unit_test_teardown(test_stress_fifo_churn, harness_teardown),
        cmocka_unit_test_teardown(test_fifo_order, harness_teardown),
    };

    /* Unbuffered: a hang or crash still shows how far the run got. */
    setvbuf(stdout, NULL, _IONBF, 0);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
