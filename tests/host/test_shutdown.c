/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The machine follows dom0 (xen/common/shutdown.c), as on Xen: dom0's poweroff powers the
 * machine off, its reboot resets it, a crash (or another reason) resets it after 5 s of
 * hypervisor time unless `noreboot` is set, in which case it halts; each time with Xen's
 * console line and every domain paused first. A domU's shutdown only ends that domain.
 * The harness's machine hooks unwind back to harness_catch_machine_stop() and say which
 * one was called.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <cmocka.h>

#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/shutdown.h>
#include <public/sched.h>
#include "test_util.h"

#define MS 1000000ull

static struct domain *dom0, *d1, *d2, *d3;

static int setup(void **state)
{
    (void)state;
    dom0 = harness_domain(0, 1, true, &guest_layout_arm);
    d1 = harness_domain(1, 1, false, &guest_layout_arm);
    d2 = harness_domain(2, 1, false, &guest_layout_arm);
    d3 = harness_domain(3, 1, false, &guest_layout_x86_64);
    if (dom0 == NULL || d1 == NULL || d2 == NULL || d3 == NULL || harness_sched_init(2) != 0)
        return -1;
    /* dom0 runs on CPU 0, the domUs on CPU 1: each domain is alive. */
    if (sched_add_vcpu(dom0->vcpu[0], 0, true) != 0 || sched_add_vcpu(d1->vcpu[0], 1, true) != 0 ||
        sched_add_vcpu(d2->vcpu[0], 1, true) != 0 || sched_add_vcpu(d3->vcpu[0], 1, true) != 0)
        return -1;
    if (sched_pick(0, NULL) != dom0->vcpu[0] || sched_pick(1, NULL) != d1->vcpu[0])
        return -1;
    shutdown_parse_cmdline("noreboot=0");
    free(harness_take_console());
    return 0;
}

static int teardown(void **state)
{
    shutdown_parse_cmdline("noreboot=0");
    return harness_teardown(state);
}

struct shutdown_call {
    struct domain *d;
    unsigned int reason;
};

static void call_domain_shutdown(void *arg)
{
    struct shutdown_call *c = arg;

    domain_shutdown(c->d, c->reason);
}

static enum harness_machine_stop shut(struct domain *d, unsigned int reason)
{
    struct shutdown_call c = {d, reason};

    return harness_catch_machine_stop(call_domain_shutdown, &c);
}

static void expect_console(const char *want)
{
    char *out = console_without_heap_lines();

    assert_non_null(out);
    assert_string_equal(out, want);
    free(out);
}

/* No guest runs once the machine goes down: each domain paused, CPU 1 gives up d1. */
static void assert_guests_stopped(void)
{
    for (unsigned int id = 0; id < 4; id++)
        assert_int_equal(domain_lookup((domid_t)id)->pause_count, 1);
    assert_null(sched_pick(1, d1->vcpu[0]));
}

/* dom0 asks, as a guest does: SCHEDOP_shutdown(poweroff) from its vCPU. */
static void dom0_schedop_poweroff(void *arg)
{
    gpaddr_t gpa;
    struct sched_shutdown *sd = harness_guest_buf(dom0, &gpa);

    (void)arg;
    sd->reason = SHUTDOWN_poweroff;
    harness_hypercall(dom0->vcpu[0], __HYPERVISOR_sched_op, SCHEDOP_shutdown, gpa, 0, 0, 0);
}

static void test_dom0_poweroff(void **state)
{
    unsigned long kicks = harness_cpu_kicks(1);

    (void)state;
    assert_int_equal(harness_catch_machine_stop(dom0_schedop_poweroff, NULL),
                     HARNESS_MACHINE_POWERED_OFF);
    expect_console("minixen: domain 0 shut down: poweroff\n"
                   "minixen: Hardware Dom0 halted: halting machine\n");
    assert_guests_stopped();
    assert_true(harness_cpu_kicks(1) > kicks); /* CPU 1 was told to look */
    /* Nothing was rebuilt: the machine is what went. */
    assert_int_equal(harness_rebuilds(dom0), 0);
}

