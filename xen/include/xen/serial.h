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

/*
 * A console UART driver, as the port sees it. The board links exactly one
 * (board.mk UART := <name>@<address>: xen/drivers/char/<name>.c), which defines
 * serial_board_driver; on a port with a host DT the UART node is the one whose
 * compatible the driver lists (ARM: hostdt.c).
 */
struct serial_driver {
    const char *name;
    const char *const *compatible; /* host DT compatibles it drives, NULL-ended; NULL: none */
    /* Polled output from the UART at base (0: the board's default) from here on. */
    void (*init)(uint64_t base);
    /* Once the interrupt controller is up: receive interrupts on irq (the port's number:
     * a GIC INTID, an IDT vector; 0: none), each byte to console_input(). */
    void (*rx_init)(unsigned int irq);
};

extern const struct serial_driver serial_board_driver;

#endif
