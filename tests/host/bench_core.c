/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Event core benchmark (not a test): the cost of one event, sent with EVTCHNOP_send from
 * one domain and consumed by the other through the guest model, per ABI and number of
 * bound ports; and the memory the port table takes.
 *
 *   bench_core                 everything, natively timed (clock_gettime), as result lines
 *   bench_core st ABI PORTS N  only N single-threaded events, in bench_measured_loop():
 *                              tools/bench-core.sh runs this under callgrind with
 *                              --toggle-collect=bench_measured_loop for instruction counts
 *
 * Events go round-robin over every bound port (each port in turn, so with 131k ports the
 * per-port state of every port is touched, as a busy guest would). The receiver has one
 * vCPU in the single-threaded case. In the multi-threaded case half the host's CPUs run
 * sender threads and the receiver has a vCPU per other half, one consumer thread each (no
 * more threads than CPUs: spinning on a lock whose holder is descheduled measures the
 * host's scheduler, not the event core); the cost is wall time per delivered event
 * (coalesced sends are not counted).
 *
 * Output lines (parsed by tools/bench-core.sh):
 *   st ABI PORTS ns_per_event
 *   mt ABI PORTS ns_per_event sent handled
 *   mem PORTS table_bytes domain_bytes
 *   sizeof evtchn BYTES
 *   threads SENDERS CONSUMERS
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xen/alloc.h>
#include <xen/errno.h>

#include "test_util.h"

#define MAX_THREADS 8
#define TX_ID       0 /* privileged: may bind any number of ports, and raise others' limits */
#define RX_ID       1

static const uint32_t port_counts[] = {16, 1024, 4096, 32768, 131072};
static unsigned int nr_senders = 1, nr_consumers = 1;

struct bench {
    struct domain *tx, *rx;
    enum guest_abi abi;
    uint32_t n;             /* bound ports */
    evtchn_port_t *tx_port; /* tx's end of each channel */
    uint32_t *rx_vcpu;      /* which receiver vCPU each channel notifies */
    unsigned long handled;
    bool stop;
};

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* The short ABI names of the results table (tools/bench-core.sh reads them). */
static const char *abi_tag(enum guest_abi abi)
{
    return abi == GUEST_ABI_FIFO ? "fifo" : abi == GUEST_ABI_3L ? "3l" : "2l";
}

/* Ports an ABI can bind (port 0 is reserved): 0 if it cannot bind n. */
static uint32_t abi_usable(enum guest_abi abi)
{
    switch (abi) {
    case GUEST_ABI_FIFO:
        return EVTCHN_FIFO_NR_CHANNELS - 1;
    case GUEST_ABI_3L:
        return EVTCHN_3L_NR_CHANNELS(64) - 1;
    default:
        return EVTCHN_2L_NR_CHANNELS_BITS(64) - 1;
    }
}

static void die(const char *what, long rc)
{
    fprintf(stderr, "bench_core: %s failed (%ld)\n", what, rc);
    exit(1);
}

/* FIFO event-array pages for ports 0..ports (a page holds PAGE_SIZE / 4 event words). */
static unsigned int fifo_pages(uint32_t ports)
{
    return DIV_ROUND_UP(ports + 1, PAGE_SIZE / 4);
}

/* n interdomain channels tx -> rx; rx's port i+1 notifies vCPU i % vcpus. */
static void bench_setup(struct bench *b, enum guest_abi abi, uint32_t n, uint32_t vcpus)
{
    struct evtchn_set_limit sl = {.domid = RX_ID, .max_port = EVTCHN_MAX_PORTS - 1};
    long rc;

    memset(b, 0, sizeof(*b));
    b->abi = abi;
    b->n = n;
    b->tx = harness_domain(TX_ID, 1, true, &guest_layout_arm);
    b->rx = harness_domain(RX_ID, vcpus, false, &guest_layout_arm);
    if (b->tx == NULL || b->rx == NULL)
        die("domain creation", 0);
    if ((rc = setup_abi(b->tx, abi, fifo_pages(n))) != 0 ||
        (rc = setup_abi(b->rx, abi, fifo_pages(n))) != 0)
        die("ABI setup", rc);
    if ((rc = harness_evtchn_op(b->tx->vcpu[0], EVTCHNOP_set_limit, &sl, sizeof(sl))) != 0)
        die("set_limit", rc);
    b->tx_port = calloc(n, sizeof(*b->tx_port));
    b->rx_vcpu = calloc(n, sizeof(*b->rx_vcpu));
    if (b->tx_port == NULL || b->rx_vcpu == NULL)
        die("calloc", 0);

    for (uint32_t i = 0; i < n; i++) {
        struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = TX_ID};
        struct evtchn_bind_interdomain bi = {.remote_dom = RX_ID};

        if ((rc = harness_evtchn_op(b->rx->vcpu[0], EVTCHNOP_alloc_unbound, &au, sizeof(au))))
            die("alloc_unbound", rc);
        bi.remote_port = au.port;
        if ((rc = harness_evtchn_op(b->tx->vcpu[0], EVTCHNOP_bind_interdomain, &bi, sizeof(bi))))
            die("bind_interdomain", rc);
        b->tx_port[i] = bi.local_port;
        b->rx_vcpu[i] = i % vcpus;
        if (vcpus > 1) {
            struct evtchn_bind_vcpu bv = {.port = au.port, .vcpu = b->rx_vcpu[i]};

            if ((rc = harness_evtchn_op(b->rx->vcpu[0], EVTCHNOP_bind_vcpu, &bv, sizeof(bv))))
                die("bind_vcpu", rc);
        }
        guest_unmask(b->rx->vcpu[b->rx_vcpu[i]], au.port); /* FIFO words start MASKED */
    }
    for (uint32_t v = 0; v < vcpus; v++)
        guest_consume(b->rx->vcpu[v], NULL, NULL);
}

