/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scheduler on a fake machine (tests/host/arch_host.c): a clock that moves only when a
 * test moves it, per-CPU one-shot timers that record their deadline, counted kicks, and
 * threads that play CPUs. Round-robin slices, block/wake without lost wake-ups, poll with
 * ports and timeouts, guest timers and VIRQ_TIMER, online/offline, pause, shutdown, and
 * the runstate area.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/sched.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include "test_util.h"

#define MS 1000000ull

static struct domain *dom0, *da, *db;

static int setup(void **state)
{
    (void)state;
    dom0 = harness_domain(0, 1, true, &guest_layout_arm);
    da = harness_domain(1, 2, false, &guest_layout_arm);
    db = harness_domain(2, 2, false, &guest_layout_x86_64);
    if (dom0 == NULL || da == NULL || db == NULL || harness_sched_init(2) != 0)
        return -1;
    free(harness_take_console());
    return 0;
}

/* What the guest does when it takes its upcall: clear the flag. */
static void take_upcall(struct vcpu *v)
{
    __atomic_store_n((uint8_t *)v->vcpu_info, 0, __ATOMIC_RELEASE);
}

static void test_add_and_pick(void **state)
{
    struct vcpu *a = da->vcpu[0], *b = da->vcpu[1];

    (void)state;
    assert_int_equal(sched_add_vcpu(a, 2, true), -EINVAL);
    assert_int_equal(sched_add_vcpu(a, 0, true), 0);
    assert_int_equal(sched_add_vcpu(a, 0, true), -EEXIST);
    assert_int_equal(sched_add_vcpu(b, 0, false), 0);
    assert_null(sched_current());
    assert_ptr_equal(sched_pick(0, NULL), a);
    assert_ptr_equal(sched_current(), a);
    assert_null(sched_pick(1, NULL)); /* nothing pinned there */
    assert_null(sched_pick(7, NULL)); /* no such CPU */
    /* Alone: no slice, no timer. */
    assert_int_equal(harness_cpu_timer(0), 0);
    assert_true(vcpu_is_online(a));
    assert_false(vcpu_is_online(b));
    assert_string_equal(sched_vcpu_state_name(b), "down");

    /* Bringing b up (PSCI CPU_ON) from CPU 1 kicks CPU 0; the slice starts. */
    harness_set_cpu(1);
    vcpu_set_online(b, true);
    harness_set_cpu(0);
    assert_int_equal(harness_cpu_kicks(0), 1);
    assert_ptr_equal(sched_pick(0, a), a);
    assert_int_equal(harness_cpu_timer(0), arch_now_ns() + SCHED_SLICE_NS);
}

static void test_round_robin(void **state)
{
    struct vcpu *a = da->vcpu[0], *b = da->vcpu[1], *c = db->vcpu[0];
    uint64_t t0 = arch_now_ns();

    (void)state;
    assert_int_equal(sched_add_vcpu(a, 0, true), 0);
    assert_int_equal(sched_add_vcpu(b, 0, true), 0);
    assert_int_equal(sched_add_vcpu(c, 0, true), 0);
    assert_ptr_equal(sched_pick(0, NULL), a);
    assert_int_equal(harness_cpu_timer(0), t0 + SCHED_SLICE_NS);
    harness_advance(SCHED_SLICE_NS - 1);
    assert_ptr_equal(sched_pick(0, a), a); /* an exit before the slice ends: keep it */
    harness_advance(1);
    sched_timer_interrupt();
    assert_ptr_equal(sched_pick(0, a), b);
    assert_int_equal(harness_cpu_timer(0), t0 + 2 * SCHED_SLICE_NS);
    harness_advance(SCHED_SLICE_NS);
    assert_ptr_equal(sched_pick(0, b), c);
    harness_advance(SCHED_SLICE_NS);
    assert_ptr_equal(sched_pick(0, c), a);

    /* Yield: behind everyone waiting. */
    vcpu_yield(a);
    assert_ptr_equal(sched_pick(0, a), b);
    vcpu_yield(b);
    assert_ptr_equal(sched_pick(0, b), c);
}

