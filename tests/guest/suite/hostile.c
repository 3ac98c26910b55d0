/* SPDX-License-Identifier: Apache-2.0 */
/*
 * role=hostile: a domain that attacks the hypervisor in the phases of hostile.h while
 * the victims run (tests/system/hostile-test.sh). It may be ended by the hypervisor at any
 * point; what it prints is for the runner: TAP results for what it can judge itself (its
 * own registers), "# hostile <phase>:" lines with counts for the rest.
 *
 * bootargs: hctl=<port> (its end of the control channel to d0), hstorm=<port> (its end of
 * a channel it floods d0 on), seed=<n> (the random phases' PRNG; default from the
 * counter, printed either way), calls=<n> (random hypercalls, default 100000), trace=<i>
 * (print each random hypercall from the i-th on),
 * hostile=rebooter (the reboot-storm domain instead, hostile_reboot.c).
 *
 * It never uses the upcall to wait: the random phases may re-route or mask it. Every wait
 * is SCHEDOP_poll on one port with a time-out, then a look at that port's pending bit.
 */
#include "bootargs.h"
#include "fdt.h"
#include "hostile.h"
#include "hostile_rng.h"
#include "xtest.h"

#include <public/grant_table.h>

#define ACK_MS         20000  /* d0 answers a phase at once, after its set-up, ... */
#define ACK_REBOOT_MS  120000 /* ... or after the reboot storm */
#define GO_MS          120000 /* d0 starts us after its baseline */
#define REGS_MS        2000
#define STORM_MS       1500
#define FLOOD_BYTES    (2u << 20)
#define FLOOD_MS       15000
#define PORTS_MAX      200000u
#define PHYSMAP_MAX    8192u /* 32 MiB of leaf tables: 8 times a 4 MiB domain budget */
#define GNT_FRAMES_MAX 1024u
#define SYSREG_CALLS   20000u
#define IO_CALLS       20000u
#define MMIO_CALLS     2000u
#define WBINVD_CALLS   2000u

const char *const hostile_phase_name[PH_NR] = {
    [PH_BASELINE] = "baseline",     [PH_REGS] = "regs",           [PH_EXHAUST] = "exhaust",
    [PH_SETUP] = "victim-setup",    [PH_IRQ_STORM] = "irq-storm", [PH_EV_STORM] = "event-storm",
    [PH_CONSOLE] = "console-flood", [PH_REBOOT] = "reboot-storm", [PH_HCALL] = "hypercalls",
    [PH_SYSREG] = "sysreg-io",      [PH_MMIO] = "mmio",           [PH_DONE] = "done",
};

static evtchn_port_t hctl, hstorm;
/* The storms' own ports, bound before the exhaustion phase takes every other one. */
static evtchn_port_t storm_ipi, storm_loop;
static long storm_ipi_rc, storm_loop_rc;
static struct regprobe regs;

/* ---- Waiting without the upcall ---- */

static bool wait_port(evtchn_port_t port, unsigned int ms)
{
    uint64_t end = arch_counter() + ticks_from_ms(ms);

    while (arch_counter() < end) {
        if (ev_pending(port)) {
            ev_clear(port);
            return true;
        }
        sched_poll(&port, 1, 1000 * 1000000ull);
    }
    if (ev_pending(port)) {
        ev_clear(port);
        return true;
    }
    return false;
}

void hostile_quiet(unsigned int ms)
{
    uint64_t end = arch_counter() + ticks_from_ms(ms);

    while (arch_counter() < end)
        sched_yield();
}

/* Enter phase p: one event to d0, then its acknowledgement. */
static bool enter(enum hostile_phase p)
{
    unsigned int ms = p == PH_REBOOT ? ACK_REBOOT_MS : ACK_MS;
    bool acked;

    printf("# hostile phase %s\n", hostile_phase_name[p]);
    ev_send(hctl);
    acked = wait_port(hctl, ms);
    if (!acked)
        printf("# hostile phase %s: no acknowledgement from d0 in %u ms\n", hostile_phase_name[p],
               ms);
    return acked;
}

/* ---- (a) registers ---- */

static void phase_regs(void)
{
    uint64_t end = arch_counter() + ticks_from_ms(REGS_MS);

    regprobe_init(&regs, TAG_HOSTILE);
    while (arch_counter() < end) {
        regprobe_check(&regs);
        sched_yield(); /* let the victim on this CPU run between our checks */
    }
    regprobe_report(&regs, "hostile");
    /* From now on our PMU counts: a victim's counters must still not move. */
    printf("# hostile regs: PMU counting enabled: %s\n",
           arch_probe_pmu_run() ? "yes" : "no (trapped)");
}

/* ---- (b) exhaustion: each loop stops at the first error, which it prints ---- */

/* Where to map grant frames: the grant-table window the hypervisor offers in /hypervisor's
 * reg (Xen's Arm bindings, where Linux maps them), else the first gfn past our RAM. */
