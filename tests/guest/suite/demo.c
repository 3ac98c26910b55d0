/* SPDX-License-Identifier: Apache-2.0 */
/*
 * role=demo (`make run`): two domains exchange events over FIFO channels at different
 * priorities and print a live summary once a second, until the machine is stopped.
 *
 *   producer  sends bursts of three events, one per channel, lowest priority first, and
 *             waits for the consumer's acknowledgement before the next burst;
 *   consumer  gives its ends of the channels priorities (FIFO: 0 is the highest), keeps
 *             them masked while it is "busy", polls (SCHEDOP_poll works on masked ports)
 *             until a burst is complete, then unmasks them in the order they were sent
 *             and takes one upcall: the events drain highest priority first, whatever
 *             order they were sent or unmasked in. Then it acknowledges the burst.
 *
 * bootargs (besides those of tests/guest/README.md):
 *   demo=producer|consumer
 *   ports=<a>,<b>,<c>    my ends of the three channels, highest priority first
 *   prios=<a>,<b>,<c>    the consumer's priorities for them (default 2,7,12)
 *   ack=<port>           my end of the acknowledgement channel
 *   period=<ms>          the producer's pause between bursts (default 1; 0: flat out)
 * The channels are static ones from the DT (boards/<board>/demo.dtsi, imagebuilder-demo.cfg).
 */
#include "bootargs.h"
#include "xtest.h"

#define NCHAN       3
#define REPORT_MS   1000 /* one summary line per second */
#define ACK_WAIT_MS 1000 /* a lost burst is sent again after this */

struct demo {
    bool producer;
    evtchn_port_t port[NCHAN]; /* highest priority first */
    uint32_t prio[NCHAN];
    evtchn_port_t ack;
    unsigned int period_ms;
};

static struct demo demo = {.prio = {2, 7, 12}, .period_ms = 1};

/* The consumer's record of one burst's drain order, filled by the upcall hook. */
static volatile unsigned int drained;
static volatile int drain_order[NCHAN];

/* ---- bootargs: our own keys (main.c ignores what it does not know) ---- */

static unsigned int parse_list(const char *v, const char *end, uint32_t *out)
{
    unsigned int n = 0;

    while (v < end && n < NCHAN) {
        const char *next;

        out[n++] = (uint32_t)strtoul(v, &next, 0);
        if (next == v || next >= end || *next != ',')
            break;
        v = next + 1;
    }
    return n;
}

static bool parse_args(void)
{
    uint32_t ports[NCHAN] = {0};
    unsigned int nports = 0, i;
    const char *v;
    size_t n;

    if ((v = bootarg("demo", NULL)) != NULL)
        demo.producer = strncmp(v, "producer", 8) == 0;
    if ((v = bootarg("ports", &n)) != NULL)
        nports = parse_list(v, v + n, ports);
    if ((v = bootarg("prios", &n)) != NULL)
        parse_list(v, v + n, demo.prio);
    demo.ack = (evtchn_port_t)bootarg_num("ack", demo.ack);
    demo.period_ms = (unsigned int)bootarg_num("period", demo.period_ms);
    for (i = 0; i < NCHAN; i++) {
        demo.port[i] = ports[i];
        if (demo.prio[i] > EVTCHN_FIFO_PRIORITY_MIN)
            demo.prio[i] = EVTCHN_FIFO_PRIORITY_MIN;
    }
    return nports == NCHAN && demo.ack != 0;
}

/* ---- Both sides ---- */

static bool switch_to_fifo(void)
{
    unsigned int i;
    long rc = ev_setup_fifo(xt.cpus_up, 1);

    if (rc != 0) {
        printf("demo d%u: FIFO ABI refused (%s)\n", xt.self, xen_errname(rc));
        return false;
    }
    /* New event words start MASKED; a static channel's end may hold a stray event. */
    for (i = 0; i < NCHAN; i++) {
        ev_clear(demo.port[i]);
        if (demo.producer)
            ev_unmask_guest(demo.port[i]);
    }
    ev_clear(demo.ack);
    ev_unmask_guest(demo.ack);
    return true;
}

static bool nothing(void *arg)
{
    (void)arg;
    return false;
}

static bool report_due(uint64_t *next)
{
    uint64_t now = arch_counter();

    if (now < *next)
        return false;
    *next = now + ticks_from_ms(REPORT_MS);
    return true;
}

/* ---- Producer ---- */

