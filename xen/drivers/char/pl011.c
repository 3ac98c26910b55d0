/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ARM PL011 UART (and the SBSA generic UART, its subset): a console driver
 * (xen/include/xen/serial.h). The firmware (or QEMU) has set the baud rate; we only make
 * sure the UART, its transmitter and receiver are enabled. Input raises the receive and
 * receive-timeout interrupts, so a single key press arrives without waiting for the FIFO
 * to fill.
 */
#include <xen/arch_hooks.h>
#include <xen/console.h>
#include <xen/pl011_regs.h>
#include <xen/serial.h>

/* Characters taken per interrupt: the FIFO holds 32, so one interrupt normally drains it. */
#define RX_BUDGET 64
/* Polls of a full transmit FIFO before a byte is dropped: a wedged UART must not hang us. */
#define TX_POLLS  1000000u

static const struct serial_resource *uart;

static void init(const struct serial_resource *r)
{
    uart = r;
    serial_out32(uart, UARTCR, serial_in32(uart, UARTCR) | CR_UARTEN | CR_TXE | CR_RXE);
}

static void write_byte(char c)
{
    for (unsigned int i = 0; i < TX_POLLS && (serial_in32(uart, UARTFR) & FR_TXFF) != 0; i++)
        arch_cpu_relax();
    serial_out32(uart, UARTDR, (uint8_t)c);
}

static void rx_enable(void)
{
    serial_out32(uart, UARTICR, INT_RX | INT_RT);
    serial_out32(uart, UARTIMSC, serial_in32(uart, UARTIMSC) | INT_RX | INT_RT);
}

static void rx_interrupt(unsigned int irq)
{
    (void)irq;
    /*
     * Clear first, then drain: a byte that arrives after the last look at RXFE raises the
     * interrupt again. Cleared after the drain, it would be wiped with the others, and
     * the byte would wait for good (an emulated UART takes no more until it is read).
     */
    serial_out32(uart, UARTICR, INT_RX | INT_RT);
    for (unsigned int n = 0; n < RX_BUDGET && (serial_in32(uart, UARTFR) & FR_RXFE) == 0; n++) {
        uint32_t dr = serial_in32(uart, UARTDR);

        if ((dr & DR_ERRORS) == 0)
            console_input((char)(dr & 0xff));
    }
}

static const char *const compatible[] = {"arm,pl011", "arm,sbsa-uart", NULL};

static const struct serial_driver pl011_driver = {
    .name = "pl011",
    .compatible = compatible,
    .default_reg_width = 4,
    .init = init,
    .write_byte = write_byte,
    .rx_enable = rx_enable,
    .rx_interrupt = rx_interrupt,
};
SERIAL_DRIVER(pl011_driver);