/* The last domain to end is dom0: the console says so before the machine goes. */
static void test_dom0_poweroff_last(void **state)
{
    (void)state;
    assert_int_equal(shut(d1, SHUTDOWN_poweroff), HARNESS_MACHINE_RUNS);
    assert_int_equal(shut(d2, SHUTDOWN_crash), HARNESS_MACHINE_RUNS);
    assert_int_equal(shut(d3, SHUTDOWN_poweroff), HARNESS_MACHINE_RUNS);
    free(harness_take_console());
    assert_int_equal(shut(dom0, SHUTDOWN_poweroff), HARNESS_MACHINE_POWERED_OFF);
    expect_console("minixen: domain 0 shut down: poweroff\n"
                   "minixen: all domains have shut down\n"
                   "minixen: Hardware Dom0 halted: halting machine\n");
}

/* PSCI SYSTEM_RESET / SCHEDOP_shutdown(reboot) from dom0: the machine resets at once. */
static void test_dom0_reboot(void **state)
{
    (void)state;
    assert_int_equal(shut(dom0, SHUTDOWN_reboot), HARNESS_MACHINE_RESTARTED);
    expect_console("minixen: domain 0 shut down: reboot\n"
                   "minixen: Hardware Dom0 shutdown: rebooting machine\n");
    assert_guests_stopped();
    assert_int_equal(harness_rebuilds(dom0), 0); /* the machine resets, not the domain */
}

/* A shutdown_code recorded earlier is the reason, for dom0 too (as Xen). */
static void test_dom0_shutdown_code(void **state)
{
    (void)state;
    domain_set_shutdown_code(dom0, SHUTDOWN_reboot);
    assert_int_equal(shut(dom0, SHUTDOWN_poweroff), HARNESS_MACHINE_RESTARTED);
    expect_console("minixen: domain 0 shut down: reboot\n"
                   "minixen: Hardware Dom0 shutdown: rebooting machine\n");
}

struct delayed {
    unsigned int reason;
    enum harness_machine_stop how;
    bool done;
};

static void *delayed_thread(void *arg)
{
    struct delayed *r = arg;

    harness_set_cpu(0);
    r->how = shut(dom0, r->reason);
    __atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
    return NULL;
}

/*
 * dom0 ends for `reason` on another thread; the clock is moved on 50 ms at a time until
 * the machine restarts. Returns the hypervisor time that took (at least the delay, plus
 * however many steps passed before the thread started waiting).
 */
static uint64_t restart_delay(unsigned int reason)
{
    struct delayed r = {.reason = reason};
    uint64_t advanced = 0;
    pthread_t t;

    assert_int_equal(pthread_create(&t, NULL, delayed_thread, &r), 0);
    for (unsigned int step = 0; step < 2000 && !__atomic_load_n(&r.done, __ATOMIC_ACQUIRE);
         step++) {
        usleep(1000);
        harness_advance(50 * MS);
        advanced += 50 * MS;
    }
    if (!__atomic_load_n(&r.done, __ATOMIC_ACQUIRE))
        fail_msg("no restart after %llu ms of hypervisor time",
                 (unsigned long long)(advanced / MS));
    pthread_join(t, NULL);
    assert_int_equal(r.how, HARNESS_MACHINE_RESTARTED);
    return advanced;
}

static void test_dom0_crash(void **state)
{
    (void)state;
    assert_true(restart_delay(SHUTDOWN_crash) >= HWDOM_REBOOT_DELAY_MS * MS);
    expect_console("minixen: domain 0 shut down: crash\n"
                   "minixen: Hardware Dom0 crashed: rebooting machine in 5 seconds.\n");
    assert_guests_stopped();
}

/* Any other reason is treated as a crash, naming the reason. */
static void test_dom0_other_reasons(void **state)
{
    (void)state;
    shutdown_parse_cmdline("noreboot noreboot=off"); /* the last one wins */
    assert_true(restart_delay(SHUTDOWN_watchdog) >= HWDOM_REBOOT_DELAY_MS * MS);
    expect_console("minixen: domain 0 shut down: watchdog\n"
                   "minixen: Hardware Dom0 shutdown (watchdog): rebooting machine in 5 "
                   "seconds.\n");
}

