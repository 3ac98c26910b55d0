/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What every console UART driver (xen/drivers/char/) shares: writing the hypervisor's
 * log through the driver's own one-byte output, a line at a time from each CPU (so the
 * logs of several CPUs do not interleave) and with a CR before each LF, as a terminal
 * wants. A driver implements arch_console_write() as serial_write(&its_port, s, len).
 */
#ifndef MINIXEN_SERIAL_H
#define MINIXEN_SERIAL_H

#include <xen/spinlock.h>
#include <xen/types.h>

struct serial_port {
    void (*putc)(char c); /* one byte out; waits a bounded time for room, else drops it */
    spinlock_t lock;
    bool locking; /* false until locks work (ARM: not before the MMU makes RAM cacheable) */
};

void serial_write(struct serial_port *p, const char *s, size_t len);

#endif
