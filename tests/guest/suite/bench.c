/* SPDX-License-Identifier: Apache-2.0 */
/*
 * role=bench: timings read from the arch counter (CNTVCT on arm64), printed as
 *   BENCH_FREQ <counter Hz>
 *   BENCH <name> <count> <total-ticks>
 * for `make bench` / `make bench-peer`. With QEMU -icount shift=0 a tick is a fixed number
 * of emulated instructions, so one-CPU figures repeat exactly. Every figure uses the real
 * upcall (interrupt, consumer, counters) on the receiving side:
 *   null_hypercall       xen_version(XENVER_version), the cheapest call both hypervisors have
 *   send_masked_<abi>    send on an IPI port of ours that is masked: the send alone
 *   send_poll_<abi>      the same, then its pending bit checked and cleared (a polling guest)
 *   self_event_<abi>     send on an IPI port of our own vCPU, upcall taken
 *   ipi_rtt_<abi>        vCPU 0 -> vCPU 1 -> vCPU 0 (needs two vCPUs)
 *   interdomain_rtt_<abi> us -> peer echo -> us (needs bootargs peer=)
 * Each also prints a TAP result, so the run has a plan and an end marker like the others.
 * Also printed: BENCH boot_to_guest 1 <ticks>, the physical counter at our first instruction
 * (time from the machine's reset, hypervisor boot and domain building included).
 * bootargs rows=<name>[,<name>...] runs only those rows (the others are skipped): with two
 * runs of different iters=, a profile's difference is the cost of exactly one row.
 */
#include "bootargs.h"
#include "xtest.h"

static evtchn_port_t ping, pong;

/* A port whose start-up code does not read a boot-time counter leaves this 0. */
uint64_t arch_boot_counter __attribute__((weak));

/* rows= from /chosen/bootargs: true if `name` is listed there or there is no rows=. */
static bool selected(const char *name)
{
    size_t len, n = strlen(name);
    const char *p = bootarg("rows", &len), *end;

    if (p == NULL)
        return true;
    for (end = p + len; p < end;) {
        const char *item = p;

        while (p < end && *p != ',')
            p++;
        if ((size_t)(p - item) == n && strncmp(item, name, n) == 0)
            return true;
        if (p < end)
            p++;
    }
    return false;
}

static bool skipped(const char *name)
{
    if (selected(name))
        return false;
    tap_skip("not selected (bootargs rows=)", "bench %s", name);
    return true;
}

static void report(const char *name, unsigned int n, uint64_t ticks, bool ok)
{
    if (ok)
        printf("BENCH %s %u %lu\n", name, n, (unsigned long)ticks);
    tap_ok(ok, "bench %s: %u iterations", name, n);
}

static void pong_hook(unsigned int cpu, evtchn_port_t port)
{
    if (cpu == 1 && port == ping)
        ev_send(pong);
}

static void null_hypercall(unsigned int n)
{
    uint64_t t0;
    unsigned int i;

    if (skipped("null_hypercall"))
        return;
    t0 = arch_counter();
    for (i = 0; i < n; i++)
        hc_version(XENVER_version, NULL);
    report("null_hypercall", n, arch_counter() - t0, true);
}

static void self_event(const char *abi, unsigned int n)
{
    char name[48];
    evtchn_port_t p = 0;
    unsigned int i;
    uint64_t t0;

    snprintf(name, sizeof(name), "self_event_%s", abi);
    if (skipped(name))
        return;
    ev_bind_ipi(0, &p);
    ev_unmask_guest(p);
    ev_reset_counters();
    t0 = arch_counter();
    for (i = 0; i < n; i++) {
        ev_send(p);
        ev_take_pending_irqs();
    }
    report(name, n, arch_counter() - t0, ev_count[p] == n);
    ev_close(p);
}