static uint64_t gfn_for_grants(void)
{
    int node = fdt_find_compatible("xen,xen");
    uint64_t base, size;

    if (node >= 0 && fdt_reg(node, 0, &base, &size) && size != 0)
        return base >> 12;

    for (node = fdt_first_child(fdt_path("/")); node >= 0; node = fdt_next_sibling(node))
        if (strncmp(fdt_name(node), "memory", 6) == 0 && fdt_reg(node, 0, &base, &size))
            return (base + size) >> 12;
    return 0x100000; /* 4 GiB */
}

static void phase_exhaust(void)
{
    struct gnttab_setup_table gs;
    struct xen_add_to_physmap xa;
    static xen_pfn_t frames[GNT_FRAMES_MAX];
    xen_pfn_t first = gfn_for_grants();
    unsigned int n, pages;
    evtchn_port_t port;
    long rc;

    /* FIFO: control block, then event-array pages until refused. */
    rc = ev_setup_fifo(1, 1);
    pages = rc == 0 ? 1 : 0;
    while (rc == 0 && pages < EV_FIFO_PAGES) {
        rc = ev_fifo_expand(1);
        if (rc == 0)
            pages++;
    }
    ev_unmask_guest(hctl);
    ev_unmask_guest(hstorm);
    printf("# hostile exhaust: FIFO %u event-array page(s), stopped by %s\n", pages,
           xen_errname(rc));
    /* 3-level registration on top (a second ABI must be refused, never half-made). */
    rc = ev_setup_3l(1);
    printf("# hostile exhaust: 3-level registration while FIFO -> %s\n", xen_errname(rc));
    if (rc == 0)
        ev_forget_abi();

    /* Ports until refused. */
    for (n = 0, rc = 0; n < PORTS_MAX; n++) {
        rc = ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &port);
        if (rc != 0)
            break;
    }
    printf("# hostile exhaust: %u ports bound, stopped by %s\n", n, xen_errname(rc));

    /* Grant frames: setup_table with more and more frames until refused. */
    for (n = 1, rc = 0; n <= GNT_FRAMES_MAX; n++) {
        memset(&gs, 0, sizeof(gs));
        gs.dom = DOMID_SELF;
        gs.nr_frames = n;
        set_xen_guest_handle_64(gs.frame_list, frames);
        rc = arch_hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table,
                            (unsigned long)(uintptr_t)&gs, 1, 0, 0);
        if (rc != 0 || gs.status != GNTST_okay)
            break;
    }
    printf("# hostile exhaust: grant table grew to %u frame(s), stopped by %s (status %d)\n", n - 1,
           xen_errname(rc), gs.status);

    /* add_to_physmap of grant frame 0 at ever new gfns past our RAM: each may cost the
     * hypervisor page-table pages. */
    for (n = 0, rc = 0; n < PHYSMAP_MAX; n++) {
        memset(&xa, 0, sizeof(xa));
        xa.domid = DOMID_SELF;
        xa.space = XENMAPSPACE_grant_table;
        xa.idx = 0;
        xa.gpfn = first + (xen_pfn_t)n * 512; /* one per 2 MiB: a new leaf table each */
        rc = hc_memory(XENMEM_add_to_physmap, &xa);
        if (rc != 0)
            break;
    }
    printf("# hostile exhaust: add_to_physmap at %u new gfns from 0x%lx, stopped by %s\n", n,
           (unsigned long)first, xen_errname(rc));
}

/* ---- (d) storms ---- */

/* An interdomain channel with both ends ours; *port is the end to send on. */
static long bind_loopback(evtchn_port_t *port)
{
    struct evtchn_bind_interdomain bind;
    evtchn_port_t a = 0;
    long rc = ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &a);

    if (rc != 0)
        return rc;
    bind.remote_dom = DOMID_SELF;
    bind.remote_port = a;
    rc = hc_evtchn(EVTCHNOP_bind_interdomain, &bind);
    if (rc == 0)
        *port = bind.local_port;
    return rc;
}

static void phase_irq_storm(void)
{
    uint64_t end = arch_counter() + ticks_from_ms(STORM_MS);
    unsigned long sends = 0, irqs;
    evtchn_port_t ipi = storm_ipi;
    long rc = storm_ipi_rc;

    if (rc == 0) {
        ev_unmask_guest(ipi);
        while (arch_counter() < end) {
            unsigned int i;

            for (i = 0; i < 64; i++, sends++)
                ev_send(ipi);
            ev_take_pending_irqs(); /* take the upcalls they raise */
        }
    }
    irqs = arch_irq_storm(STORM_MS);
    printf("# hostile irq-storm: %lu event-channel IPIs (bind %s), %lu interrupt-controller "
           "self-IPIs\n",
           sends, xen_errname(rc), irqs);
}

