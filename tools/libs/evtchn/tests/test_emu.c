/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The emu backend through the public API: processes in different emulated domains
 * exchange events on 2-level and FIFO machines, several domains at once, ports stay with
 * the handle that bound them, Xen's checks on who may bind what, restrict, reset, VIRQs.
 * Every test runs its own machine and checks its broker is gone at the end.
 */
#if defined(MINIXEN_EVTCHN_NO_EMU) || defined(LIBEVTCHN_MINI_CMOCKA)
/* A build without the emulation (the guests' static libraries): nothing to test here. */
#include <stdio.h>

int main(void)
{
    printf("1..0 # SKIP this build has no emu backend\n");
    return 0;
}
#else
#include "test_emu_util.h"

#define PINGS 2000

/* dom0's side: answer every event on h until each of n ports had `pings` of them. */
static void answer(xenevtchn_handle *h, const int *ports, unsigned int n, unsigned int pings)
{
    unsigned int got[8] = {0}, left = n * pings;

    while (left > 0) {
        int port = wait_port(h, 5000);
        unsigned int k;

        assert_true(port > 0);
        for (k = 0; k < n && ports[k] != port; k++)
            ;
        assert_true(k < n);
        got[k]++;
        left--;
        assert_int_equal(xenevtchn_unmask(h, (evtchn_port_t)port), 0);
        assert_int_equal(xenevtchn_notify(h, (evtchn_port_t)port), 0);
    }
    for (unsigned int k = 0; k < n; k++)
        assert_int_equal(got[k], pings);
}

static void pingpong(const char *abi)
{
    struct emu_machine m;
    int fds[2], port;
    struct pinger p = {.domid = 1, .pings = PINGS};
    xenevtchn_handle *h;
    uint32_t lp;
    pid_t pid;
    long t0;

    machine_new(&m, abi);
    h = open_as(0);
    assert_non_null(h);
    port = xenevtchn_bind_unbound_port(h, 1);
    assert_true(port > 0);
    assert_int_equal(pipe(fds), 0);
    p.remote_port = (uint32_t)port;
    p.report = fds[1];
    pid = child(pinger_main, &p);
    assert_int_equal(get_u32(fds[0], &lp), 0);
    t0 = now_us();
    answer(h, &port, 1, PINGS);
    t0 = now_us() - t0;
    assert_int_equal(child_status(pid), 0);
    printf("# %s: %d round trips between two processes, %.1f us each\n", abi, PINGS,
           (double)t0 / PINGS);
    assert_int_equal(xenevtchn_close(h), 0);
    close(fds[0]);
    close(fds[1]);
    machine_end(&m);
}

static void test_pingpong_2level(void **state)
{
    (void)state;
    pingpong("2level");
}

static void test_pingpong_fifo(void **state)
{
    (void)state;
    pingpong("fifo");
}

/* dom0 serves three domUs at once, each in its own process, on one handle. */
static void several(const char *abi)
{
    struct emu_machine m;
    struct pinger p[3];
    pid_t pid[3];
    int fds[2], ports[3];
    xenevtchn_handle *h;

    machine_new(&m, abi);
    h = open_as(0);
    assert_non_null(h);
    assert_int_equal(pipe(fds), 0);
    for (unsigned int i = 0; i < 3; i++) {
        ports[i] = xenevtchn_bind_unbound_port(h, 1 + i);
        assert_true(ports[i] > 0);
        p[i] = (struct pinger){
            .domid = 1 + i, .remote_port = (uint32_t)ports[i], .report = fds[1], .pings = 200};
        pid[i] = child(pinger_main, &p[i]);
    }
    for (unsigned int i = 0; i < 3; i++) {
        uint32_t lp;

        assert_int_equal(get_u32(fds[0], &lp), 0);
    }
    answer(h, ports, 3, 200);
    for (unsigned int i = 0; i < 3; i++)
        assert_int_equal(child_status(pid[i]), 0);
    assert_int_equal(xenevtchn_close(h), 0);
    close(fds[0]);
    close(fds[1]);
    machine_end(&m);
}

static void test_several_domains_2level(void **state)
{
    (void)state;
    several("2level");
}

static void test_several_domains_fifo(void **state)
{
    (void)state;
    several("fifo");
}

/* Two handles of dom0: each sees only its own port's events and cannot use the other's. */
struct two_ports {
    uint32_t a, b;
    int report;
};

static int bind_both_notify_a(void *arg)
{
    struct two_ports *t = arg;
    xenevtchn_handle *h = open_as(1);
    int la, lb;
    uint32_t done = 1;

    CHECK(h != NULL);
    la = xenevtchn_bind_interdomain(h, 0, t->a);
    lb = xenevtchn_bind_interdomain(h, 0, t->b);
    CHECK(la > 0 && lb > 0);
    CHECK(xenevtchn_notify(h, (evtchn_port_t)la) == 0);
    CHECK(write(t->report, &done, sizeof(done)) == sizeof(done));
    usleep(500000); /* the ports stay bound while dom0 checks */
    CHECK(xenevtchn_close(h) == 0);
    return 0;
}

