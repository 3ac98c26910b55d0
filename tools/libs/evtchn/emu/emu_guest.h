/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest kernel's half of an emulated domain, which the broker runs for the domain's
 * processes (no one of them is "the kernel"): the FIFO set-up a guest does at boot, and
 * the upcall handler that finds the ports that fired, as Linux's evtchn driver does on an
 * upcall: each one is masked, its pending state cleared, and handed to `deliver`.
 *
 * Every word read here is in memory the domain's processes may write at any time: the
 * scans are bounded and every port number is checked before it indexes anything.
 */
#ifndef MINIXEN_EVTCHN_EMU_GUEST_H
#define MINIXEN_EVTCHN_EMU_GUEST_H

#include "emu_machine.h"

typedef void (*emu_deliver_fn)(struct emu_domain *ed, evtchn_port_t port);

/* Switch the domain to FIFO as a guest does: init_control, then one array page. */
int emu_guest_setup_fifo(struct emu_domain *ed);
/* FIFO: expand the event array until it holds port (no-op on 2-level). 0 or -errno. */
int emu_guest_fifo_cover(struct emu_domain *ed, evtchn_port_t port);
/* Run the upcall handler of the domain's vCPU 0. */
void emu_guest_upcall(struct emu_domain *ed, emu_deliver_fn deliver);

#endif /* MINIXEN_EVTCHN_EMU_GUEST_H */
