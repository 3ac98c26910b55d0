/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libxenevtchn's public API against whichever backend MINIXEN_EVTCHN_BACKEND names (linux:
 * /dev/xen/evtchn in a Linux guest; emu: the emulated machine on a plain host). Everything
 * happens inside the one domain this program runs in: loopback channels (DOMID_SELF).
 * The errors asserted are those Linux's driver and Xen give; the emu backend gives the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef LIBEVTCHN_MINI_CMOCKA
#include "mini_cmocka.h"
#else
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#endif

#include <xenevtchn.h>

#define DOMID_SELF 0x7FF0U
#define VIRQ_DEBUG 1    /* per vCPU: bindable by any domain */
#define BAD_PORT   4095 /* no test binds this many ports */
#define WAIT_MS    2000
#define QUIET_MS   100

/* The next port that fires within ms, not unmasked; -1 if none. Polls first: pending
 * itself sleeps on a blocking descriptor, as Xen's does. */
static int next_port(xenevtchn_handle *h, int ms)
{
    struct pollfd p = {.fd = xenevtchn_fd(h), .events = POLLIN};

    if (poll(&p, 1, ms) <= 0)
        return -1;
    return xenevtchn_pending(h);
}

/* pending with nothing fired: -1, EAGAIN once the program made the descriptor
 * non-blocking (it would sleep otherwise). */
static void assert_none_pending(xenevtchn_handle *h)
{
    int fd = xenevtchn_fd(h), fl = fcntl(fd, F_GETFL);

    assert_true(fl >= 0);
    assert_int_equal(fcntl(fd, F_SETFL, fl | O_NONBLOCK), 0);
    errno = 0;
    assert_int_equal(xenevtchn_pending(h), -1);
    assert_int_equal(errno, EAGAIN);
    assert_int_equal(fcntl(fd, F_SETFL, fl), 0);
}

/* Take every event that arrives within QUIET_MS, unmasking each. */
static void drain(xenevtchn_handle *h)
{
    int port;

    while ((port = next_port(h, QUIET_MS)) >= 0)
        assert_int_equal(xenevtchn_unmask(h, (evtchn_port_t)port), 0);
}

static xenevtchn_handle *open_handle(void)
{
    xenevtchn_handle *h = xenevtchn_open(NULL, 0);

    assert_non_null(h);
    return h;
}

/* A loopback pair: *a unbound for ourselves, *b bound to it; the bind's own event taken. */
static void loopback(xenevtchn_handle *h, int *a, int *b)
{
    *a = xenevtchn_bind_unbound_port(h, DOMID_SELF);
    assert_true(*a > 0);
    *b = xenevtchn_bind_interdomain(h, DOMID_SELF, (evtchn_port_t)*a);
    assert_true(*b > 0);
    assert_int_not_equal(*a, *b);
    drain(h);
}

/* An unknown port: Linux's driver says ENOTCONN, Xen's hypercalls EINVAL. */
static int unknown_port_errno(void)
{
    return errno == ENOTCONN || errno == EINVAL;
}

static void test_null_handle(void **state)
{
    (void)state;
    assert_int_equal(xenevtchn_close(NULL), 0);
    errno = 0;
    assert_int_equal(xenevtchn_fd(NULL), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xenevtchn_notify(NULL, 1), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xenevtchn_bind_unbound_port(NULL, 0), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xenevtchn_bind_interdomain(NULL, 0, 1), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xenevtchn_bind_virq(NULL, VIRQ_DEBUG), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xenevtchn_unbind(NULL, 1), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xenevtchn_pending(NULL), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xenevtchn_unmask(NULL, 1), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xenevtchn_restrict(NULL, 1), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xenevtchn_reset(NULL), -1);
    assert_int_equal(errno, EINVAL);
}

