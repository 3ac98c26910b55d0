/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interdomain channels with the peer domain (role=peer): the static channels the
 * hypervisor bound before either domain ran (echo and control), echo round trips on
 * both ABIs, a dynamic channel made by the control domain on the peer's behalf, and the
 * peer's shutdown seen through VIRQ_DOM_EXC.
 *
 * Xen binds a static channel like bind_interdomain does, leaving the binding side's port
 * pending, so either domain may find a stray event on its static ports at boot. Neither
 * side trusts what arrived before it was ready: the peer forgets its control events
 * before it starts echoing; we forget ours and ping the echo channel until the peer
 * answers (an echo proves the peer's handler runs), then let stray echoes drain.
 * Commands on the control channel, one at a time, each acknowledged by an event back:
 * 1st = switch to FIFO (3-level with pabi=3l); 2nd = stop (the peer powers off).
 */
#include "xtest.h"

#define N_TESTS   16
#define ECHOES    100
#define PEER_WAIT 15000 /* the peer domain may still be booting */

bool peer_echoes(evtchn_port_t port, unsigned int n)
{
    uint32_t base = ev_count[port];
    unsigned int i;

    for (i = 0; i < n; i++) {
        ev_send(port);
        if (!ev_wait_count(port, base + i + 1, WAIT_MS))
            return false;
    }
    /* Exactly once: one ping after each echo never coalesces, so any extra is a repeat. */
    return __atomic_load_n(&ev_count[port], __ATOMIC_ACQUIRE) == base + n;
}

/* One control command; true when the peer acknowledged it. */
bool peer_command(uint32_t *acks)
{
    ev_send(xt.sctl);
    if (!ev_wait_count(xt.sctl, *acks + 1, WAIT_MS))
        return false;
    (*acks)++;
    return true;
}

static bool count_quiet(evtchn_port_t port, unsigned int ms)
{
    uint32_t c;
    unsigned int rounds;

    for (rounds = 0; rounds < 100; rounds++) {
        c = ev_count[port];
        if (!ev_wait_count(port, c + 1, ms))
            return true;
    }
    return false;
}

/* Command 2: the peer prints its results and powers off; Xen raises VIRQ_DOM_EXC. */
bool peer_stop(evtchn_port_t exc)
{
    uint32_t base = exc < EV_TRACK_PORTS ? ev_count[exc] : 0; /* the port may be reused */

    ev_unmask_guest(exc); /* on FIFO a new port's word may still be MASKED */
    ev_send(xt.sctl);
    return ev_wait_count(exc, base + 1, PEER_WAIT);
}

/* Ping until the peer echoes, then wait for stray echoes to stop. */
bool peer_ready(void)
{
    uint64_t deadline = arch_counter() + ticks_from_ms(PEER_WAIT);

    ev_clear(xt.sport);
    ev_clear(xt.sctl);
    ev_take_pending_irqs();
    ev_reset_counters();
    while (arch_counter() < deadline) {
        ev_send(xt.sport);
        if (ev_wait_count(xt.sport, 1, 50))
            return count_quiet(xt.sport, 100);
    }
    return false;
}

/* Both ends run this: the static channels were bound before the domains booted. */
void check_static_channels(void)
{
    struct evtchn_status st;
    long rc;

    rc = ev_status(DOMID_SELF, xt.sport, &st);
    tap_ok(rc == 0 && st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == xt.peer &&
               st.u.interdomain.port == xt.pport,
           "static echo channel: port %u bound to d%u port %u before boot", xt.sport, xt.peer,
           xt.pport);
    rc = ev_status(DOMID_SELF, xt.sctl, &st);
    tap_ok(rc == 0 && st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == xt.peer &&
               st.u.interdomain.port == xt.pctl,
           "static control channel: port %u bound to d%u port %u", xt.sctl, xt.peer, xt.pctl);
}

static void static_channels(uint32_t *acks)
{
    check_static_channels();
    tap_ok(peer_ready(), "the peer answers on the echo channel");
    *acks = 0;
    tap_ok(peer_echoes(xt.sport, 1), "an event on the static channel is echoed by the peer");
    tap_ok(peer_echoes(xt.sport, ECHOES),
           "%u interdomain round trips, each echo once (2-level on both sides)", ECHOES);
}

static void dynamic_channel(void)
{
    struct evtchn_status st;
    evtchn_port_t remote = 0, local = 0;
    long rc;

    rc = ev_alloc_unbound(xt.peer, xt.self, &remote);
    tap_ok(rc == 0, "alloc_unbound(dom = peer, remote = us): a port in the peer -> %u", remote);
    rc = ev_status(xt.peer, remote, &st);
    tap_ok(rc == 0 && st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == xt.self,
           "status of the peer's new port (as control domain): unbound, for us");
    rc = ev_bind_interdomain(xt.peer, remote, &local);
    tap_ok(rc == 0, "bind_interdomain to it -> local port %u", local);
    ev_take_pending_irqs(); /* bind_interdomain's own event */
    tap_ok(peer_echoes(local, 3), "the peer echoes on the dynamic channel (its port %u)", remote);
    ev_close(local);
    rc = ev_status(xt.peer, remote, &st);
    tap_ok(rc == 0 && st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == xt.self,
           "after we close our end the peer's port is unbound again");
}

static void fifo_and_stop(uint32_t *acks)
{
    evtchn_port_t exc = 0;
    long rc;

    tap_ok(peer_command(acks), "the peer switches to %s on command and acknowledges",
           peer_abi_name());
    tap_ok(peer_echoes(xt.sport, ECHOES), "%u round trips, each echo once, peer on %s", ECHOES,
           peer_abi_name());
    rc = ev_setup_fifo(xt.cpus_up, 1);
    ev_unmask_guest(xt.sport); /* the new array pages start masked, as Linux leaves them */
    ev_unmask_guest(xt.sctl);
    tap_ok(rc == 0, "we switch to FIFO with the static channels bound");
    tap_ok(peer_echoes(xt.sport, ECHOES), "%u round trips, each echo once, we on FIFO, peer on %s",
           ECHOES, peer_abi_name());

    rc = ev_bind_virq(VIRQ_DOM_EXC, 0, &exc);
    tap_ok(rc == 0, "bind VIRQ_DOM_EXC");
    tap_ok(rc == 0 && peer_stop(exc), "the peer's shutdown raises VIRQ_DOM_EXC");
    if (rc == 0)
        ev_close(exc);
}

void area_interdomain(void)
{
    uint32_t acks = 0;
    unsigned int i;

    tap_diag("area: interdomain channels with the peer domain");
    if (!xt.have_peer) {
        for (i = 0; i < N_TESTS; i++)
            tap_skip("no peer domain configured (bootargs peer=)", "interdomain test %u", i + 1);
        return;
    }
    static_channels(&acks);
    dynamic_channel();
    fifo_and_stop(&acks);
}
