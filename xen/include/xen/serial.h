/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor's console UART (xen/drivers/char/).
 *
 * Every port links every driver in xen/drivers/char/, and the console is chosen at run
 * time: from the host device tree where there is one (its /chosen stdout-path, else the
 * first UART some driver drives: serial_dt_console()), else from the board
 * (board.mk UART := <driver>@<address>, which is also the console until the DT is read).
 * A new board's UART is one new file there: a struct serial_driver and SERIAL_DRIVER().
 *
 * Output goes a line at a time from each CPU (so the logs of several CPUs do not
 * interleave), with a CR before each LF, as a terminal wants; it is polled, because the
 * log is small and must work in a panic. Input is interrupt driven: each byte to
 * console_input().
 */
#ifndef MINIXEN_SERIAL_H
#define MINIXEN_SERIAL_H

#include <xen/types.h>

/*
 * An I/O space other than memory (x86's in/out ports), given by the port that has one.
 * A driver never calls it directly: serial_in()/serial_out() do.
 */
struct serial_pio {
    uint8_t (*in8)(uint64_t port);
    void (*out8)(uint64_t port, uint8_t v);
};

/* Where one UART's registers are. */
struct serial_resource {
    uint64_t base;                /* physical address (MMIO), or first port (pio) */
    const struct serial_pio *pio; /* NULL: memory-mapped at base */
    unsigned int reg_shift;       /* register r at base + (r << reg_shift) (DT reg-shift) */
    unsigned int reg_width;       /* bytes per MMIO access: 1 or 4 (DT reg-io-width; 0: 1) */
};

struct serial_driver {
    const char *name;               /* as board.mk's UART names it */
    const char *const *compatible;  /* DT compatibles it drives, NULL-ended */
    unsigned int default_reg_width; /* its registers' width when the DT does not say */
    /* Take the UART at r for polled output (and enable its receiver). */
    void (*init)(const struct serial_resource *r);
    /* One byte out; waits a bounded time for room, else drops it. */
    void (*write_byte)(char c);
    /* Raise an interrupt for each received byte (the port routes and enables the line). */
    void (*rx_enable)(void);
    /* The interrupt: every waiting byte (a bounded number) to console_input(). */
    void (*rx_interrupt)(unsigned int irq);
};

/* Puts a driver in the table every port links (the serial_drivers section). */
#define SERIAL_DRIVER(drv)                                                                         \
    static const struct serial_driver *const serial_driver_entry_##drv                             \
        __attribute__((used, section("serial_drivers"), aligned(sizeof(void *)))) = &drv

const struct serial_driver *serial_driver_by_name(const char *name);
const struct serial_driver *serial_driver_by_compatible(const char *compat);

/* Register access for drivers: r's shift, width and I/O space applied. */
uint8_t serial_in(const struct serial_resource *r, unsigned int reg);
void serial_out(const struct serial_resource *r, unsigned int reg, uint8_t v);
uint32_t serial_in32(const struct serial_resource *r, unsigned int reg);
void serial_out32(const struct serial_resource *r, unsigned int reg, uint32_t v);

/*
 * The board's console (board.mk UART), before any DT is read: its driver and resource,
 * with pio as the port's I/O space (NULL if it has none). False (and *drv NULL) if the
 * board names no driver that is linked, or an I/O port UART on a port without the space.
 */
bool serial_board_console(const struct serial_pio *pio, const struct serial_driver **drv,
                          struct serial_resource *r);

/* Console output through drv at r from here on (drv NULL: none). */
void serial_console_start(const struct serial_driver *drv, const struct serial_resource *r);
/* CPUs take turns on the console from here on (ARM: once the MMU makes RAM cacheable). */
void serial_console_locking_on(void);
/* Input from the console UART on irq (the port's number); the port then enables it. */
void serial_console_rx_on(unsigned int irq);
/* The console's driver and resource (for the log and the port's memory map). */
const struct serial_driver *serial_console_driver(void);
const struct serial_resource *serial_console_resource(void);

struct fdt;
struct fdt_node;

/*
 * The console UART the host DT names: /chosen's stdout-path (a path or an /aliases name,
 * options after ':' ignored), else the first available node some driver drives. Fills
 * drv, r and node (for the port to read its interrupt); false if none.
 */
bool serial_dt_console(const struct fdt *fdt, const struct serial_driver **drv,
                       struct serial_resource *r, struct fdt_node *node);

#endif