static void test_open_flags(void **state)
{
    xenevtchn_handle *h;

    (void)state;
    errno = 0;
    assert_null(xenevtchn_open(NULL, 1u << 5)); /* a flag nobody defines */
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_null(xenevtchn_open(NULL, MINIXEN_EVTCHN_OPEN_LINUX | MINIXEN_EVTCHN_OPEN_EMU));
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_null(xenevtchn_fdopen(NULL, -1, 0));
    assert_int_equal(errno, EBADF);
    errno = 0;
    assert_null(xenevtchn_fdopen(NULL, 0, XENEVTCHN_NO_CLOEXEC)); /* as Xen's: no flags */
    assert_int_equal(errno, EINVAL);
    /* The handle's fd is close-on-exec unless asked otherwise. */
    h = xenevtchn_open(NULL, XENEVTCHN_NO_CLOEXEC);
    assert_non_null(h);
    assert_true(xenevtchn_fd(h) >= 0);
    assert_int_equal(fcntl(xenevtchn_fd(h), F_GETFD) & FD_CLOEXEC, 0);
    assert_int_equal(xenevtchn_close(h), 0);
    h = xenevtchn_open(NULL, 0);
    assert_non_null(h);
    assert_int_equal(fcntl(xenevtchn_fd(h), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    assert_int_equal(xenevtchn_close(h), 0);
}

static void test_bad_port(void **state)
{
    xenevtchn_handle *h = open_handle();

    (void)state;
    errno = 0;
    assert_int_equal(xenevtchn_notify(h, BAD_PORT), -1);
    assert_true(unknown_port_errno());
    errno = 0;
    assert_int_equal(xenevtchn_unbind(h, BAD_PORT), -1);
    assert_true(unknown_port_errno());
    assert_none_pending(h); /* nothing bound, nothing fired */
    errno = 0;
    /* Nobody offered this port to us. */
    assert_int_equal(xenevtchn_bind_interdomain(h, DOMID_SELF, BAD_PORT), -1);
    assert_int_equal(errno, EINVAL);
    xenevtchn_close(h);
}

static void test_loopback(void **state)
{
    xenevtchn_handle *h = open_handle();
    int a, b;

    (void)state;
    loopback(h, &a, &b);
    /* b -> a, then a -> b; each masked until unmasked. */
    assert_int_equal(xenevtchn_notify(h, (evtchn_port_t)b), 0);
    assert_int_equal(next_port(h, WAIT_MS), a);
    assert_int_equal(xenevtchn_notify(h, (evtchn_port_t)b), 0); /* a still masked */
    assert_int_equal(next_port(h, QUIET_MS), -1);
    assert_int_equal(xenevtchn_unmask(h, (evtchn_port_t)a), 0);
    /* The event sent while masked stays pending and arrives once unmasked. */
    assert_int_equal(next_port(h, WAIT_MS), a);
    assert_int_equal(xenevtchn_unmask(h, (evtchn_port_t)a), 0);
    assert_int_equal(xenevtchn_notify(h, (evtchn_port_t)a), 0);
    assert_int_equal(next_port(h, WAIT_MS), b);
    assert_int_equal(xenevtchn_unmask(h, (evtchn_port_t)b), 0);
    assert_int_equal(next_port(h, QUIET_MS), -1);

    assert_int_equal(xenevtchn_unbind(h, (evtchn_port_t)a), 0);
    errno = 0;
    assert_int_equal(xenevtchn_unbind(h, (evtchn_port_t)a), -1);
    assert_true(unknown_port_errno());
    assert_int_equal(xenevtchn_unbind(h, (evtchn_port_t)b), 0);
    assert_int_equal(xenevtchn_close(h), 0);
}

static void test_many_events(void **state)
{
    xenevtchn_handle *h = open_handle();
    int a, b;

    (void)state;
    loopback(h, &a, &b);
    for (int i = 0; i < 200; i++) {
        assert_int_equal(xenevtchn_notify(h, (evtchn_port_t)b), 0);
        assert_int_equal(next_port(h, WAIT_MS), a);
        assert_int_equal(xenevtchn_unmask(h, (evtchn_port_t)a), 0);
    }
    assert_int_equal(xenevtchn_close(h), 0);
}

static void test_bind_virq(void **state)
{
    xenevtchn_handle *h = open_handle();
    int port;

    (void)state;
    errno = 0;
    assert_int_equal(xenevtchn_bind_virq(h, 100000), -1); /* no such VIRQ */
    assert_int_equal(errno, EINVAL);
    /* A kernel may have bound VIRQ_DEBUG itself (Linux on x86 does): EEXIST then. */
    errno = 0;
    port = xenevtchn_bind_virq(h, VIRQ_DEBUG);
    if (port < 0) {
        assert_int_equal(errno, EEXIST);
    } else {
        errno = 0;
        assert_int_equal(xenevtchn_bind_virq(h, VIRQ_DEBUG), -1); /* one port per VIRQ */
        assert_int_equal(errno, EEXIST);
        assert_int_equal(xenevtchn_unbind(h, (evtchn_port_t)port), 0);
    }
    assert_int_equal(xenevtchn_close(h), 0);
}

static void test_restrict(void **state)
{
    xenevtchn_handle *h = open_handle();

    (void)state;
    /* Only a real domain other than the control domain: not 0, not a DOMID_* name. */
    errno = 0;
    assert_int_equal(xenevtchn_restrict(h, 0), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xenevtchn_restrict(h, DOMID_SELF), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xenevtchn_restrict(h, 5), 0);
    /* Once restricted: no VIRQs, no unbound ports, no other domain, no second restrict. */
    errno = 0;
    assert_int_equal(xenevtchn_bind_virq(h, VIRQ_DEBUG), -1);
    assert_int_equal(errno, EACCES);
    errno = 0;
    assert_int_equal(xenevtchn_bind_unbound_port(h, 5), -1);
    assert_int_equal(errno, EACCES);
    errno = 0;
    assert_int_equal(xenevtchn_bind_interdomain(h, DOMID_SELF, 1), -1);
    assert_int_equal(errno, EACCES);
    errno = 0;
    assert_int_equal(xenevtchn_restrict(h, 6), -1);
    assert_int_equal(errno, EACCES);
    assert_int_equal(xenevtchn_close(h), 0);
}

static void test_reset(void **state)
{
    xenevtchn_handle *h = open_handle(), *other = open_handle();
    int a, b, c, d;

    (void)state;
    loopback(h, &a, &b);
    assert_int_equal(xenevtchn_notify(h, (evtchn_port_t)b), 0); /* left pending on a */
    assert_int_equal(xenevtchn_reset(h), 0);
    /* Every port is gone, and the queued event with them. */
    errno = 0;
    assert_int_equal(xenevtchn_notify(h, (evtchn_port_t)b), -1);
    assert_true(unknown_port_errno());
    assert_none_pending(h);
    errno = 0;
    assert_int_equal(xenevtchn_bind_interdomain(other, DOMID_SELF, (evtchn_port_t)a), -1);
    assert_int_equal(errno, EINVAL);
    /* The handle itself still works. */
    loopback(h, &c, &d);
    assert_int_equal(xenevtchn_notify(h, (evtchn_port_t)d), 0);
    assert_int_equal(next_port(h, WAIT_MS), c);
    assert_int_equal(xenevtchn_close(h), 0);
    assert_int_equal(xenevtchn_close(other), 0);
}

static void test_close_unbinds(void **state)
{
    xenevtchn_handle *h = open_handle(), *other = open_handle();
    int a;

    (void)state;
    a = xenevtchn_bind_unbound_port(h, DOMID_SELF);
    assert_true(a > 0);
    assert_int_equal(xenevtchn_close(h), 0);
    /* a closed with its handle: nobody can bind to it any more. */
    errno = 0;
    assert_int_equal(xenevtchn_bind_interdomain(other, DOMID_SELF, (evtchn_port_t)a), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xenevtchn_close(other), 0);
}

/* Two handles of one domain: each sees only its own ports' events. */
static void test_two_handles(void **state)
{
    xenevtchn_handle *h = open_handle(), *g = open_handle();
    int a, b;

    (void)state;
    a = xenevtchn_bind_unbound_port(h, DOMID_SELF);
    assert_true(a > 0);
    b = xenevtchn_bind_interdomain(g, DOMID_SELF, (evtchn_port_t)a);
    assert_true(b > 0);
    drain(g);
    assert_int_equal(xenevtchn_notify(g, (evtchn_port_t)b), 0);
    assert_int_equal(next_port(h, WAIT_MS), a);
    assert_int_equal(next_port(g, QUIET_MS), -1);
    assert_int_equal(xenevtchn_unmask(h, (evtchn_port_t)a), 0);
    /* A handle cannot send on another handle's port. */
    errno = 0;
    assert_int_equal(xenevtchn_notify(h, (evtchn_port_t)b), -1);
    assert_true(unknown_port_errno());
    assert_int_equal(xenevtchn_close(g), 0);
    assert_int_equal(xenevtchn_close(h), 0);
}

struct late_notify {
    xenevtchn_handle *h;
    evtchn_port_t port;
};

static void *notify_later(void *arg)
{
    const struct late_notify *n = arg;
    struct timespec t = {.tv_sec = 0, .tv_nsec = 100 * 1000 * 1000};

    nanosleep(&t, NULL);
    return (void *)(intptr_t)xenevtchn_notify(n->h, n->port);
}

/*
 * On the descriptor as opened, xenevtchn_pending waits for the next port as Xen's does
 * (a program that never polls still gets its events): another handle's notify, sent
 * while this thread already sleeps in pending, wakes it.
 */
static void test_pending_waits(void **state)
{
    xenevtchn_handle *h = open_handle(), *g = open_handle();
    struct late_notify n = {.h = g};
    pthread_t t;
    void *rc;
    int a, b;

    (void)state;
    a = xenevtchn_bind_unbound_port(h, DOMID_SELF);
    assert_true(a > 0);
    b = xenevtchn_bind_interdomain(g, DOMID_SELF, (evtchn_port_t)a);
    assert_true(b > 0);
    drain(g);
    n.port = (evtchn_port_t)b;
    assert_int_equal(pthread_create(&t, NULL, notify_later, &n), 0);
    assert_int_equal(xenevtchn_pending(h), a);
    assert_int_equal(pthread_join(t, &rc), 0);
    assert_int_equal((intptr_t)rc, 0);
    assert_int_equal(xenevtchn_unmask(h, (evtchn_port_t)a), 0);
    assert_int_equal(xenevtchn_close(g), 0);
    assert_int_equal(xenevtchn_close(h), 0);
}

/*
 * fdopen adopts a /dev/xen/evtchn descriptor (linux backend only) as it is, blocking or
 * not. Closing the handle closes the descriptor, as Xen's does.
 */
static void test_fdopen(void **state)
{
    const char *backend = getenv("MINIXEN_EVTCHN_BACKEND");
    xenevtchn_handle *h;
    int fd, a, b;

    (void)state;
    errno = 0;
    assert_null(xenevtchn_fdopen(NULL, 0, MINIXEN_EVTCHN_OPEN_EMU)); /* no fd to adopt */
    assert_int_equal(errno, ENOSYS);
    if (backend != NULL && strcmp(backend, "emu") == 0)
        return;
    fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
    assert_true(fd >= 0);
    h = xenevtchn_fdopen(NULL, fd, 0);
    assert_non_null(h);
    assert_int_equal(xenevtchn_fd(h), fd);
    loopback(h, &a, &b);
    assert_none_pending(h);
    assert_int_equal(xenevtchn_notify(h, (evtchn_port_t)b), 0);
    assert_int_equal(next_port(h, WAIT_MS), a);
    assert_int_equal(xenevtchn_close(h), 0);
    errno = 0;
    assert_int_equal(fcntl(fd, F_GETFD), -1);
    assert_int_equal(errno, EBADF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_handle),   cmocka_unit_test(test_open_flags),
        cmocka_unit_test(test_bad_port),      cmocka_unit_test(test_loopback),
        cmocka_unit_test(test_many_events),   cmocka_unit_test(test_bind_virq),
        cmocka_unit_test(test_restrict),      cmocka_unit_test(test_reset),
        cmocka_unit_test(test_close_unbinds), cmocka_unit_test(test_two_handles),
        cmocka_unit_test(test_fdopen),        cmocka_unit_test(test_pending_waits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
