/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The PV console ring the hypervisor serves for a domU itself (xen/common/pv_console.c,
 * docs/console.md): the guest finds the ring's frame and its event channel in
 * HVM_PARAM_CONSOLE_PFN / HVM_PARAM_CONSOLE_EVTCHN, as a Linux PVH or ARM domU's hvc_xen
 * expects; its output goes to the serial console as "(dN) " lines, and serial input
 * switched to it (Ctrl-A x3) goes into the ring's in[]. Only for domains whose boot
 * configuration asks for it (minixen,pv-console); for the others both params stay unset
 * and read -ENOENT.
 */
#ifndef MINIXEN_PV_CONSOLE_H
#define MINIXEN_PV_CONSOLE_H

#include <xen/domain.h>
#include <public/io/console.h>

/*
 * d gets a PV console (its first build, after the static channels are bound, so its port
 * takes none of theirs): the ring page the port reserved (arch_pv_console_gfn) zeroed, a
 * port bound to the hypervisor, both params set, d in the input cycle. 0, -EOPNOTSUPP (the
 * port places no ring), -EINVAL (the frame is not d's RAM), or the binding's error.
 */
int pv_console_enable(struct domain *d);

/* d was rebuilt after a reboot (its params and ports reset): the console again, if it had one. */
int pv_console_restart(struct domain *d);

/*
 * The ring itself, for the two functions above and the host tests. Every index in the
 * page is the guest's to scribble on: each is read once per use, and a ring whose
 * prod - cons exceeds the array is never believed.
 *
 * Take up to max (<= sizeof(out)) bytes the guest produced into buf and advance out_cons
 * past them: the count, or -1 when the indices say more is waiting than out[] holds (then
 * out_cons is set to out_prod: what the guest wrote is lost, the ring usable again).
 */
int pv_console_ring_read(struct xencons_interface *r, char *buf, uint32_t max);
/* Put c into in[]: false (dropped) if in[] is full or its indices are broken. */
bool pv_console_ring_write(struct xencons_interface *r, char c);

/*
 * Print what d's out[] holds as d's console output (the guest's notify, or a test), in ring
 * order, one CPU at a time (another's notify meanwhile leaves it to that one): at most two
 * rings (2 * sizeof(out) bytes) per call, whatever the guest does meanwhile. The ring is
 * locked only while a chunk is copied out, never while the UART prints. The bytes printed.
 */
uint32_t pv_console_drain(struct domain *d);

#endif
