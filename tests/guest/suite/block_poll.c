/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SCHEDOP_poll and SCHEDOP_block: immediate return on a pending port, time-out, wake-up
 * by an event sent from another vCPU, argument errors. Every wait is bounded.
 */
#include "xtest.h"

#define N_CROSS        3 /* results that need a second vCPU */
/* Guard of the masked-upcall block: what Xen x86 sleeps until (short: it is run time). */
#define BLOCK_GUARD_MS 500u

static evtchn_port_t target;

static void send_target(void *arg)
{
    (void)arg;
    ev_send(target);
}

static bool poll_until_pending(evtchn_port_t p, unsigned int ms)
{
    uint64_t deadline = arch_counter() + ticks_from_ms(ms);
    unsigned int rounds;

    for (rounds = 0; rounds < 10000 && !ev_pending(p) && arch_counter() < deadline; rounds++)
        sched_poll(&p, 1, 100ull * 1000 * 1000);
    return ev_pending(p);
}

static void polls(void)
{
    static evtchn_port_t many[XEN_SCHED_POLL_MAX_PORTS + 1];
    evtchn_port_t p = 0, bad = 0x7fffffffu;
    uint64_t t0;
    long rc;

    ev_bind_ipi(0, &p);
    ev_mask(p); /* poll sees pending ports whether masked or not; no upcall consumes it */
    ev_send(p);
    t0 = arch_counter();
    rc = sched_poll(&p, 1, 0);
    tap_ok(rc == 0 && ev_pending(p) && arch_counter() - t0 < ticks_from_ms(500),
           "SCHEDOP_poll on an already pending (masked) port returns at once");
    ev_clear(p);
    rc = sched_poll(&p, 1, 20ull * 1000 * 1000);
    tap_ok(rc == 0 && !ev_pending(p),
           "SCHEDOP_poll with a 20 ms time-out returns, nothing pending");
    expect_rc(sched_poll(many, XEN_SCHED_POLL_MAX_PORTS + 1, 1000), -XEN_EINVAL,
              "SCHEDOP_poll with 129 ports");
    expect_rc(sched_poll(&bad, 1, 1000), -XEN_EINVAL, "SCHEDOP_poll on an invalid port");

    if (xt.cpus_up >= 2) {
        target = p;
        post_on(1, send_target, NULL, 30);
        tap_ok(poll_until_pending(p, WAIT_MS), "SCHEDOP_poll is woken by an IPI sent from vCPU 1");
        if (!ev_wait(posted_done_cond, (void *)1, WAIT_MS) || !ev_pending(p))
            posted_diag(1);
    } else {
        tap_skip("needs two vCPUs", "SCHEDOP_poll is woken by an IPI sent from vCPU 1");
    }
    ev_clear(p);
    ev_unmask_guest(p);
    ev_close(p);
}

/*
 * SCHEDOP_block with the upcall pending while the guest masks interrupts. Where Xen's ABI
 * differs by architecture (guest_arch.h's arch_block_unmasks_irqs):
 * - arm64: Xen's block "enables event delivery" by clearing PSTATE.I and returns at once;
 *   minixen returns at once too (and leaves PSTATE.I as it was).
 * - x86 (HVM/PVH): the mask is RFLAGS.IF, which Xen leaves alone and honours (its HVM
 *   "events need delivery" check), so the vCPU sleeps until something else wakes it: the
 *   guard timer at the latest (a wake-up of Xen's own may come first); minixen counts the pending
 * upcall as a wake-up whatever IF (an early return, which a caller of block must tolerate anyway).
 * Either way the event is delivered, once, when the guest opens interrupts.
 */
