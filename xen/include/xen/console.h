/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor console: guest output and HYPERVISOR_console_io (console.c), serial input
 * (console_input.c), the debug keys (keyhandler.c).
 *
 * Serial input goes to one target at a time, as on Xen. From the end of boot
 * (console_endboot) that is dom0 when there is one, else the hypervisor's debug keys.
 * Three Ctrl-A in a row move it on round a cycle:
 *
 *   dom0 -> every domU that registered a console input backend, by domain id
 *        -> the hypervisor's debug keys (h help, e event channels, q domains) -> dom0 ...
 *
 * and the console says where it went ("*** Serial input to DOM1 (type 'CTRL-a' three
 * times to switch input)"). dom0's backend is console_io: its CONSOLEIO_read ring,
 * signalled with VIRQ_CONSOLE. A domain that shuts down or is destroyed leaves the cycle;
 * if it had the input, the input moves on to the next target.
 */
#ifndef MINIXEN_CONSOLE_H
#define MINIXEN_CONSOLE_H

#include <xen/domain.h>

/* A character arrived on the serial line (the UART driver's receive interrupt). */
void console_input(char c);

/*
 * The end of boot, every domain built: input goes to dom0 if it exists (else to the
 * debug keys) and the console prints the switch line, as Xen's last boot line.
 */
void console_endboot(void);

/* Where a domain's serial input goes: its console backend. */
struct console_input_ops {
    /*
     * One character typed while d has the input. Called from the UART's receive
     * interrupt with the console's input lock held: it must not block or wait for another
     * CPU, and must not register or unregister a backend itself.
     */
    void (*receive)(struct domain *d, char c);
};

/*
 * d takes part in the input cycle through ops (an emulated UART, say), from now until it
 * shuts down or is destroyed (or console_unregister_input). A domain rebuilt after a
 * reboot registers again. 0, -EINVAL (no domain or no receive), -EEXIST (d has one).
 */
int console_register_input(struct domain *d, const struct console_input_ops *ops);

/* d leaves the input cycle; if it had the input, the next target gets it. Idempotent. */
void console_unregister_input(struct domain *d);

/*
 * Does d have the serial input now? A hint for how d's output looks (it may change the
 * next moment): taken without the input lock, so any lock may be held around it.
 */
bool console_input_is_with(const struct domain *d);

/* dom0's backend (console.c): its CONSOLEIO_read ring, VIRQ_CONSOLE. */
extern const struct console_input_ops console_io_input_ops;

/*
 * The input cycle as the help key shows it, e.g. "DOM0 -> DOM3 -> minixen" (the target
 * that has the input now in brackets). Always NUL-terminated.
 */
void console_input_describe(char *buf, size_t size);

/*
 * CONSOLEIO_write on behalf of d: printed line by line as "(dN) text" (dom0 unprefixed,
 * as Xen does), never interleaved mid-line with another domain's output.
 */
void console_guest_write(struct domain *d, const char *buf, size_t len);

/* HYPERVISOR_console_io(cmd, count, buffer). */
long do_console_io(struct vcpu *curr, unsigned int cmd, unsigned long count, uint64_t buffer);

#endif