static void test_block_and_wake(void **state)
{
    struct vcpu *a = da->vcpu[0], *b = da->vcpu[1];
    evtchn_port_t port;

    (void)state;
    assert_int_equal(sched_add_vcpu(a, 0, true), 0);
    assert_int_equal(sched_add_vcpu(b, 1, true), 0);
    assert_ptr_equal(sched_pick(0, NULL), a);
    take_upcall(a);

    /* Nothing pending: blocks; the CPU idles. */
    vcpu_block(a);
    assert_string_equal(sched_vcpu_state_name(a), "blocked");
    assert_null(sched_pick(0, a));
    assert_null(sched_current());

    /* An event from CPU 1 wakes it through the upcall, and kicks CPU 0. */
    assert_int_equal(bind_ipi(da, 0, &port), 0);
    harness_set_cpu(1);
    assert_int_equal(send(da, port), 0);
    harness_set_cpu(0);
    assert_int_equal(harness_cpu_kicks(0), 1);
    assert_string_equal(sched_vcpu_state_name(a), "runnable");
    assert_ptr_equal(sched_pick(0, NULL), a);

    /* An event already there: SCHEDOP_block does not block (no lost wake-up). */
    vcpu_block(a);
    assert_string_equal(sched_vcpu_state_name(a), "running");
    take_upcall(a);
    harness_set_wakeup_event(a, true); /* e.g. the virtual timer's interrupt */
    vcpu_block(a);
    assert_string_equal(sched_vcpu_state_name(a), "running");
    harness_set_wakeup_event(a, false);

    /* A queued vCPU was kicked when it was queued (adding it kicked once): no more IPIs. */
    assert_int_equal(harness_cpu_kicks(1), 1);
    vcpu_wake(b);
    vcpu_wake(b);
    assert_int_equal(harness_cpu_kicks(1), 1);
    assert_string_equal(sched_vcpu_state_name(b), "runnable");
    /* A running one is kicked: only an exit makes it see a new interrupt. */
    harness_set_cpu(1);
    assert_ptr_equal(sched_pick(1, NULL), b);
    harness_set_cpu(0);
    vcpu_wake(b);
    assert_int_equal(harness_cpu_kicks(1), 2);
    vcpu_wake(a); /* own CPU: no kick */
    assert_int_equal(harness_cpu_kicks(0), 1);
}

/*
 * A blocked vCPU that wakes kicks its CPU only when that CPU must act: it idles, or its
 * vCPU runs alone with no slice armed. A CPU that has a slice armed switches when it ends.
 */
static void test_wake_kicks_only_when_needed(void **state)
{
    struct vcpu *a = da->vcpu[0], *b = da->vcpu[1], *c = db->vcpu[0];
    unsigned long kicks;

    (void)state;
    assert_int_equal(sched_add_vcpu(a, 1, true), 0);
    assert_int_equal(sched_add_vcpu(b, 1, true), 0);
    assert_int_equal(sched_add_vcpu(c, 1, true), 0);
    harness_set_cpu(1);
    assert_ptr_equal(sched_pick(1, NULL), a);
    vcpu_block(a);
    assert_ptr_equal(sched_pick(1, a), b); /* c waits: b's slice is armed */
    harness_set_cpu(0);

    /* Blocked -> runnable: its CPU is kicked, even with a slice armed there. */
    kicks = harness_cpu_kicks(1);
    vcpu_wake(a);
    assert_string_equal(sched_vcpu_state_name(a), "runnable");
    assert_int_equal(harness_cpu_kicks(1), kicks + 1);
    /* Already queued (a again, and c): no kick, no IPI per event. */
    vcpu_wake(a);
    vcpu_wake(c);
    assert_int_equal(harness_cpu_kicks(1), kicks + 1);
}

/*
 * After a call that can only wake vCPUs (HYPERCALL_WAKES_ONLY_MASK), the ARM exit asks
 * sched_kept_after_wakes() instead of sched_keeps(): every wake on this CPU that makes
 * sched_keeps() false must make it false too, and a wake for another CPU kicks that CPU
 * instead.
 */
