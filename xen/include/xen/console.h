/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor console (xen/common/console.c): guest output, serial input, debug keys.
 *
 * Serial input normally goes to the hypervisor's key handler:
 *   h  help    e  event-channel dump of every domain    q  domains and vCPUs
 * Three Ctrl-A in a row switch input between the hypervisor and dom0 (as Xen does); dom0
 * then receives the characters through CONSOLEIO_read, signalled with VIRQ_CONSOLE.
 */
#ifndef MINIXEN_CONSOLE_H
#define MINIXEN_CONSOLE_H

#include <xen/domain.h>

/* A character arrived on the serial line (the UART driver's receive interrupt). */
void console_input(char c);

/*
 * CONSOLEIO_write on behalf of d: printed line by line as "(dN) text" (dom0 unprefixed,
 * as Xen does), never interleaved mid-line with another domain's output.
 */
void console_guest_write(struct domain *d, const char *buf, size_t len);

/* HYPERVISOR_console_io(cmd, count, buffer). */
long do_console_io(struct vcpu *curr, unsigned int cmd, unsigned long count, uint64_t buffer);

#endif