static void test_dom0_noreboot(void **state)
{
    (void)state;
    shutdown_parse_cmdline("console=dtuart noreboot");
    shutdown_parse_cmdline("dom0_mem=64M"); /* a line without the option keeps it */
    assert_int_equal(shut(dom0, SHUTDOWN_crash), HARNESS_MACHINE_HALTED);
    expect_console("minixen: domain 0 shut down: crash\n"
                   "minixen: Hardware Dom0 crashed: 'noreboot' set - not rebooting.\n");
    assert_guests_stopped();
}

static void test_dom0_noreboot_other_reason(void **state)
{
    (void)state;
    shutdown_parse_cmdline("noreboot=1");
    assert_int_equal(shut(dom0, 77), HARNESS_MACHINE_HALTED);
    expect_console("minixen: domain 0 shut down: reason 77\n"
                   "minixen: Hardware Dom0 shutdown (reason 77): 'noreboot' set - not "
                   "rebooting.\n");
}

/* noreboot is about crashes: a reboot dom0 asks for still happens. */
static void test_noreboot_keeps_reboot(void **state)
{
    (void)state;
    shutdown_parse_cmdline("noreboot=yes");
    assert_int_equal(shut(dom0, SHUTDOWN_reboot), HARNESS_MACHINE_RESTARTED);
}

/*
 * A dom0less domU's shutdown only ends that domain, whatever the reason; the restart
 * policy is common: only a reboot brings it back (the port rebuilds it).
 */
static void test_domu_ends_alone(void **state)
{
    unsigned int reason;
    char *out;

    (void)state;
    assert_int_equal(shut(d1, SHUTDOWN_poweroff), HARNESS_MACHINE_RUNS);
    assert_int_equal(shut(d2, SHUTDOWN_reboot), HARNESS_MACHINE_RUNS);
    assert_int_equal(shut(d3, SHUTDOWN_crash), HARNESS_MACHINE_RUNS);
    out = console_without_heap_lines();
    assert_non_null(out);
    assert_non_null(strstr(out, "minixen: domain 1 shut down: poweroff\n"
                                "minixen: domain 2 shut down: reboot\n"
                                "minixen: domain 2 restarted (1), heap "));
    assert_non_null(strstr(out, " bytes\nminixen: domain 3 shut down: crash\n"));
    free(out);
    assert_int_equal(harness_shutdowns(d1, &reason), 1);
    assert_int_equal(reason, SHUTDOWN_poweroff);
    assert_int_equal(harness_shutdowns(d2, &reason), 1);
    assert_int_equal(reason, 0); /* its new life has no shutdown reason yet */
    assert_int_equal(harness_shutdowns(d3, &reason), 1);
    assert_int_equal(reason, SHUTDOWN_crash);
    assert_int_equal(harness_rebuilds(d1), 0);
    assert_int_equal(harness_rebuilds(d2), 1);
    assert_int_equal(harness_rebuilds(d3), 0);
    assert_false(d2->is_shut_down); /* back, from its vCPU 0 */
    assert_int_equal(d2->restarts, 1);
    /* dom0 runs on, unpaused. */
    assert_int_equal(dom0->pause_count, 0);
    assert_false(dom0->is_shut_down);
    assert_ptr_equal(sched_pick(0, dom0->vcpu[0]), dom0->vcpu[0]);
}

static void call_machine_halt(void *arg)
{
    (void)arg;
    machine_halt();
}

static void test_machine_halt(void **state)
{
    (void)state;
    assert_int_equal(harness_catch_machine_stop(call_machine_halt, NULL), HARNESS_MACHINE_HALTED);
    assert_guests_stopped();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_dom0_poweroff),
        T(test_dom0_poweroff_last),
        T(test_dom0_reboot),
        T(test_dom0_shutdown_code),
        T(test_dom0_crash),
        T(test_dom0_other_reasons),
        T(test_dom0_noreboot),
        T(test_dom0_noreboot_other_reason),
        T(test_noreboot_keeps_reboot),
        T(test_domu_ends_alone),
        T(test_machine_halt),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
