/* SPDX-License-Identifier: Apache-2.0 */
/*
 * IPIs between the domain's vCPUs (one way, round trips with the real upcall on both
 * ends, from a secondary vCPU), re-targeting a channel with bind_vcpu, and VIRQs bound to
 * another vCPU or globally.
 */
#include "xtest.h"

#define ROUND_TRIPS 100
#define N_TESTS     11 /* results printed by this area, skipped or not */

static evtchn_port_t ping, pong;

/* On vCPU 1: every ping is answered with a pong to vCPU 0. */
static void pong_hook(unsigned int cpu, evtchn_port_t port)
{
    if (cpu == 1 && port == ping)
        ev_send(pong);
}

static void send_pong(void *arg)
{
    (void)arg;
    ev_send(pong);
}

static void ipis(void)
{
    struct evtchn_status st;
    unsigned int i, done = 0;
    long rc;

    ev_reset_counters();
    rc = ev_bind_ipi(1, &ping);
    ev_set_cpu(ping, 1);
    ev_status(DOMID_SELF, ping, &st);
    tap_ok(rc == 0 && st.status == EVTCHNSTAT_ipi && st.vcpu == 1,
           "bind_ipi(vcpu 1) -> port %u, status ipi on vcpu 1", ping);
    ev_send(ping);
    tap_ok(ev_wait_count(ping, 1, WAIT_MS) && ev_cpu_of[ping] == 1,
           "an IPI from vCPU 0 is delivered on vCPU 1");

    ev_bind_ipi(0, &pong);
    ev_set_cpu(pong, 0);
    tap_ok(run_on(1, send_pong, NULL, WAIT_MS) && ev_wait_count(pong, 1, WAIT_MS) &&
               ev_cpu_of[pong] == 0,
           "an IPI from vCPU 1 is delivered on vCPU 0");

    ev_reset_counters();
    ev_hook = pong_hook;
    for (i = 0; i < ROUND_TRIPS; i++) {
        ev_send(ping);
        if (!ev_wait_count(pong, i + 1, WAIT_MS))
            break;
        done++;
    }
    ev_hook = NULL;
    tap_eq(done, ROUND_TRIPS, "%u IPI round trips vCPU 0 -> 1 -> 0 with the upcall on both",
           ROUND_TRIPS);
    ev_close(ping);
    ev_close(pong);
    ev_set_cpu(ping, 0);
}

/*
 * vCPU 1 spins with interrupts on and its timer disarmed, so it never leaves the guest on
 * its own: an event sent to it now reaches it within the spin only if the hypervisor makes
 * its CPU leave the guest (a kick: the list registers or the vLAPIC are loaded on an
 * exit), not by a wake-up from a block. The spin's deadline counts from the send (vCPU 0
 * publishes when), so a slow start of either vCPU on a loaded host does not eat into it.
 * Where the two vCPUs share a host CPU they take turns, and this passes without a kick.
 */
static volatile uint32_t spinning, arrived_spinning, sent;
static volatile uint64_t sent_at; /* valid once sent is set (i386 has no 64-bit atomics) */

static void spin_for_event(void *arg)
{
    evtchn_port_t p = *(const evtchn_port_t *)arg;
    uint64_t limit = ticks_from_ms(WAIT_MS), start = arch_counter();
    bool was_on = arch_irq_enabled();

    arch_timer_disarm();
    arch_irq_enable();
    __atomic_store_n(&spinning, 1, __ATOMIC_RELEASE);
    for (;;) {
        bool was_sent = __atomic_load_n(&sent, __ATOMIC_ACQUIRE) != 0;
        uint64_t now;

        if (__atomic_load_n(&ev_count[p], __ATOMIC_ACQUIRE) != 0)
            break;
        now = arch_counter();
        if (was_sent ? now > sent_at && now - sent_at > limit : now - start > 4 * limit)
            break; /* not delivered in time after the send (or never sent) */
    }
    arrived_spinning = ev_count[p] != 0; /* before anything here may leave the guest */
    if (!was_on)
        arch_irq_disable();
}

static bool is_spinning(void *arg)
{
    (void)arg;
    return __atomic_load_n(&spinning, __ATOMIC_ACQUIRE) != 0;
}

static void kick_running(void)
{
    evtchn_port_t p = 0;
    bool ok;

    ev_bind_ipi(1, &p);
    ev_set_cpu(p, 1);
    ev_reset_counters();
    spinning = arrived_spinning = sent = 0;
    ok = post_on(1, spin_for_event, &p, 0) && ev_wait(is_spinning, NULL, WAIT_MS);
    ev_send(p);
    sent_at = arch_counter();
    __atomic_store_n(&sent, 1, __ATOMIC_RELEASE);
    ok = ok && ev_wait(posted_done_cond, (void *)(uintptr_t)1, 5 * WAIT_MS) && arrived_spinning &&
         ev_count[p] == 1 && ev_cpu_of[p] == 1;
    tap_ok(ok, "an IPI to vCPU 1 while it runs (spinning, never blocked) is delivered there");
    ev_close(p);
    ev_set_cpu(p, 0);
}

static void retarget(void)
{
    evtchn_port_t a = 0, b = 0;

    ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &a);
    ev_bind_interdomain(DOMID_SELF, a, &b);
    ev_take_pending_irqs(); /* bind_interdomain's own event */
    ev_reset_counters();
    expect_rc(ev_bind_vcpu(b, 1), 0, "bind_vcpu of an interdomain port to vcpu 1");
    ev_set_cpu(b, 1);
    ev_send(a);
    tap_ok(ev_wait_count(b, 1, WAIT_MS) && ev_cpu_of[b] == 1,
           "its next event is delivered on vCPU 1");
    ev_bind_vcpu(b, 0);
    ev_set_cpu(b, 0);
    ev_send(a);
    tap_ok(ev_wait_count(b, 2, WAIT_MS) && ev_cpu_of[b] == 0,
           "bound back to vcpu 0, the next event is delivered on vCPU 0");
    ev_close(a);
    ev_close(b);
}

static void virqs(void)
{
    struct evtchn_status st;
    evtchn_port_t p = 0;
    long rc;

    rc = ev_bind_virq(VIRQ_DEBUG, 1, &p);
    ev_status(DOMID_SELF, p, &st);
    tap_ok(rc == 0 && st.status == EVTCHNSTAT_virq && st.vcpu == 1,
           "bind_virq(VIRQ_DEBUG, vcpu 1): a per-vCPU VIRQ on the second vCPU");
    ev_close(p);
    rc = ev_bind_virq(VIRQ_DOM_EXC, 0, &p);
    tap_ok(rc == 0, "bind_virq(VIRQ_DOM_EXC): global VIRQ, ours as the control domain");
    if (rc == 0) {
        expect_rc(ev_bind_vcpu(p, 1), 0, "bind_vcpu of a global VIRQ to vcpu 1");
        ev_close(p);
    } else {
        tap_ok(false, "bind_vcpu of a global VIRQ to vcpu 1 (not bound)");
    }
}

void area_ipi_virq(void)
{
    unsigned int i;

    tap_diag("area: IPIs between vCPUs, re-targeting, VIRQs");
    if (xt.cpus_up < 2) {
        for (i = 0; i < N_TESTS; i++)
            tap_skip("needs two vCPUs", "IPI/VIRQ test %u", i + 1);
        return;
    }
    ipis();
    kick_running();
    retarget();
    virqs();
}
