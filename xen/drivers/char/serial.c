/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console UART, whichever driver drives it (xen/include/xen/serial.h): the table of
 * linked drivers, register access with a UART's shift, width and I/O space, and the
 * console's output and input.
 */
#include <xen/arch_hooks.h>
#include <xen/irq.h>
#include <xen/lib.h>
#include <xen/serial.h>
#include <xen/spinlock.h>

/* The board's console UART (board.mk UART := <driver>@<address> or <driver>@io<port>):
 * xen/build.mk passes it to this file alone. */
#ifndef BOARD_UART_DRIVER
#define BOARD_UART_DRIVER ""
#define BOARD_UART_BASE   0
#define BOARD_UART_IO     0
#endif

/* The linker gathers every SERIAL_DRIVER() here (the section's name makes the bounds). */
extern const struct serial_driver *const __start_serial_drivers[];
extern const struct serial_driver *const __stop_serial_drivers[];

static struct {
    const struct serial_driver *drv;
    struct serial_resource res;
    spinlock_t lock;
    bool locking; /* false until locks work: exclusives need cacheable RAM on ARM */
} console = {.lock = SPINLOCK_INIT};

const struct serial_driver *serial_driver_by_name(const char *name)
{
    for (const struct serial_driver *const *d = __start_serial_drivers; d < __stop_serial_drivers;
         d++)
        if (strcmp((*d)->name, name) == 0)
            return *d;
    return NULL;
}

const struct serial_driver *serial_driver_by_compatible(const char *compat)
{
    for (const struct serial_driver *const *d = __start_serial_drivers; d < __stop_serial_drivers;
         d++)
        for (const char *const *c = (*d)->compatible; c != NULL && *c != NULL; c++)
            if (strcmp(*c, compat) == 0)
                return *d;
    return NULL;
}

static uint64_t reg_addr(const struct serial_resource *r, unsigned int reg)
{
    return r->base + ((uint64_t)reg << r->reg_shift);
}

uint8_t serial_in(const struct serial_resource *r, unsigned int reg)
{
    if (r->pio != NULL)
        return r->pio->in8(r->base + reg);
    if (r->reg_width == 4)
        return (uint8_t) * (volatile uint32_t *)(uintptr_t)reg_addr(r, reg);
    return *(volatile uint8_t *)(uintptr_t)reg_addr(r, reg);
}

void serial_out(const struct serial_resource *r, unsigned int reg, uint8_t v)
{
    if (r->pio != NULL)
        r->pio->out8(r->base + reg, v);
    else if (r->reg_width == 4)
        *(volatile uint32_t *)(uintptr_t)reg_addr(r, reg) = v;
    else
        *(volatile uint8_t *)(uintptr_t)reg_addr(r, reg) = v;
}

/* 32-bit registers (PL011's) are memory-mapped by nature: no I/O space, no width. */
uint32_t serial_in32(const struct serial_resource *r, unsigned int reg)
{
    return *(volatile uint32_t *)(uintptr_t)reg_addr(r, reg);
}

void serial_out32(const struct serial_resource *r, unsigned int reg, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)reg_addr(r, reg) = v;
}

bool serial_board_console(const struct serial_pio *pio, const struct serial_driver **drv,
                          struct serial_resource *r)
{
    *drv = serial_driver_by_name(BOARD_UART_DRIVER);
    if (*drv == NULL || (BOARD_UART_IO && pio == NULL)) {
        *drv = NULL;
        return false;
    }
    *r = (struct serial_resource){
        .base = BOARD_UART_BASE,
        .pio = BOARD_UART_IO ? pio : NULL,
        .reg_width = (*drv)->default_reg_width,
    };
    return true;
}

void serial_console_start(const struct serial_driver *drv, const struct serial_resource *r)
{
    console.drv = NULL; /* no output through a half-set-up UART */
    if (drv == NULL)
        return;
    console.res = *r;
    drv->init(&console.res);
    console.drv = drv;
}

void serial_console_locking_on(void)
{
    console.locking = true;
}

void serial_console_rx_on(unsigned int irq)
{
    if (console.drv == NULL)
        return;
    irq_register(irq, console.drv->rx_interrupt);
    console.drv->rx_enable();
}

const struct serial_driver *serial_console_driver(void)
{
    return console.drv;
}

const struct serial_resource *serial_console_resource(void)
{
    return &console.res;
}

void arch_console_write(const char *s, size_t len)
{
    const struct serial_driver *drv = console.drv;
    unsigned long flags = 0;

    if (drv == NULL)
        return;
    if (console.locking)
        flags = spin_lock_irqsave(&console.lock);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            drv->write_byte('\r');
        drv->write_byte(s[i]);
    }
    if (console.locking)
        spin_unlock_irqrestore(&console.lock, flags);
}
