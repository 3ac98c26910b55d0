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
 */
#include "xtest.h"

static evtchn_port_t console_port; /* VIRQ_CONSOLE, when the hypervisor lets us bind it */
static uint32_t console_seen;      /* its delivery count when the input was last read */

/* Print what input is waiting (printable characters only: the log is a test's). */
static bool echo_input(void *arg)
{
    char buf[64], line[sizeof(buf) + 1];
    unsigned int n = 0;
    long got;

    /* With the VIRQ bound, read only when it fired (or when asked to: arg != NULL), not
     * with a hypercall every millisecond. */
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
