/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The emu backend's broker: the process that is the emulated machine's hypervisor. The
 * first client of a machine starts it (emu_broker_spawn); it serves every client of the
 * machine over its Unix socket and exits a short while after its last client left.
 */
#ifndef MINIXEN_EVTCHN_EMU_BROKER_H
#define MINIXEN_EVTCHN_EMU_BROKER_H

#include "emu_proto.h"

/* Milliseconds the broker outlives its last client (a program that reopens keeps it). */
#define EMU_BROKER_GRACE_MS 300

/*
 * Start a broker for the machine whose socket is sock_path, detached from the caller
 * (fork twice, setsid), running abi (EMU_ABI_ANY: 2-level). If another broker already
 * serves the machine, or is starting, the new one exits at once: the machine's lock file
 * (sock_path + ".lock", which holds the broker's pid) lets only one live. 0 or -errno.
 */
int emu_broker_spawn(const char *sock_path, enum emu_abi abi);

/* The broker's service loop on its listening socket (emu_broker.c); returns when the
 * last client left EMU_BROKER_GRACE_MS ago. */
void emu_broker_serve(int listen_fd, enum emu_abi abi);

#endif /* MINIXEN_EVTCHN_EMU_BROKER_H */