static void phase_ev_storm(void)
{
    uint64_t end = arch_counter() + ticks_from_ms(STORM_MS);
    unsigned long sends = 0, at_d0 = 0;
    evtchn_port_t b = storm_loop;
    long rc = storm_loop_rc;

    /* A loopback channel (both ends ours) and the channel to d0, interrupts masked: the
     * cost is the hypercall and the delivery, not our handler. */
    while (arch_counter() < end) {
        unsigned int i;

        for (i = 0; i < 64; i++) {
            if (rc == 0 && ev_send(b) == 0)
                sends++;
            if ((i & 7) == 0 && ev_send(hstorm) == 0)
                at_d0++;
        }
    }
    printf("# hostile event-storm: %lu loopback sends (set-up %s), %lu at d0\n", sends,
           xen_errname(rc), at_d0);
}

static void phase_console(void)
{
    static char line[1024];
    uint64_t end = arch_counter() + ticks_from_ms(FLOOD_MS);
    unsigned long bytes = 0, refused = 0, calls = 0;
    unsigned int i;

    for (i = 0; i < sizeof(line) - 1; i++)
        line[i] = (char)('a' + i % 26);
    line[sizeof(line) - 1] = '\n';
    memcpy(line, "flood ", 6);
    while (bytes < FLOOD_BYTES && arch_counter() < end) {
        long rc = hc_console_write(line, sizeof(line));

        calls++;
        if (rc < 0)
            refused++;
        else
            bytes += sizeof(line);
    }
    hostile_quiet(1000); /* a rate-limited console has room again for the report */
    printf("\n# hostile console-flood: %lu bytes accepted in %lu calls, %lu refused\n", bytes,
           calls, refused);
}

/* ---- (c) random accesses ---- */

static void phase_sysreg(void)
{
    unsigned long traps = 0, skipped = 0, made = 0, io_traps = 0, i;
    bool skip;

    for (i = 0; i < SYSREG_CALLS; i++) {
        if (arch_fuzz_sysreg(rng_next(), rng_next(), &skip))
            traps++;
        if (skip)
            skipped++;
        else
            made++;
    }
    printf("# hostile sysreg: %lu random system-register/MSR accesses, %lu trapped, %lu "
           "skipped (would wreck this guest only)\n",
           made, traps, skipped);
    if (arch_has_port_io) {
        for (i = 0; i < IO_CALLS; i++)
            io_traps += arch_fuzz_io(rng_next(), (uint32_t)rng_next());
        printf("# hostile io: %u random port accesses, %lu trapped\n", IO_CALLS, io_traps);
    }
    i = arch_fuzz_extra(WBINVD_CALLS);
    if (i != 0)
        printf("# hostile extra: %lu WBINVD\n", i);
}

static void phase_mmio(void)
{
    unsigned long traps = 0, i;

    for (i = 0; i < MMIO_CALLS; i++) {
        uint64_t r = rng_next();
        uint64_t gpa = arch_fuzz_mmio_addr(r);

        if (i < 4)
            printf("# hostile mmio: %s 0x%lx\n", (r >> 40) & 1 ? "write" : "read",
                   (unsigned long)gpa);
        traps += arch_fuzz_mmio(gpa, (r >> 40) & 1);
    }
    printf("# hostile mmio: %u accesses where nothing is, %lu trapped to us\n", MMIO_CALLS, traps);
}

void role_hostile(void)
{
    const char *mode = bootarg("hostile", NULL);
    uint64_t seed;

    if (mode != NULL && strncmp(mode, "rebooter", 8) == 0) {
        hostile_rebooter();
        return;
    }
    hctl = (evtchn_port_t)bootarg_num("hctl", 0);
    hstorm = (evtchn_port_t)bootarg_num("hstorm", 0);
    seed = bootarg_num("seed", 0);
    if (seed == 0)
        seed = arch_counter() | 1;
    rng_seed(seed);
    printf("# hostile: d%u, control port %u, storm port %u, seed 0x%lx\n", xt.self, hctl, hstorm,
           (unsigned long)seed);

    /* A static channel's domU end may hold a stray event from boot: forget it, then say
     * hello and wait for d0's go (it times its baseline first). */
    ev_clear(hctl);
    ev_clear(hstorm);
    ev_send(hctl);
    if (!wait_port(hctl, GO_MS)) {
        tap_ok(false, "hostile: d0 started the phases");
        return;
    }
    /* The storms' ports first: the exhaustion phase leaves none. */
    storm_ipi_rc = ev_bind_ipi(0, &storm_ipi);
    storm_loop_rc = bind_loopback(&storm_loop);
    if (enter(PH_REGS))
        phase_regs();
    if (enter(PH_EXHAUST))
        phase_exhaust();
    enter(PH_SETUP); /* d0 and d1 set up while we hold everything */
    if (enter(PH_IRQ_STORM))
        phase_irq_storm();
    if (enter(PH_EV_STORM))
        phase_ev_storm();
    if (enter(PH_CONSOLE))
        phase_console();
    enter(PH_REBOOT); /* d0 drives the rebooter domain, then answers */
    if (enter(PH_HCALL))
        hostile_hypercalls(hctl, hstorm, (unsigned long)bootarg_num("calls", 100000),
                           (unsigned long)bootarg_num("trace", ~0ul));
    if (enter(PH_SYSREG))
        phase_sysreg();
    if (enter(PH_MMIO))
        phase_mmio();
    enter(PH_DONE);
}