static void block_masked_pending(evtchn_port_t p)
{
    uint64_t t0, dt;
    bool opened, at_once, at_guard;

    ev_mask(p);
    ev_send(p);
    ev_unmask(p); /* upcall pending, interrupts masked in the vCPU */
    t0 = arch_counter();
    arch_timer_arm(ticks_from_ms(BLOCK_GUARD_MS));
    sched_block();
    dt = arch_counter() - t0;
    opened = arch_irq_enabled();
    ev_take_pending_irqs();
    arch_timer_disarm();
    at_once = dt < ticks_from_ms(BLOCK_GUARD_MS / 2);
    /* Xen x86 sleeps until some wake-up: the guard, or one of its own before it. */
    at_guard = dt < ticks_from_ms(BLOCK_GUARD_MS + WAIT_MS);
    if (arch_block_unmasks_irqs) {
        tap_ok(ev_count[p] == 1 && at_once,
               "SCHEDOP_block with an event pending, interrupts masked: returns at once "
               "(arm64: block enables event delivery), then one upcall");
        tap_diag("SCHEDOP_block returned with PSTATE.I %s",
                 opened ? "clear (Xen on Arm: block unmasks it)" : "still set (as masked)");
    } else {
        tap_ok(ev_count[p] == 1 && (at_once || at_guard),
               "SCHEDOP_block with an event pending, RFLAGS.IF clear: %s, then one upcall",
               at_once    ? "returns at once (minixen: a pending upcall wakes whatever IF)"
               : at_guard ? "sleeps until the next wake-up, by its guard (Xen x86 honours IF)"
                          : "returns at once or by its guard");
        if (opened)
            tap_diag("SCHEDOP_block returned with RFLAGS.IF set (the guest had cleared it)");
    }
    if (!at_once && !at_guard)
        tap_diag("  returned after %lu ms (guard %u ms)", (unsigned long)(dt / ticks_from_ms(1)),
                 BLOCK_GUARD_MS);
}

static void blocks(void)
{
    evtchn_port_t p = 0;
    uint64_t t0;

    ev_reset_counters();
    ev_bind_ipi(0, &p);
    block_masked_pending(p);

    if (xt.cpus_up >= 2) {
        /* The send must come while we are blocked: an event already pending with
         * interrupts masked does not end SCHEDOP_block on Xen x86 (above). 100 ms leaves
         * room for a loaded host to stall this vCPU before the call. */
        target = p;
        post_on(1, send_target, NULL, 100);
        t0 = arch_counter();
        /*
         * Blocks again while the IPI has not come: SCHEDOP_block also ends for any other
         * event (another domain's end raises VIRQ_DOM_EXC here), which is no failure.
         * The guard timer still ends the wait if the IPI never wakes us.
         */
        for (unsigned int round = 0; round < 100 && ev_count[p] < 2; round++) {
            uint64_t spent = arch_counter() - t0;

            if (spent >= ticks_from_ms(WAIT_MS))
                break;
            arch_timer_arm(ticks_from_ms(WAIT_MS) - spent);
            sched_block();
            ev_take_pending_irqs();
            arch_timer_disarm();
        }
        t0 = arch_counter() - t0;
        tap_ok(ev_count[p] == 2 && t0 < ticks_from_ms(WAIT_MS),
               "SCHEDOP_block is woken by an IPI sent from vCPU 1 (before its %u ms guard)",
               WAIT_MS);
        if (ev_count[p] != 2 || t0 >= ticks_from_ms(WAIT_MS)) {
            tap_diag("  %u upcall(s) on the port, woken after %lu ms", ev_count[p],
                     (unsigned long)(t0 / ticks_from_ms(1)));
            posted_diag(1);
        }
        ev_wait(posted_done_cond, (void *)1, WAIT_MS);
        tap_ok(ev_wait_count(p, 2, 10), "... and the upcall delivered it on vCPU 0");
    } else {
        tap_skip("needs two vCPUs", "SCHEDOP_block is woken by an IPI sent from vCPU 1");
        tap_skip("needs two vCPUs", "... and the upcall delivered it on vCPU 0");
    }
    ev_close(p);
    (void)N_CROSS;
}

void area_block_poll(void)
{
    tap_diag("area: SCHEDOP_block and SCHEDOP_poll");
    polls();
    blocks();
}