static void producer(void)
{
    uint64_t sent[NCHAN] = {0}, bursts = 0, acks = 0, lost = 0, next = 0;
    int i;

    printf("demo d%u producer: bursts on ports %u (p%u), %u (p%u), %u (p%u) at the consumer, "
           "lowest priority first; one line a second\n",
           xt.self, demo.port[2], demo.prio[2], demo.port[1], demo.prio[1], demo.port[0],
           demo.prio[0]);
    /* The consumer acknowledges when it is ready and whenever it idles for a second. */
    while (!ev_wait_count(demo.ack, 1, ACK_WAIT_MS))
        printf("demo d%u producer: waiting for the consumer on port %u\n", xt.self, demo.ack);
    for (;;) {
        uint32_t seen = ev_count[demo.ack];

        for (i = NCHAN - 1; i >= 0; i--)
            if (ev_send(demo.port[i]) == 0)
                sent[i]++;
        bursts++;
        if (ev_wait_count(demo.ack, seen + 1, ACK_WAIT_MS))
            acks++;
        else
            lost++;
        if (report_due(&next))
            printf("demo d%u producer: sent %lu in %lu bursts: p%u=%lu p%u=%lu p%u=%lu; "
                   "acked %lu, timed out %lu\n",
                   xt.self, (unsigned long)(sent[0] + sent[1] + sent[2]), (unsigned long)bursts,
                   demo.prio[0], (unsigned long)sent[0], demo.prio[1], (unsigned long)sent[1],
                   demo.prio[2], (unsigned long)sent[2], (unsigned long)acks, (unsigned long)lost);
        if (demo.period_ms)
            ev_wait(nothing, NULL, demo.period_ms);
    }
}

/* ---- Consumer ---- */

static void drain_hook(unsigned int cpu, evtchn_port_t port)
{
    unsigned int i, n = drained;

    (void)cpu;
    for (i = 0; i < NCHAN; i++) {
        if (port == demo.port[i] && n < NCHAN) {
            drain_order[n] = (int)i;
            drained = n + 1;
        }
    }
}

static bool burst_complete(void)
{
    unsigned int i;

    for (i = 0; i < NCHAN; i++)
        if (!ev_pending(demo.port[i]))
            return false;
    return true;
}

static void consumer(void)
{
    uint64_t recv[NCHAN] = {0}, bursts = 0, in_order = 0, partial = 0, next = 0;
    unsigned int i;

    for (i = 0; i < NCHAN; i++) {
        long rc = ev_set_priority(demo.port[i], demo.prio[i]);

        if (rc != 0)
            printf("demo d%u consumer: set_priority(%u, %u) -> %s\n", xt.self, demo.port[i],
                   demo.prio[i], xen_errname(rc));
        ev_mask(demo.port[i]); /* "busy": events wait in PENDING, no upcall */
    }
    printf("demo d%u consumer: ports %u (p%u), %u (p%u), %u (p%u) masked while busy; "
           "each burst is unmasked in the order sent and drains in priority order\n",
           xt.self, demo.port[0], demo.prio[0], demo.port[1], demo.prio[1], demo.port[2],
           demo.prio[2]);
    ev_hook = drain_hook;
    for (;;) {
        /* The producer sends the highest priority last: wait for that one. */
        evtchn_port_t last = demo.port[0];
        unsigned int n;

        if (!burst_complete())
            sched_poll(&last, 1, (uint64_t)REPORT_MS * 1000000);
        if (burst_complete()) {
            arch_irq_disable();
            drained = 0;
            for (i = NCHAN; i-- > 0;) /* the order sent: lowest priority first */
                ev_unmask_guest(demo.port[i]);
            ev_take_pending_irqs(); /* one upcall drains the three queues */
            for (i = 0; i < NCHAN; i++)
                ev_mask(demo.port[i]);
            n = drained;
            for (i = 0; i < n; i++)
                recv[drain_order[i]]++;
            bursts++;
            if (n == NCHAN && drain_order[0] == 0 && drain_order[1] == 1 && drain_order[2] == 2)
                in_order++;
            else if (n != NCHAN)
                partial++;
            ev_send(demo.ack);
        } else {
            ev_send(demo.ack); /* idle for a second: tell the producer we are here */
        }
        if (report_due(&next))
            printf("demo d%u consumer: recv %lu: p%u=%lu p%u=%lu p%u=%lu; %lu of %lu bursts "
                   "drained p%u -> p%u -> p%u (%lu incomplete)\n",
                   xt.self, (unsigned long)(recv[0] + recv[1] + recv[2]), demo.prio[0],
                   (unsigned long)recv[0], demo.prio[1], (unsigned long)recv[1], demo.prio[2],
                   (unsigned long)recv[2], (unsigned long)in_order, (unsigned long)bursts,
                   demo.prio[0], demo.prio[1], demo.prio[2], (unsigned long)partial);
    }
}

void role_demo(void)
{
    if (!parse_args()) {
        printf("demo d%u: bootargs need ports=<a>,<b>,<c> and ack=<port>\n", xt.self);
        return;
    }
    if (!switch_to_fifo())
        return;
    if (demo.producer)
        producer();
    else
        consumer();
}