static void test_kept_after_wakes_follows_local_wakes(void **state)
{
    struct vcpu *a = da->vcpu[0], *b = da->vcpu[1], *c = db->vcpu[0];
    evtchn_port_t port;
    unsigned long kicks;

    (void)state;
    assert_int_equal(sched_add_vcpu(a, 0, true), 0);
    assert_int_equal(sched_add_vcpu(b, 0, true), 0);
    assert_int_equal(sched_add_vcpu(c, 1, true), 0);
    harness_set_cpu(1);
    assert_ptr_equal(sched_pick(1, NULL), c);
    take_upcall(c);
    vcpu_block(c);
    assert_null(sched_pick(1, c));
    harness_set_cpu(0);
    assert_ptr_equal(sched_pick(0, NULL), a);
    harness_advance(SCHED_SLICE_NS);
    assert_ptr_equal(sched_pick(0, a), b);
    take_upcall(b);
    vcpu_block(b);
    assert_ptr_equal(sched_pick(0, b), a); /* a alone on CPU 0, b blocked there */
    assert_true(sched_keeps(0, a));
    assert_true(sched_kept_after_wakes(0));

    /* An event to a itself (running): nothing for the scheduler. */
    assert_int_equal(bind_ipi(da, 0, &port), 0);
    assert_int_equal(send(da, port), 0);
    assert_true(sched_keeps(0, a));
    assert_true(sched_kept_after_wakes(0));

    /* A blocked vCPU of another CPU: that CPU is kicked, this one keeps going. */
    kicks = harness_cpu_kicks(1);
    vcpu_wake(c);
    assert_int_equal(harness_cpu_kicks(1), kicks + 1);
    assert_true(sched_kept_after_wakes(0));
    assert_true(sched_keeps(0, a));

    /* A blocked vCPU of this CPU: both say "ask the scheduler". */
    vcpu_wake(b);
    assert_false(sched_keeps(0, a));
    assert_false(sched_kept_after_wakes(0));
    assert_ptr_equal(sched_pick(0, a), a); /* b waits for the slice a now gets */
    assert_true(sched_keeps(0, a));
    assert_true(sched_kept_after_wakes(0));
}

static void test_guest_timer(void **state)
{
    struct vcpu *a = da->vcpu[0];
    uint64_t t0 = arch_now_ns();
    evtchn_port_t port;

    (void)state;
    assert_int_equal(sched_add_vcpu(a, 0, true), 0);
    assert_ptr_equal(sched_pick(0, NULL), a);
    assert_int_equal(bind_virq(da, VIRQ_TIMER, 0, &port), 0);
    take_upcall(a);

    vcpu_set_guest_timer(a, t0 + 3 * MS);
    assert_int_equal(harness_cpu_timer(0), t0 + 3 * MS);
    vcpu_block(a);
    assert_null(sched_pick(0, a));

    /* Early interrupt: nothing yet. */
    harness_advance(1 * MS);
    sched_timer_interrupt();
    assert_string_equal(sched_vcpu_state_name(a), "blocked");
    harness_advance(2 * MS);
    sched_timer_interrupt();
    assert_string_equal(sched_vcpu_state_name(a), "runnable");
    assert_int_equal(a->guest_timer_ns, 0);
    assert_int_equal(harness_cpu_timer(0), 0);
    assert_ptr_equal(sched_pick(0, NULL), a);
    {
        struct evtchn *chn = evtchn_from_port(da, port);

        assert_true(da->evtchn_ops->is_pending(da, chn));
    }

    /* Cancelled timers never fire; a timer of a vCPU on another CPU kicks it. */
    vcpu_set_guest_timer(a, arch_now_ns() + MS);
    vcpu_set_guest_timer(a, 0);
    assert_int_equal(harness_cpu_timer(0), 0);
    harness_set_cpu(1);
    vcpu_set_guest_timer(a, arch_now_ns() + MS);
    harness_set_cpu(0);
    assert_int_equal(harness_cpu_kicks(0), 1);
    assert_ptr_equal(sched_pick(0, a), a); /* CPU 0 reprograms on its way back */
    assert_int_equal(harness_cpu_timer(0), arch_now_ns() + MS);
}

