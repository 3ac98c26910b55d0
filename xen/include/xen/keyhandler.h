/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor's debug keys (xen/common/keyhandler.c), typed on the serial line while
 * the input is switched to the hypervisor (xen/include/xen/console.h):
 *   h  help (with the input cycle)   e  event channels of every domain
 *   q  domains and vCPUs
 * Unassigned keys do nothing, as on Xen.
 */
#ifndef MINIXEN_KEYHANDLER_H
#define MINIXEN_KEYHANDLER_H

/* One key for the hypervisor (the UART's interrupt, no lock held). */
void debug_key(char c);

#endif