static void bench_teardown(struct bench *b)
{
    free(b->tx_port);
    free(b->rx_vcpu);
    harness_reset();
}

static void count_handled(struct vcpu *v, evtchn_port_t port, void *ctx)
{
    struct bench *b = ctx;

    (void)v;
    (void)port;
    __atomic_fetch_add(&b->handled, 1, __ATOMIC_RELAXED);
}

/*
 * The measured region: send one event, run the receiver's upcall, n_events times. Not
 * inlined, so callgrind can collect exactly this function (and what it calls).
 */
__attribute__((noinline)) void bench_measured_loop(struct bench *b, unsigned long n_events);
__attribute__((noinline)) void bench_measured_loop(struct bench *b, unsigned long n_events)
{
    struct vcpu *tv = b->tx->vcpu[0], *rv = b->rx->vcpu[0];
    uint32_t i = 0;

    for (unsigned long e = 0; e < n_events; e++) {
        struct evtchn_send snd = {.port = b->tx_port[i]};

        if (harness_evtchn_op(tv, EVTCHNOP_send, &snd, sizeof(snd)) != 0)
            die("send", 0);
        guest_consume(rv, count_handled, b);
        if (++i == b->n)
            i = 0;
    }
}

/* Best of three timed passes (the host may be busy with other work). */
static double run_st(enum guest_abi abi, uint32_t n, unsigned long events)
{
    double best = 0;
    struct bench b;

    bench_setup(&b, abi, n, 1);
    bench_measured_loop(&b, MIN((unsigned long)n, events)); /* warm: every port once */
    for (unsigned int rep = 0; rep < 3; rep++) {
        double t0, t1;

        b.handled = 0;
        t0 = now_ns();
        bench_measured_loop(&b, events);
        t1 = now_ns();
        if (b.handled != events)
            die("delivery (events handled != sent)", (long)b.handled);
        if (rep == 0 || t1 - t0 < best)
            best = t1 - t0;
    }
    bench_teardown(&b);
    return best / (double)events;
}

/* ---- Multi-threaded ------------------------------------------------------------------- */

struct mt_arg {
    struct bench *b;
    unsigned int id;
    unsigned long sent;
};

static void *mt_sender(void *p)
{
    struct mt_arg *a = p;
    struct bench *b = a->b;
    uint32_t i = a->id;

    while (!__atomic_load_n(&b->stop, __ATOMIC_RELAXED)) {
        struct evtchn_send snd = {.port = b->tx_port[i]};

        (void)harness_evtchn_op(b->tx->vcpu[0], EVTCHNOP_send, &snd, sizeof(snd));
        a->sent++;
        i += nr_senders;
        if (i >= b->n)
            i = a->id;
    }
    return NULL;
}

static void *mt_consumer(void *p)
{
    struct mt_arg *a = p;
    struct bench *b = a->b;
    struct vcpu *v = b->rx->vcpu[a->id];

    while (!__atomic_load_n(&b->stop, __ATOMIC_RELAXED)) {
        if (__atomic_load_n((uint8_t *)v->vcpu_info, __ATOMIC_ACQUIRE) & 1)
            guest_consume(v, count_handled, b);
        else
            sched_yield();
    }
    return NULL;
}