static void test_poll(void **state)
{
    struct vcpu *a = da->vcpu[0];
    evtchn_port_t p1, p2, ports[2];

    (void)state;
    assert_int_equal(sched_add_vcpu(a, 0, true), 0);
    assert_ptr_equal(sched_pick(0, NULL), a);
    assert_int_equal(bind_ipi(da, 0, &p1), 0);
    assert_int_equal(bind_ipi(da, 0, &p2), 0);
    take_upcall(a);

    /* A masked port wakes its poller all the same (PV spinlocks poll masked ports). */
    guest_mask(da, p1);
    ports[0] = p1;
    assert_int_equal(vcpu_poll(a, ports, 1, 0), 0);
    assert_string_equal(sched_vcpu_state_name(a), "polling");
    assert_int_equal(da->polling_vcpus, 1);
    assert_null(sched_pick(0, a));
    harness_set_cpu(1);
    assert_int_equal(send(da, p1), 0);
    harness_set_cpu(0);
    assert_int_equal(harness_poll_wakes(a), 1);
    assert_string_equal(sched_vcpu_state_name(a), "runnable");
    assert_int_equal(da->polling_vcpus, 0);
    assert_ptr_equal(sched_pick(0, NULL), a);

    /* Already pending: no block. */
    assert_int_equal(vcpu_poll(a, ports, 1, 0), 0);
    assert_string_equal(sched_vcpu_state_name(a), "running");
    assert_int_equal(da->polling_vcpus, 0);
    assert_int_equal(close_port(da, p1), 0); /* a fresh, idle port in its place */
    assert_int_equal(bind_ipi(da, 0, &p1), 0);
    ports[0] = p1;

    /* Timeout: wakes at the deadline, and only then. */
    ports[1] = p2;
    assert_int_equal(vcpu_poll(a, ports, 2, arch_now_ns() + 2 * MS), 0);
    assert_int_equal(a->poll_evtchn, POLL_MANY_PORTS);
    assert_int_equal(harness_cpu_timer(0), arch_now_ns() + 2 * MS);
    assert_null(sched_pick(0, a));
    harness_advance(2 * MS);
    sched_timer_interrupt();
    assert_true(a->poll_timed_out);
    assert_string_equal(sched_vcpu_state_name(a), "runnable");
    assert_int_equal(da->polling_vcpus, 0);
    assert_int_equal(a->poll_evtchn, 0);
    assert_ptr_equal(sched_pick(0, NULL), a);

    /* Port 0 polls for any port; nr_ports 0 for the upcall only. */
    ports[0] = 0;
    assert_int_equal(vcpu_poll(a, ports, 1, 0), 0);
    assert_int_equal(a->poll_evtchn, POLL_MANY_PORTS);
    assert_int_equal(send(da, p2), 0); /* unmasked: upcall and poller both wake it */
    assert_string_equal(sched_vcpu_state_name(a), "runnable");
    assert_int_equal(da->polling_vcpus, 0);
    assert_ptr_equal(sched_pick(0, NULL), a);
    assert_int_equal(vcpu_poll(a, ports, 129, 0), -EINVAL);
    /* The upcall is still pending (not taken): poll returns at once. */
    assert_int_equal(vcpu_poll(a, NULL, 0, 0), 0);
    assert_string_equal(sched_vcpu_state_name(a), "running");
}

static void test_pause_and_shutdown(void **state)
{
    struct vcpu *a = da->vcpu[0], *b = db->vcpu[0], *b1 = db->vcpu[1];
    unsigned int reason;
    evtchn_port_t exc;
    char *out;

    (void)state;
    assert_int_equal(sched_add_vcpu(a, 0, true), 0);
    assert_int_equal(sched_add_vcpu(b, 0, true), 0);
    assert_int_equal(sched_add_vcpu(b1, 1, true), 0);
    assert_ptr_equal(sched_pick(0, NULL), a);

    domain_pause(da);
    domain_pause(da); /* nests */
    assert_ptr_equal(sched_pick(0, a), b);
    harness_advance(SCHED_SLICE_NS);
    assert_ptr_equal(sched_pick(0, b), b); /* a still paused: b keeps the CPU */
    domain_unpause(da);
    assert_ptr_equal(sched_pick(0, b), b);
    domain_unpause(da);
    domain_unpause(da); /* more unpauses than pauses: harmless */
    assert_int_equal(da->pause_count, 0);
    assert_ptr_equal(sched_pick(0, b), b); /* a is waiting: b gets a slice first */
    harness_advance(SCHED_SLICE_NS);
    assert_ptr_equal(sched_pick(0, b), a);

    /* db shuts down from CPU 0 while b1 runs on CPU 1: CPU 1 is kicked, both stop. */
    assert_ptr_equal(sched_pick(1, NULL), b1);
    assert_int_equal(bind_virq(dom0, VIRQ_DOM_EXC, 0, &exc), 0);
    db->shutdown_code_set = false;
    domain_shutdown(db, SHUTDOWN_crash);
    domain_shutdown(db, SHUTDOWN_poweroff); /* idempotent */
    assert_int_equal(harness_shutdowns(db, &reason), 1);
    assert_int_equal(reason, SHUTDOWN_crash);
    assert_true(dom0->evtchn_ops->is_pending(dom0, evtchn_from_port(dom0, exc)));
    assert_int_equal(harness_cpu_kicks(1), 2); /* once when b1 came up, once now */
    assert_false(sched_domain_quiescent(db));  /* CPU 1 still has b1 loaded */
    assert_null(sched_pick(1, b1));
    assert_true(sched_domain_quiescent(db));
    assert_false(sched_domain_quiescent(da));
    assert_ptr_equal(sched_pick(0, a), a);
    vcpu_set_online(b, true); /* a dead domain's vCPUs stay down */
    assert_false(vcpu_is_online(b));
    out = console_without_heap_lines();
    assert_string_equal(out, "minixen: domain 2 shut down: crash\n");
    free(out);

    domain_shutdown(da, 77);
    out = console_without_heap_lines();
    assert_string_equal(out, "minixen: domain 1 shut down: reason 77\n"
                             "minixen: all domains have shut down\n");
    free(out);
    assert_null(sched_pick(0, a));
}

