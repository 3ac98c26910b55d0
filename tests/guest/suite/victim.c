/* SPDX-License-Identifier: Apache-2.0 */
/*
 * role=victim: the domains the hostile one must not hurt (hostile.h).
 *
 * victim=ping (d0): pings d1 on the echo channel for the whole run, one event at a time,
 * and times each round trip into the hostile phase it belongs to; drives the phases (the
 * hostile announces each on hctl, d0 acknowledges), sets itself up after the exhaustion
 * phase (ports, a grant frame, the 3-level ABI) and has d1 switch to FIFO, drives the
 * reboot storm (rctl), and checks its own registers all along. Prints its TAP, then one
 * "# BENCH hostile" line per phase (round-trip figures: a benchmark, never asserted).
 *
 * victim=echo (d1): echoes every ping, counts them, switches to FIFO on d0's first
 * command and stops on the second; checks its own registers all along.
 *
 * bootargs: victim=ping|echo, peer/sport/pport/sctl/pctl (README), and for d0
 * hctl=<port> hstorm=<port> rctl=<port> reboots=<n> (default 3), idle=<ms> (how long a
 * hostile phase may last before d0 gives up on it; default 90 s).
 */
#include "bootargs.h"
#include "hostile.h"
#include "xtest.h"

#include <public/grant_table.h>

#define READY_MS       30000
#define PING_MS        2000 /* one round trip, at most */
#define BASELINE_PINGS 300
#define SAMPLES        2048 /* per phase; later round trips are counted, not kept */
#define PHASE_IDLE_MS                                                                              \
    90000                   /* no phase change nor heartbeat for this long: the hostile            \
                             * is stuck or dead */
#define AFTER_EXIT_MS 3000  /* after VIRQ_DOM_EXC in the random phases */
#define HELLO_MS      15000 /* the rebooter's next life */
#define CMD_MS        10000
#define ECHO_IDLE_MS  600000
#define VICTIM_PORTS  16

struct phase_stats {
    uint32_t n, lost;
    uint32_t ns[SAMPLES];
};

static struct phase_stats stats[PH_NR];
static struct regprobe regs;
static evtchn_port_t hctl, hstorm, rctl, dom_exc;
static uint32_t sent, answered;
static unsigned int phase = PH_BASELINE;
static uint8_t grant_page[GUEST_PAGE_SIZE] __attribute__((aligned(GUEST_PAGE_SIZE)));

static uint64_t ns_of(uint64_t ticks)
{
    return ticks * 1000000000ull / arch_counter_freq();
}

/* ---- victim=ping ---- */

static void ping_once(void)
{
    uint32_t before = ev_count[xt.sport];
    uint64_t t0 = arch_counter(), t1;
    struct phase_stats *s = &stats[phase];

    sent++;
    ev_send(xt.sport);
    if (ev_wait_count(xt.sport, before + 1, PING_MS)) {
        t1 = arch_counter();
        answered++;
        if (s->n < SAMPLES)
            s->ns[s->n] = (uint32_t)ns_of(t1 - t0);
        s->n++;
    } else {
        s->lost++;
    }
    if ((sent & 7) == 0)
        regprobe_check(&regs);
}

struct setup_result {
    bool reached;
    long ports, grant, l3;
    bool fifo_acked;
};
static struct setup_result setup;

/* What a domain does when it starts using event channels and grants, after the hostile
 * domain took all it could: each must succeed. */
static void victim_setup(void)
{
    evtchn_port_t p[VICTIM_PORTS];
    struct gnttab_setup_table gs;
    struct xen_add_to_physmap xa;
    xen_pfn_t frame = 0;
    unsigned int i, n = 0;
    uint32_t acks;

    setup.reached = true;
    setup.ports = 0;
    for (i = 0; i < VICTIM_PORTS && setup.ports == 0; i++)
        if ((setup.ports = ev_alloc_unbound(DOMID_SELF, xt.peer, &p[i])) == 0)
            n++;
    for (i = 0; i < n; i++)
        ev_close(p[i]);

    memset(&gs, 0, sizeof(gs));
    gs.dom = DOMID_SELF;
    gs.nr_frames = 1;
    set_xen_guest_handle_64(gs.frame_list, &frame);
    setup.grant = arch_hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table,
                                 (unsigned long)(uintptr_t)&gs, 1, 0, 0);
    if (setup.grant == 0 && gs.status != GNTST_okay)
        setup.grant = gs.status;
    if (setup.grant == 0) {
        memset(&xa, 0, sizeof(xa));
        xa.domid = DOMID_SELF;
        xa.space = XENMAPSPACE_grant_table;
        xa.idx = 0;
        xa.gpfn = arch_gfn(grant_page);
        setup.grant = hc_memory(XENMEM_add_to_physmap, &xa);
    }

    setup.l3 = ev_setup_3l(xt.cpus_up);

    acks = ev_count[xt.sctl];
    ev_send(xt.sctl); /* command 1: d1 switches to FIFO, then acknowledges */
    setup.fifo_acked = ev_wait_count(xt.sctl, acks + 1, CMD_MS);
    tap_diag("victim setup: ports %s, grant %s, 3-level %s, d1 FIFO %s", xen_errname(setup.ports),
             xen_errname(setup.grant), xen_errname(setup.l3),
             setup.fifo_acked ? "acknowledged" : "not acknowledged");
}