static void test_ports_stay_with_their_handle(void **state)
{
    struct emu_machine m;
    struct two_ports t;
    xenevtchn_handle *ha, *hb;
    int fds[2], a, b;
    uint32_t done;
    pid_t pid;

    (void)state;
    machine_new(&m, NULL);
    ha = open_as(0);
    hb = open_as(0);
    assert_non_null(ha);
    assert_non_null(hb);
    a = xenevtchn_bind_unbound_port(ha, 1);
    b = xenevtchn_bind_unbound_port(hb, 1);
    assert_true(a > 0 && b > 0 && a != b);
    assert_int_equal(pipe(fds), 0);
    t = (struct two_ports){.a = (uint32_t)a, .b = (uint32_t)b, .report = fds[1]};
    pid = child(bind_both_notify_a, &t);
    assert_int_equal(get_u32(fds[0], &done), 0);
    assert_int_equal(wait_port(ha, 2000), a);
    assert_int_equal(wait_port(hb, 200), -1);
    /* Another handle's port: not yours to use, as with Linux's driver. */
    assert_int_equal(xenevtchn_notify(hb, (evtchn_port_t)a), -1);
    assert_int_equal(errno, ENOTCONN);
    assert_int_equal(xenevtchn_unbind(hb, (evtchn_port_t)a), -1);
    assert_int_equal(errno, ENOTCONN);
    assert_int_equal(xenevtchn_unbind(ha, (evtchn_port_t)a), 0);
    assert_int_equal(xenevtchn_unbind(ha, (evtchn_port_t)a), -1);
    assert_int_equal(child_status(pid), 0);
    assert_int_equal(xenevtchn_close(ha), 0);
    assert_int_equal(xenevtchn_close(hb), 0);
    close(fds[0]);
    close(fds[1]);
    machine_end(&m);
}

/* A domU cannot bind a port dom0 made for another domain (Xen: -EINVAL). */
struct bind_try {
    uint32_t port;
    int expect_errno;
};

static int bind_other_domains_port(void *arg)
{
    struct bind_try *b = arg;
    xenevtchn_handle *h = open_as(1);

    CHECK(h != NULL);
    CHECK(xenevtchn_bind_interdomain(h, 0, b->port) == -1);
    CHECK(errno == b->expect_errno);
    /* Nor act as another domain: dom0's port number means nothing to this handle. */
    CHECK(xenevtchn_notify(h, b->port) == -1 && errno == ENOTCONN);
    CHECK(xenevtchn_close(h) == 0);
    return 0;
}

static void test_domU_cannot_bind_others_port(void **state)
{
    struct emu_machine m;
    struct bind_try b = {.expect_errno = EINVAL};
    xenevtchn_handle *h;
    int port;

    (void)state;
    machine_new(&m, "2level");
    h = open_as(0);
    assert_non_null(h);
    port = xenevtchn_bind_unbound_port(h, 2);
    assert_true(port > 0);
    b.port = (uint32_t)port;
    assert_int_equal(child_status(child(bind_other_domains_port, &b)), 0);
    assert_int_equal(xenevtchn_close(h), 0);
    machine_end(&m);
}

static void test_restrict(void **state)
{
    struct emu_machine m;
    xenevtchn_handle *h;

    (void)state;
    machine_new(&m, NULL);
    h = open_as(0);
    assert_non_null(h);
    assert_int_equal(xenevtchn_restrict(h, 1), 0);
    assert_int_equal(xenevtchn_bind_unbound_port(h, 1), -1);
    assert_int_equal(errno, EACCES);
    assert_int_equal(xenevtchn_bind_virq(h, VIRQ_DEBUG), -1);
    assert_int_equal(errno, EACCES);
    assert_int_equal(xenevtchn_bind_interdomain(h, 2, 1), -1);
    assert_int_equal(errno, EACCES);
    assert_int_equal(xenevtchn_restrict(h, 2), -1);
    assert_int_equal(errno, EACCES);
    /* To the domain it is restricted to: Xen's own answer (no such unbound port). */
    assert_int_equal(xenevtchn_bind_interdomain(h, 1, 1), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xenevtchn_close(h), 0);
    machine_end(&m);
}

