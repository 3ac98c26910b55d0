/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evtchn-echo: events to and from a domain that offered us a port, through Linux's
 * /dev/xen/evtchn (tests/system/x86/linux-test.sh: the conformance guest as dom0 with
 * end=idle echo=<our domid> offers one and answers each event with one of its own).
 *
 *   evtchn-echo DOMID COUNT [MAXPORT]
 *
 * The offered port's number is not known here (no xenstore carries it), so this asks to
 * bind to DOMID's ports 1..MAXPORT (default 1023) in turn: only an unbound port offered to
 * us binds (EVTCHNOP_bind_interdomain refuses every other with -EINVAL), so the first that
 * binds is the offer. It retries for a while, in case DOMID has not offered it yet. Then
 * COUNT times: send an event (IOCTL_EVTCHN_NOTIFY), wait for the answer (read() gives the
 * local port), unmask it again (write() the port back).
 *
 * One line per result, "evtchn-echo: ok|not ok N - ...", and "evtchn-echo: done P passed,
 * F failed"; written unbuffered, one line per write(), so that stdout may be /dev/kmsg
 * (a domU without a console of its own prints through the kernel's log). Exit status: the
 * number of failures.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

typedef uint16_t domid_t; /* the UAPI header uses Xen's names */
#include <xen/evtchn.h>

#define WAIT_MS   10000 /* for one answer */
#define FIND_SECS 30    /* for the offer to appear */

static unsigned int tests, failures;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (n > (int)sizeof(line) - 2)
        n = (int)sizeof(line) - 2;
    line[n++] = '\n';
    if (write(STDOUT_FILENO, line, (size_t)n) < 0)
        return;
}

static int check(int cond, const char *what)
{
    tests++;
    if (!cond)
        failures++;
    if (!cond && errno != 0)
        say("evtchn-echo: %sok %u - %s (errno %d: %s)", cond ? "" : "not ", tests, what, errno,
            strerror(errno));
    else
        say("evtchn-echo: %sok %u - %s", cond ? "" : "not ", tests, what);
    errno = 0;
    return cond;
}

static double now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* The local port bound to DOMID's offer, or -1. */
static int find_offer(int fd, domid_t dom, unsigned int maxport, unsigned int *remote)
{
    for (unsigned int round = 0; round < FIND_SECS; round++) {
        for (unsigned int p = 1; p <= maxport; p++) {
            struct ioctl_evtchn_bind_interdomain bind = {.remote_domain = dom, .remote_port = p};
            int port = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);

            if (port >= 0) {
                *remote = p;
                return port;
            }
        }
        sleep(1);
    }
    return -1;
}

/* Wait for an event on port; unmask it again. */
static int wait_event(int fd, unsigned int port)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    uint32_t got;

    if (poll(&pfd, 1, WAIT_MS) != 1 || read(fd, &got, sizeof(got)) != sizeof(got) || got != port)
        return 0;
    return write(fd, &got, sizeof(got)) == sizeof(got);
}

int main(int argc, char **argv)
{
    unsigned int remote = 0, count, maxport, answered = 0;
    double t0, t1;
    domid_t dom;
    int fd, port;

    if (argc < 3) {
        say("usage: evtchn-echo DOMID COUNT [MAXPORT]");
        return 2;
    }
    dom = (domid_t)strtoul(argv[1], NULL, 0);
    count = (unsigned int)strtoul(argv[2], NULL, 0);
    maxport = argc > 3 ? (unsigned int)strtoul(argv[3], NULL, 0) : 1023;
    fd = open("/dev/xen/evtchn", O_RDWR | O_NONBLOCK);
    if (!check(fd >= 0, "/dev/xen/evtchn opened"))
        goto out;
    port = find_offer(fd, dom, maxport, &remote);
    {
        char what[96];

        snprintf(what, sizeof(what), "bound to d%u's offered port %u (local port %d)", dom, remote,
                 port);
        if (!check(port > 0, what))
            goto out;
    }
    t0 = now_us();
    for (unsigned int i = 0; i < count; i++) {
        struct ioctl_evtchn_notify notify = {.port = (unsigned int)port};

        if (ioctl(fd, IOCTL_EVTCHN_NOTIFY, &notify) != 0 || !wait_event(fd, (unsigned int)port))
            break;
        answered++;
    }
    t1 = now_us();
    {
        char what[128];

        snprintf(what, sizeof(what), "%u of %u events to d%u answered (%.0f us per round trip)",
                 answered, count, dom, answered ? (t1 - t0) / answered : 0.0);
        check(answered == count && count > 0, what);
    }
out:
    say("evtchn-echo: done %u passed, %u failed", tests - failures, failures);
    return (int)failures;
}