/* The reboot storm: one go per hello, `lives` - 1 times; round trips go on meanwhile. */
static unsigned int drive_reboots(unsigned int lives)
{
    uint32_t used = 0;
    unsigned int booted = 0;

    while (booted < lives) {
        uint64_t end = arch_counter() + ticks_from_ms(HELLO_MS);

        while (ev_count[rctl] <= used && arch_counter() < end)
            ping_once();
        if (ev_count[rctl] <= used)
            break;
        used++;
        booted++;
        if (booted < lives)
            ev_send(rctl); /* go: reboot */
    }
    return booted;
}

static void sort_u32(uint32_t *a, uint32_t n)
{
    uint32_t gap, i, j;

    for (gap = n / 2; gap > 0; gap /= 2)
        for (i = gap; i < n; i++) {
            uint32_t v = a[i];

            for (j = i; j >= gap && a[j - gap] > v; j -= gap)
                a[j] = a[j - gap];
            a[j] = v;
        }
}

static void print_bench(void)
{
    unsigned int p;

    for (p = 0; p < PH_NR; p++) {
        struct phase_stats *s = &stats[p];
        uint32_t kept = s->n < SAMPLES ? s->n : SAMPLES;

        if (kept == 0 && s->lost == 0)
            continue;
        sort_u32(s->ns, kept);
        printf("# BENCH hostile %s n=%u median_ns=%u p99_ns=%u max_ns=%u lost=%u\n",
               hostile_phase_name[p], s->n, kept ? s->ns[kept / 2] : 0,
               kept ? s->ns[(kept * 99) / 100 < kept ? (kept * 99) / 100 : kept - 1] : 0,
               kept ? s->ns[kept - 1] : 0, s->lost);
    }
}

static void victim_ping(void)
{
    unsigned int reboots = (unsigned int)bootarg_num("reboots", 3), booted = 0;
    unsigned int idle_ms = (unsigned int)bootarg_num("idle", PHASE_IDLE_MS);
    uint32_t hctl_used = 0, exc_at_random = 0, acks, unready = 0, storm_seen = 0;
    uint64_t ready_end, last_change, exited_at = 0;
    bool ready = false, go = false, stopped;
    long rc;

    hctl = (evtchn_port_t)bootarg_num("hctl", 0);
    hstorm = (evtchn_port_t)bootarg_num("hstorm", 0);
    rctl = (evtchn_port_t)bootarg_num("rctl", 0);
    tap_diag("victim ping: echo d%u port %u, hostile control %u, storm %u, rebooter %u", xt.peer,
             xt.sport, hctl, hstorm, rctl);
    regprobe_init(&regs, TAG_VICTIM_PING);
    rc = ev_bind_virq(VIRQ_DOM_EXC, 0, &dom_exc);
    if (rc != 0)
        tap_diag("VIRQ_DOM_EXC not bound (%s): a dead hostile domain is found by time-out",
                 xen_errname(rc));

    /* d1 echoes only once it is ready, and drops what came before: probe until it answers,
     * giving each probe long enough that its echo never arrives after the next one was
     * sent. The answered probe counts as a ping (d1 counts it), the dropped ones do not. */
    ready_end = arch_counter() + ticks_from_ms(READY_MS);
    while (!ready && arch_counter() < ready_end) {
        uint32_t c = ev_count[xt.sport];
        uint64_t t0 = arch_counter();

        ev_send(xt.sport);
        ready = ev_wait_count(xt.sport, c + 1, PING_MS);
        if (!ready) {
            unready++;
            /* How long the probe really took: a stall (this vCPU not run, or not woken by
             * its own timer) shows as far more than PING_MS. */
            tap_diag("victim: probe %u unanswered after %lu ms", unready,
                     (unsigned long)(ns_of(arch_counter() - t0) / 1000000));
        }
    }
    if (ready)
        sent = answered = 1;
    tap_ok(ready, "victim: the echo domain d%u answers (%u probe(s) before it was ready)", xt.peer,
           unready);

    last_change = arch_counter();
    while (ready) {
        uint64_t now;

        ping_once();
        now = arch_counter();
        if (!go && sent > BASELINE_PINGS && ev_count[hctl] >= 1) {
            hctl_used = 1; /* the hostile's hello */
            go = true;
            ev_send(hctl);
            last_change = now;
        } else if (go && ev_count[hctl] > hctl_used) {
            hctl_used++;
            if (phase + 1 < PH_NR)
                phase++;
            printf("# victim: hostile phase %s\n", hostile_phase_name[phase]);
            if (phase == PH_SETUP)
                victim_setup();
            if (phase == PH_REBOOT)
                booted = drive_reboots(reboots + 1);
            if (phase == PH_HCALL && dom_exc != 0)
                exc_at_random = ev_count[dom_exc];
            ev_send(hctl);
            last_change = arch_counter();
            if (phase == PH_DONE)
                break;
        }
        if (phase >= PH_HCALL && dom_exc != 0 && ev_count[dom_exc] > exc_at_random &&
            exited_at == 0)
            exited_at = now;
        if (exited_at != 0 && now - exited_at > ticks_from_ms(AFTER_EXIT_MS)) {
            tap_diag("victim: the hostile domain ended during phase %s", hostile_phase_name[phase]);
            break;
        }
        now = arch_counter();                 /* handling a phase may have taken a while */
        if (ev_count[hstorm] != storm_seen) { /* the hostile's storms and heartbeats */
            storm_seen = ev_count[hstorm];
            last_change = now;
        }
        if (now - last_change > ticks_from_ms(idle_ms)) {
            tap_diag("victim: no hostile phase change for %u ms, in phase %s", idle_ms,
                     hostile_phase_name[phase]);
            break;
        }
    }

    acks = ev_count[xt.sctl];
    ev_send(xt.sctl); /* the last command: d1 stops */
    stopped = ev_wait_count(xt.sctl, acks + 1, CMD_MS);

    printf("# victim ping: sent %u, answered %u\n", sent, answered);
    printf("# victim: hostile reached phase %s\n", hostile_phase_name[phase]);
    printf("# victim reboot: the rebooter booted %u time(s), %u reboot(s) asked\n", booted,
           booted > 0 ? booted - 1 : 0);
    tap_ok(phase >= PH_HCALL,
           "victim: the hostile domain ran every phase up to the random "
           "ones (reached %s)",
           hostile_phase_name[phase]);
    if (setup.reached) {
        expect_rc(setup.ports, 0,
                  "victim setup after exhaustion: bind "
                  "16 ports");
        expect_rc(setup.grant, 0,
                  "victim setup after exhaustion: grant table frame set up and mapped");
        expect_rc(setup.l3, 0, "victim setup after exhaustion: 3-level ABI registered");
        tap_ok(setup.fifo_acked, "victim setup after exhaustion: d1 switched to FIFO and answered");
    } else {
        tap_ok(false, "victim setup after exhaustion: bind 16 ports (phase not reached)");
        tap_ok(false, "victim setup after exhaustion: grant table (phase not reached)");
        tap_ok(false, "victim setup after exhaustion: 3-level ABI (phase not reached)");
        tap_ok(false, "victim setup after exhaustion: d1 FIFO (phase not reached)");
    }
    tap_ok(ready && sent == answered,
           "victim: every ping answered exactly once (%u sent, %u answered)", sent, answered);
    tap_ok(stopped, "victim: d1 acknowledged the stop");
    regprobe_report(&regs, "victim d0");
    print_bench();
}