static void test_runstate(void **state)
{
    struct vcpu *a = db->vcpu[0], *b = db->vcpu[1];
    gpaddr_t gpa;
    struct vcpu_runstate_info_64 *rs = harness_guest_buf(db, &gpa);
    uint64_t t0 = arch_now_ns();

    (void)state;
    assert_int_equal(sched_add_vcpu(a, 0, true), 0);
    assert_int_equal(sched_add_vcpu(b, 0, true), 0);
    a->runstate_area = gpa;
    assert_ptr_equal(sched_pick(0, NULL), a);
    sched_switched(a);
    assert_int_equal(rs->state, RUNSTATE_running);
    assert_int_equal(rs->time[RUNSTATE_runnable], 0);

    harness_advance(SCHED_SLICE_NS);
    assert_ptr_equal(sched_pick(0, a), b);
    sched_switched(b); /* b has no area: nothing written */
    harness_advance(3 * MS);
    vcpu_block(b);
    assert_ptr_equal(sched_pick(0, b), a);
    sched_switched(a);
    assert_int_equal(rs->state, RUNSTATE_running);
    assert_int_equal(rs->state_entry_time, t0 + SCHED_SLICE_NS + 3 * MS);
    assert_int_equal(rs->time[RUNSTATE_running], SCHED_SLICE_NS);
    assert_int_equal(rs->time[RUNSTATE_runnable], 3 * MS);
    assert_int_equal(b->runstate_time[RUNSTATE_running], 3 * MS);
    assert_int_equal(b->runstate_time[RUNSTATE_runnable], SCHED_SLICE_NS);

    /* Taking a vCPU down drops its timer. */
    vcpu_set_guest_timer(a, arch_now_ns() + MS);
    vcpu_set_online(a, false);
    assert_int_equal(a->guest_timer_ns, 0);
    assert_false(a->on_timer_list);
    assert_null(sched_pick(0, a));
    assert_int_equal(harness_cpu_timer(0), 0);
}

/*
 * The lost wake-up race, for real: CPU 0 (this thread) blocks its vCPU again and again
 * while CPU 1 (another thread) makes an interrupt pending and wakes it. A wake-up lost
 * between the check and the block would leave the vCPU blocked with its event pending:
 * the loop would spin until its bound and fail.
 */
#define RACE_ROUNDS 20000

struct race {
    struct vcpu *v;
    unsigned int round; /* the round CPU 0 is ready for */
};

static void *waker(void *arg)
{
    struct race *r = arg;

    harness_set_cpu(1);
    for (unsigned int i = 1; i <= RACE_ROUNDS; i++) {
        while (__atomic_load_n(&r->round, __ATOMIC_ACQUIRE) < i)
            arch_cpu_relax();
        harness_set_wakeup_event(r->v, true);
        vcpu_wake(r->v);
    }
    return NULL;
}

static void test_no_lost_wakeup(void **state)
{
    struct race r = {.v = da->vcpu[0]};
    pthread_t t;
    unsigned long spins = 0;

    (void)state;
    assert_int_equal(sched_add_vcpu(r.v, 0, true), 0);
    assert_ptr_equal(sched_pick(0, NULL), r.v);
    take_upcall(r.v);
    assert_int_equal(pthread_create(&t, NULL, waker, &r), 0);
    for (unsigned int i = 1; i <= RACE_ROUNDS; i++) {
        harness_set_wakeup_event(r.v, false); /* the guest handled the last one */
        __atomic_store_n(&r.round, i, __ATOMIC_RELEASE);
        vcpu_block(r.v);
        while (sched_pick(0, sched_current()) != r.v && spins < (1ul << 30)) {
            spins++;
            arch_cpu_relax();
        }
        assert_ptr_equal(sched_current(), r.v);
        /* Round i's event arrived (it may have come before the block). */
        while (!arch_vcpu_has_wakeup_event(r.v))
            arch_cpu_relax();
    }
    pthread_join(t, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, harness_teardown)
        T(test_add_and_pick),       T(test_round_robin),
        T(test_block_and_wake),     T(test_wake_kicks_only_when_needed),
        T(test_guest_timer),        T(test_poll),
        T(test_pause_and_shutdown), T(test_runstate),
        T(test_no_lost_wakeup),     T(test_kept_after_wakes_follows_local_wakes),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