/* send_masked_<abi> (poll false) and send_poll_<abi> (poll true): no upcall is raised. */
static void masked_send(const char *abi, unsigned int n, bool poll)
{
    char name[48];
    evtchn_port_t p = 0;
    unsigned int i, seen = 0;
    uint64_t t0;

    snprintf(name, sizeof(name), "send_%s_%s", poll ? "poll" : "masked", abi);
    if (skipped(name))
        return;
    ev_bind_ipi(0, &p);
    ev_mask(p);
    t0 = arch_counter();
    for (i = 0; i < n; i++) {
        ev_send(p);
        if (poll && ev_pending(p)) {
            ev_clear(p);
            seen++;
        }
    }
    t0 = arch_counter() - t0;
    /* Without polling, the one pending event must still be there, and only one. */
    report(name, n, t0, poll ? seen == n : ev_pending(p));
    ev_close(p);
}

static void ipi_rtt(const char *abi, unsigned int n)
{
    char name[48];
    unsigned int i;
    uint64_t t0;
    bool ok = true;

    snprintf(name, sizeof(name), "ipi_rtt_%s", abi);
    if (skipped(name))
        return;
    if (xt.cpus_up < 2) {
        tap_skip("needs two vCPUs", "bench %s", name);
        return;
    }
    ev_bind_ipi(1, &ping);
    ev_set_cpu(ping, 1);
    ev_bind_ipi(0, &pong);
    ev_unmask_guest(ping);
    ev_unmask_guest(pong);
    ev_reset_counters();
    ev_hook = pong_hook;
    t0 = arch_counter();
    for (i = 0; i < n && ok; i++) {
        ev_send(ping);
        ok = ev_wait_count(pong, i + 1, WAIT_MS);
    }
    ev_hook = NULL;
    report(name, n, arch_counter() - t0, ok);
    ev_close(ping);
    ev_close(pong);
    ev_set_cpu(ping, 0);
}

static void interdomain_rtt(const char *abi, unsigned int n)
{
    char name[48];
    uint64_t t0;
    bool ok;

    snprintf(name, sizeof(name), "interdomain_rtt_%s", abi);
    if (skipped(name))
        return;
    if (!xt.have_peer) {
        tap_skip("no peer domain configured (bootargs peer=)", "bench %s", name);
        return;
    }
    t0 = arch_counter();
    ok = peer_echoes(xt.sport, n);
    report(name, n, arch_counter() - t0, ok);
}

void role_bench(void)
{
    unsigned int n = xt.bench_iters ? xt.bench_iters : 1000;
    uint32_t acks = 0;
    bool peer = false;

    printf("BENCH_FREQ %lu\n", (unsigned long)arch_counter_freq());
    printf("BENCH boot_to_guest 1 %lu\n", (unsigned long)arch_boot_counter);
    if (xt.have_peer)
        peer = tap_ok(peer_ready(), "the peer answers on the echo channel");
    else
        tap_skip("no peer domain configured (bootargs peer=)", "the peer answers");

    null_hypercall(n);
    masked_send("2l", n, false);
    masked_send("2l", n, true);
    self_event("2l", n);
    ipi_rtt("2l", n);
    interdomain_rtt("2l", n);

    if (peer)
        tap_ok(peer_command(&acks), "the peer switches to FIFO");
    else
        tap_skip("no peer domain configured (bootargs peer=)", "the peer switches to FIFO");
    tap_ok(ev_setup_fifo(xt.cpus_up, 1) == 0, "we switch to FIFO");
    if (xt.have_peer) {
        ev_unmask_guest(xt.sport);
        ev_unmask_guest(xt.sctl);
    }
    masked_send("fifo", n, false);
    masked_send("fifo", n, true);
    self_event("fifo", n);
    ipi_rtt("fifo", n);
    interdomain_rtt("fifo", n);
    if (peer) {
        evtchn_port_t exc = 0;

        ev_bind_virq(VIRQ_DOM_EXC, 0, &exc);
        tap_ok(peer_stop(exc), "the peer stopped");
    } else {
        tap_skip("no peer domain configured (bootargs peer=)", "the peer stopped");
    }
}