/* ---- victim=echo ---- */

static volatile uint32_t received, echoed;

static void echo_hook(unsigned int cpu, evtchn_port_t port)
{
    (void)cpu;
    if (port != xt.sport)
        return;
    received++;
    if (ev_send(port) == 0)
        echoed++;
}

static void victim_echo(void)
{
    uint32_t cmd = 0;
    long fifo = -XEN_EINVAL;
    bool fifo_cmd = false, stopped = false;
    uint64_t last = arch_counter();

    tap_diag("victim echo: d%u's pings on port %u, commands on %u", xt.peer, xt.sport, xt.sctl);
    regprobe_init(&regs, TAG_VICTIM_ECHO);
    ev_clear(xt.sport); /* static channels' stray events from boot */
    ev_clear(xt.sctl);
    ev_take_pending_irqs();
    ev_reset_counters();
    ev_hook = echo_hook;
    while (!stopped && arch_counter() - last < ticks_from_ms(ECHO_IDLE_MS)) {
        ev_wait_count(xt.sctl, cmd + 1, 50);
        regprobe_check(&regs);
        if (ev_count[xt.sctl] <= cmd)
            continue;
        cmd++;
        last = arch_counter();
        if (cmd == 1) {
            fifo_cmd = true;
            arch_irq_disable();
            fifo = ev_setup_fifo(xt.cpus_up, 1);
            ev_unmask_guest(xt.sport);
            ev_unmask_guest(xt.sctl);
        } else {
            stopped = true;
        }
        ev_send(xt.sctl);
    }
    ev_hook = NULL;
    printf("# victim echo: received %u, echoed %u\n", received, echoed);
    if (fifo_cmd)
        expect_rc(fifo, 0,
                  "victim setup after exhaustion: switched to FIFO with the channels bound");
    else
        tap_ok(false, "victim setup after exhaustion: switched to FIFO (no command from d0)");
    tap_ok(stopped, "victim: stop command received");
    tap_ok(received > 0 && received == echoed,
           "victim: every ping echoed exactly once "
           "(%u received, %u echoed)",
           received, echoed);
    regprobe_report(&regs, "victim d1");
}

void role_victim(void)
{
    const char *mode = bootarg("victim", NULL);

    if (mode != NULL && strncmp(mode, "echo", 4) == 0)
        victim_echo();
    else
        victim_ping();
}
