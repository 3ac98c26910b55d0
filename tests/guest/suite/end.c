/* SPDX-License-Identifier: Apache-2.0 */
/*
 * How a domain ends after its TAP plan and end marker: the end=<how> bootarg.
 *
 *   poweroff  SCHEDOP_shutdown(poweroff) (the default)
 *   reboot    SCHEDOP_shutdown(reboot)    } what the hypervisor does when dom0 ends so
 *   crash     SCHEDOP_shutdown(crash)     } (tests/system/arm/dom0-test.sh, x86/boot-test.sh)
 *   idle      stay up, so the machine does (dom0's end would take it down), and echo the
 *             serial input this domain receives (CONSOLEIO_read, dom0's) as lines
 *             "# xtest input: <text>", so a test can see where its keystrokes went
 *
 * With end=idle, echo=<domid> also offers that domain a port (EVTCHNOP_alloc_unbound,
 * "# xtest idle: port P offered to dD") and answers every event on it with one event back,
 * printing "# xtest echo: event N on port P, answered" for the first few and every 100th:
 * the other end (tests/system/linux/evtchn-echo.c through Linux's /dev/xen/evtchn, which
 * has no way to adopt a static channel in Linux 6.1) binds to it and counts its answers.
 */
#include "bootargs.h"
#include "xtest.h"

static evtchn_port_t console_port; /* VIRQ_CONSOLE, when the hypervisor lets us bind it */
static uint32_t console_seen;      /* its delivery count when the input was last read */
static evtchn_port_t echo_port;    /* offered for echo=: events on it are answered */
static uint32_t echo_seen;         /* its delivery count when last answered */

/* Answer each new event on echo_port (several coalesced into one delivery: one answer). */
static void echo_events(void)
{
    uint32_t now;

    if (echo_port == 0 || echo_port >= EV_TRACK_PORTS)
        return;
    now = ev_count[echo_port];
    if (now == echo_seen)
        return;
    echo_seen = now;
    if (ev_send(echo_port) != 0)
        printf("# xtest echo: answering on port %u failed\n", echo_port);
    else if (now <= 3 || now % 100 == 0)
        printf("# xtest echo: event %u on port %u, answered\n", now, echo_port);
}

/* Print what input is waiting (printable characters only: the log is a test's). */
static bool echo_input(void *arg)
{
    char buf[64], line[sizeof(buf) + 1];
    unsigned int n = 0;
    long got;

    /* With the VIRQ bound, read only when it fired (or when asked to: arg != NULL), not
     * with a hypercall every millisecond. */
    echo_events();
    if (arg == NULL && console_port != 0 && ev_count[console_port] == console_seen)
        return false;
    if (console_port != 0)
        console_seen = ev_count[console_port];
    got = hc_console_read(buf, sizeof(buf));
    for (long i = 0; i < got; i++)
        if (buf[i] >= 0x20 && buf[i] < 0x7f)
            line[n++] = buf[i];
    line[n] = '\0';
    if (n > 0)
        printf("# xtest input: %s\n", line);
    return false;
}

static void __attribute__((noreturn)) idle_echo(void)
{
    evtchn_port_t port;

    if (ev_bind_virq(VIRQ_CONSOLE, 0, &port) == 0 && port < EV_TRACK_PORTS)
        console_port = port;
    console_seen = console_port != 0 ? ev_count[console_port] : 0;
    if (bootarg("echo", NULL) != NULL) {
        domid_t dom = (domid_t)bootarg_num("echo", 0);
        evtchn_port_t port = 0;
        long rc = ev_alloc_unbound(DOMID_SELF, dom, &port);

        if (rc == 0 && port < EV_TRACK_PORTS) {
            echo_port = port;
            echo_seen = ev_count[port];
            ev_unmask_guest(port);
            printf("# xtest idle: port %u offered to d%u, answering its events\n", port, dom);
        } else {
            printf("# xtest idle: no port for d%u: %ld\n", dom, rc);
        }
    }
    printf("# xtest idle: echoing serial input\n");
    echo_input(&console_seen); /* what was typed before the VIRQ was bound: no VIRQ for it */
    for (;;)
        ev_wait(echo_input, NULL, 60000);
}

void guest_end(void)
{
    if (strcmp(xt.end, "reboot") == 0)
        sched_reboot();
    if (strcmp(xt.end, "crash") == 0)
        sched_crash();
    if (strcmp(xt.end, "idle") == 0)
        idle_echo();
    sched_poweroff();
}
