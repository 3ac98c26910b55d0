/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the machine does when the hardware domain shuts down (xen/common/shutdown.c), as
 * on Xen:
 *
 *   poweroff                     "Hardware Dom0 halted: halting machine"; powered off
 *   reboot                       "Hardware Dom0 shutdown: rebooting machine"; reset
 *   crash, and any other reason  "... rebooting machine in 5 seconds."; reset after 5 s,
 *                                or with `noreboot` on the hypervisor's command line
 *                                "... 'noreboot' set - not rebooting."; halted
 *
 * A domU's shutdown never touches the machine (domain_shutdown, sched.c).
 */
#ifndef MINIXEN_SHUTDOWN_H
#define MINIXEN_SHUTDOWN_H

#include <xen/domain.h>

#define HWDOM_REBOOT_DELAY_MS 5000 /* after a crash, as Xen: time to read the console */

/* The hardware domain: dom0, the one that owns the machine's devices and its console. */
static inline bool is_hardware_domain(const struct domain *d)
{
    return d->domain_id == 0;
}

/*
 * d, the hardware domain, has just shut down for reason (SHUTDOWN_*): the machine does
 * what Xen's does (the table above). Called by domain_shutdown() only, no lock held.
 */
void hwdom_shutdown(struct domain *d, unsigned int reason) __attribute__((noreturn));

/*
 * Stop the machine where it is: every domain paused, so the other CPUs stop running
 * guests and idle; this CPU halts (arch_halt). For `noreboot`, and for a port whose
 * power-off or reset did not happen.
 */
void machine_halt(void) __attribute__((noreturn));

/*
 * Read the shutdown options from a hypervisor command line: `noreboot` (or noreboot=1,
 * yes, true, on) and noreboot=0 (no, false, off). A line without the option changes
 * nothing, so a port may pass each command line it has (ARM: xen,xen-bootargs; x86: the
 * Multiboot command line and xen,xen-bootargs).
 */
void shutdown_parse_cmdline(const char *cmdline);

#endif