static void test_virq_and_reset(void **state)
{
    struct emu_machine m;
    xenevtchn_handle *h;
    int v, p[3];

    (void)state;
    machine_new(&m, "fifo");
    h = open_as(0);
    assert_non_null(h);
    v = xenevtchn_bind_virq(h, VIRQ_DEBUG);
    assert_true(v > 0);
    /* Bound once per vCPU, as on Xen. */
    assert_int_equal(xenevtchn_bind_virq(h, VIRQ_DEBUG), -1);
    assert_int_equal(errno, EEXIST);
    for (unsigned int i = 0; i < 3; i++) {
        p[i] = xenevtchn_bind_unbound_port(h, 0);
        assert_true(p[i] > 0);
    }
    assert_int_equal(xenevtchn_reset(h), 0);
    for (unsigned int i = 0; i < 3; i++) {
        assert_int_equal(xenevtchn_unbind(h, (evtchn_port_t)p[i]), -1);
        assert_int_equal(errno, ENOTCONN);
    }
    /* The VIRQ is free again after the reset. */
    v = xenevtchn_bind_virq(h, VIRQ_DEBUG);
    assert_true(v > 0);
    assert_int_equal(xenevtchn_unbind(h, (evtchn_port_t)v), 0);
    assert_int_equal(xenevtchn_close(h), 0);
    machine_end(&m);
}

/* The machine's ABI is fixed when it starts; a client asking for the other one fails. */
static void test_abi_fixed(void **state)
{
    struct emu_machine m;
    xenevtchn_handle *h, *h2;

    (void)state;
    machine_new(&m, "2level");
    h = open_as(0);
    assert_non_null(h);
    setenv("MINIXEN_EVTCHN_EMU_ABI", "fifo", 1);
    h2 = open_as(1);
    assert_null(h2);
    assert_int_equal(errno, EINVAL);
    unsetenv("MINIXEN_EVTCHN_EMU_ABI"); /* no preference: joins whatever runs */
    h2 = open_as(1);
    assert_non_null(h2);
    setenv("MINIXEN_EVTCHN_EMU_ABI", "3level", 1);
    assert_null(open_as(1));
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xenevtchn_close(h2), 0);
    assert_int_equal(xenevtchn_close(h), 0);
    machine_end(&m);
}

/*
 * Open again just as the broker leaves (its grace time is 300 ms): the open lands before,
 * during or after its exit and must work every time, on one broker at a time.
 */
static void test_reopen_around_grace_time(void **state)
{
    struct emu_machine m;

    (void)state;
    machine_new(&m, NULL);
    for (unsigned int i = 0; i < 12; i++) {
        xenevtchn_handle *h = open_as(0);
        int port;

        assert_non_null(h);
        port = xenevtchn_bind_unbound_port(h, 0);
        assert_true(port > 0);
        assert_int_equal(xenevtchn_close(h), 0);
        usleep(260000 + 10000 * i); /* 260..370 ms */
    }
    machine_end(&m);
}

/*
 * A handle that does not read its events while they keep coming (it unmasks without
 * reading): far more than its socket holds. The broker keeps them for it (never
 * blocking on it) and every one arrives, in order, once it reads.
 */
static void test_unread_events_are_kept(void **state)
{
    struct emu_machine m;
    xenevtchn_handle *h;
    int a, b, n = 3000;

    (void)state;
    machine_new(&m, "2level");
    h = open_as(0);
    assert_non_null(h);
    a = xenevtchn_bind_unbound_port(h, 0);
    assert_true(a > 0);
    b = xenevtchn_bind_interdomain(h, 0, (evtchn_port_t)a);
    assert_true(b > 0);
    assert_int_equal(wait_port(h, 2000), b); /* a new interdomain port starts pending */
    assert_int_equal(xenevtchn_unmask(h, (evtchn_port_t)b), 0);
    for (int i = 0; i < n; i++) {
        assert_int_equal(xenevtchn_notify(h, (evtchn_port_t)b), 0);
        /* notify returned: a fired and is masked; unmask it without reading it. */
        assert_int_equal(xenevtchn_unmask(h, (evtchn_port_t)a), 0);
    }
    for (int i = 0; i < n; i++)
        assert_int_equal(wait_port(h, 2000), a);
    assert_int_equal(wait_port(h, 100), -1);
    assert_int_equal(xenevtchn_close(h), 0);
    machine_end(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_pingpong_2level, machine_cleanup),
        cmocka_unit_test_teardown(test_pingpong_fifo, machine_cleanup),
        cmocka_unit_test_teardown(test_several_domains_2level, machine_cleanup),
        cmocka_unit_test_teardown(test_several_domains_fifo, machine_cleanup),
        cmocka_unit_test_teardown(test_ports_stay_with_their_handle, machine_cleanup),
        cmocka_unit_test_teardown(test_domU_cannot_bind_others_port, machine_cleanup),
        cmocka_unit_test_teardown(test_restrict, machine_cleanup),
        cmocka_unit_test_teardown(test_virq_and_reset, machine_cleanup),
        cmocka_unit_test_teardown(test_abi_fixed, machine_cleanup),
        cmocka_unit_test_teardown(test_reopen_around_grace_time, machine_cleanup),
        cmocka_unit_test_teardown(test_unread_events_are_kept, machine_cleanup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
#endif