static double run_mt(enum guest_abi abi, uint32_t n, double seconds, unsigned long *sent,
                     unsigned long *handled)
{
    struct mt_arg snd[MAX_THREADS], con[MAX_THREADS];
    pthread_t ts[MAX_THREADS], tc[MAX_THREADS];
    struct timespec pause = {.tv_sec = (time_t)seconds,
                             .tv_nsec = (long)((seconds - (time_t)seconds) * 1e9)};
    struct bench b;
    double t0, t1;

    bench_setup(&b, abi, n, nr_consumers);
    t0 = now_ns();
    for (unsigned int i = 0; i < nr_consumers; i++) {
        con[i] = (struct mt_arg){.b = &b, .id = i};
        pthread_create(&tc[i], NULL, mt_consumer, &con[i]);
    }
    for (unsigned int i = 0; i < nr_senders; i++) {
        snd[i] = (struct mt_arg){.b = &b, .id = i};
        pthread_create(&ts[i], NULL, mt_sender, &snd[i]);
    }
    nanosleep(&pause, NULL);
    __atomic_store_n(&b.stop, true, __ATOMIC_RELAXED);
    for (unsigned int i = 0; i < nr_senders; i++)
        pthread_join(ts[i], NULL);
    for (unsigned int i = 0; i < nr_consumers; i++)
        pthread_join(tc[i], NULL);
    t1 = now_ns();
    *sent = 0;
    for (unsigned int i = 0; i < nr_senders; i++)
        *sent += snd[i].sent;
    *handled = b.handled;
    bench_teardown(&b);
    return *handled != 0 ? (t1 - t0) / (double)*handled : 0;
}

/* ---- Memory --------------------------------------------------------------------------- */

/* A domain with `ports` bound IPI ports: its port table, and all the domain's memory. */
static void run_mem(uint32_t ports)
{
    size_t before = xalloc_bytes_in_use();
    struct domain *d = harness_domain(RX_ID, 1, true, &guest_layout_arm);
    long rc;

    if (d == NULL)
        die("domain creation", 0);
    if (ports > abi_usable(GUEST_ABI_2L) &&
        (rc = guest_setup_fifo(d, DIV_ROUND_UP(ports + 1, PAGE_SIZE / 4))) != 0)
        die("fifo setup", rc);
    for (uint32_t i = 0; i < ports; i++) {
        struct evtchn_bind_ipi ipi = {.vcpu = 0};

        if ((rc = harness_evtchn_op(d->vcpu[0], EVTCHNOP_bind_ipi, &ipi, sizeof(ipi))))
            die("bind_ipi", rc);
    }
    printf("mem %u %zu %zu\n", ports, evtchn_port_table_bytes(d), xalloc_bytes_in_use() - before);
    harness_reset();
}

int main(int argc, char **argv)
{
    static const enum guest_abi abis[] = {GUEST_ABI_2L, GUEST_ABI_3L, GUEST_ABI_FIFO};
    double mt_seconds = 0.5;

    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    setvbuf(stdout, NULL, _IOLBF, 0);
    nr_senders = (unsigned int)MAX(1, MIN(cpus / 2, MAX_THREADS));
    nr_consumers = (unsigned int)MAX(1, MIN(cpus - (long)nr_senders, MAX_THREADS));
    if (argc == 5 && strcmp(argv[1], "st") == 0) {
        /* One configuration for callgrind: setup, then only the measured loop. */
        enum guest_abi abi = strcmp(argv[2], "fifo") == 0 ? GUEST_ABI_FIFO
                             : strcmp(argv[2], "3l") == 0 ? GUEST_ABI_3L
                                                          : GUEST_ABI_2L;
        uint32_t n = (uint32_t)strtoul(argv[3], NULL, 0);
        unsigned long events = strtoul(argv[4], NULL, 0);
        struct bench b;

        bench_setup(&b, abi, MIN(n, abi_usable(abi)), 1);
        bench_measured_loop(&b, events);
        if (b.handled != events)
            die("delivery", (long)b.handled);
        bench_teardown(&b);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "quick") == 0)
        mt_seconds = 0.2;

    printf("sizeof evtchn %zu\n", sizeof(struct evtchn));
    printf("threads %u %u\n", nr_senders, nr_consumers);
    run_mem(10);
    run_mem(1000);
    run_mem(131000);
    for (unsigned int a = 0; a < 3; a++)
        for (unsigned int i = 0; i < sizeof(port_counts) / sizeof(port_counts[0]); i++) {
            uint32_t n = MIN(port_counts[i], abi_usable(abis[a]));
            unsigned long sent, handled;
            double mt;

            if (port_counts[i] > abi_usable(abis[a]) + 1) {
                printf("st %s %u n/a\nmt %s %u n/a\n", abi_tag(abis[a]), port_counts[i],
                       abi_tag(abis[a]), port_counts[i]);
                continue;
            }
            /* Enough events to pass over every port a few times, or 300k. */
            printf("st %s %u %.1f\n", abi_tag(abis[a]), port_counts[i],
                   run_st(abis[a], n, MAX(300000ul, 3ul * n)));
            mt = run_mt(abis[a], n, mt_seconds, &sent, &handled);
            printf("mt %s %u %.1f %lu %lu\n", abi_tag(abis[a]), port_counts[i], mt, sent, handled);
        }
    return 0;
}
