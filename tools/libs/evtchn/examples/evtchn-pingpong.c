/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evtchn-pingpong: round trips over one event channel, through nothing but xenevtchn.h,
 * so it builds against minixen's library or Xen's and runs on any backend.
 *
 *   evtchn-pingpong serve DOMID             open a port for DOMID, print "port N", then
 *                                           answer every event with one (until killed)
 *   evtchn-pingpong ping DOMID PORT COUNT   bind to DOMID's PORT, send COUNT events, each
 *                                           after the answer to the last, and print the
 *                                           round-trip times
 *   evtchn-pingpong self COUNT              both ends in this process (DOMID_SELF), for a
 *                                           single domain
 *
 * ping and self end with one line:
 *   pingpong: N round trips, min A us, median B us, mean C us, max D us
 * Exit status 0 when every round trip completed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xenevtchn.h>

#define WAIT_MS    10000 /* one answer later than this: the peer is gone */
#define SETTLE_MS  200   /* how long a fresh binding may take to deliver its first event */
#define DOMID_SELF 0x7FF0U

static void die(const char *what)
{
    fprintf(stderr, "evtchn-pingpong: %s: %s\n", what, strerror(errno));
    exit(1);
}

/*
 * The next port that fires, within ms (-1: none), already unmasked so that the next event
 * on it is not lost. -2 on an error.
 */
static int wait_port(xenevtchn_handle *xce, int ms)
{
    struct pollfd p = {.fd = xenevtchn_fd(xce), .events = POLLIN};
    int port;

    for (;;) {
        port = xenevtchn_pending(xce);
        if (port >= 0)
            break;
        if (errno != EAGAIN && errno != EINTR)
            return -2;
        int r = poll(&p, 1, ms);
        if (r < 0 && errno != EINTR)
            return -2;
        if (r == 0)
            return -1;
    }
    if (xenevtchn_unmask(xce, (evtchn_port_t)port) < 0)
        return -2;
    return port;
}

/* Binding an interdomain port raises one event on it (the peer may have sent one before):
 * swallow what arrives shortly after binding, so that it is not taken for an answer. */
static void settle(xenevtchn_handle *xce)
{
    while (wait_port(xce, SETTLE_MS) >= 0)
        ;
}

static double now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static void report(double *rtt, unsigned long n)
{
    double sum = 0;

    qsort(rtt, n, sizeof(*rtt), cmp_double);
    for (unsigned long i = 0; i < n; i++)
        sum += rtt[i];
    printf("pingpong: %lu round trips, min %.1f us, median %.1f us, mean %.1f us, max %.1f us\n", n,
           rtt[0], rtt[n / 2], sum / (double)n, rtt[n - 1]);
}

/* COUNT round trips: send on out, expect the answer on in (self: the other end's port,
 * answered here too). Returns how many completed. */
static unsigned long run(xenevtchn_handle *xce, evtchn_port_t out, int self_in, double *rtt,
                         unsigned long count)
{
    unsigned long i;

    for (i = 0; i < count; i++) {
        double t0 = now_us();
        int port;

        if (xenevtchn_notify(xce, out) < 0)
            die("notify");
        port = wait_port(xce, WAIT_MS);
        if (self_in >= 0 && port == self_in) {
            /* self: we are the server too; answer from the other end */
            if (xenevtchn_notify(xce, (evtchn_port_t)self_in) < 0)
                die("notify");
            port = wait_port(xce, WAIT_MS);
        }
        if (port != (int)out) {
            fprintf(stderr, "evtchn-pingpong: round trip %lu: %s (port %d)\n", i + 1,
                    port == -1 ? "no answer" : "unexpected event", port);
            break;
        }
        rtt[i] = now_us() - t0;
    }
    return i;
}

static unsigned long parse(const char *s, const char *what, unsigned long max)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 0);
    if (errno != 0 || *end != '\0' || end == s || v > max) {
        fprintf(stderr, "evtchn-pingpong: bad %s '%s'\n", what, s);
        exit(2);
    }
    return v;
}

static int serve(xenevtchn_handle *xce, uint32_t domid)
{
    int port = xenevtchn_bind_unbound_port(xce, domid);
    unsigned long answered = 0;

    if (port < 0)
        die("bind_unbound_port");
    printf("port %d\n", port);
    fflush(stdout);
    for (;;) {
        int p = wait_port(xce, -1);

        if (p == -2)
            die("waiting");
        if (p != port)
            continue;
        if (xenevtchn_notify(xce, (evtchn_port_t)port) < 0)
            break;
        answered++;
    }
    printf("served %lu events\n", answered);
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: evtchn-pingpong serve DOMID\n"
                    "       evtchn-pingpong ping DOMID PORT COUNT\n"
                    "       evtchn-pingpong self COUNT\n");
    return 2;
}

int main(int argc, char **argv)
{
    xenevtchn_handle *xce;
    unsigned long count, done;
    double *rtt;
    int out, in = -1;

    if (argc < 2)
        return usage();
    xce = xenevtchn_open(NULL, 0);
    if (xce == NULL)
        die("xenevtchn_open");
    /* An event loop's descriptor: pending says EAGAIN when nothing fired instead of
     * sleeping (it sleeps on the descriptor as opened, as with Xen's library). */
    if (fcntl(xenevtchn_fd(xce), F_SETFL, fcntl(xenevtchn_fd(xce), F_GETFL) | O_NONBLOCK) < 0)
        die("O_NONBLOCK");

    if (strcmp(argv[1], "serve") == 0 && argc == 3)
        return serve(xce, (uint32_t)parse(argv[2], "DOMID", 0xFFFF));

    if (strcmp(argv[1], "ping") == 0 && argc == 5) {
        uint32_t domid = (uint32_t)parse(argv[2], "DOMID", 0xFFFF);
        evtchn_port_t remote = (evtchn_port_t)parse(argv[3], "PORT", 0xFFFFFFFFUL);

        count = parse(argv[4], "COUNT", 100000000);
        out = xenevtchn_bind_interdomain(xce, domid, remote);
        if (out < 0)
            die("bind_interdomain");
    } else if (strcmp(argv[1], "self") == 0 && argc == 3) {
        count = parse(argv[2], "COUNT", 100000000);
        in = xenevtchn_bind_unbound_port(xce, DOMID_SELF);
        if (in < 0)
            die("bind_unbound_port");
        out = xenevtchn_bind_interdomain(xce, DOMID_SELF, (evtchn_port_t)in);
        if (out < 0)
            die("bind_interdomain");
    } else {
        return usage();
    }
    if (count == 0)
        return usage();
    rtt = calloc(count, sizeof(*rtt));
    if (rtt == NULL)
        die("calloc");
    settle(xce);
    done = run(xce, (evtchn_port_t)out, in, rtt, count);
    if (done > 0)
        report(rtt, done);
    if (done < count)
        printf("pingpong: only %lu of %lu round trips\n", done, count);
    free(rtt);
    xenevtchn_close(xce);
    return done == count ? 0 : 1;
}
