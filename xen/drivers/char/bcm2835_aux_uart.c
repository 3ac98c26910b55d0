/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The BCM2835 family's "mini UART" (the auxiliary peripheral's UART1, DT compatible
 * "brcm,bcm2835-aux-uart"): a console driver (xen/include/xen/serial.h). It is the UART a
 * Raspberry Pi 4 has on the header's GPIO 14/15 by default: the PL011 serves Bluetooth
 * unless an overlay the Pi's own DTs carry (Debian's do not) moves it.
 *
 * A cut-down 16550 with 32-bit registers 4 bytes apart and 8-byte FIFOs. Its baud rate
 * comes from the VideoCore's clock, which only the firmware knows (enable_uart=1 fixes it
 * and sets 115200): the divisor, the line format and the enables (AUX_ENABLES, CNTL) are
 * kept as the firmware and U-Boot left them, and nothing is reset, so the last line U-Boot
 * printed is not cut off either.
 */
#include <xen/arch_hooks.h>
#include <xen/console.h>
#include <xen/serial.h>

/* Byte offsets from the UART's base (the DT's reg: AUX base + 0x40). */
#define MU_IO  0x00 /* transmit / receive data */
#define MU_IER 0x04
#define MU_LSR 0x14

#define LSR_DATA_READY 0x01
#define LSR_TX_ROOM    0x20 /* the transmit FIFO can take a byte */
/*
 * Receive interrupt: bit 0, as a 16550's (the datasheet has bits 0 and 1 swapped), and
 * bits 3:2, which the datasheet marks "don't care" but without which no interrupt is
 * raised (the BCM2835 peripherals errata). The UART has no line or modem status
 * interrupts for them to enable instead.
 */
#define IER_RX         0x0d
#define RX_BUDGET      64       /* bytes one interrupt takes at most (the FIFO holds 8) */
#define TX_POLLS       1000000u /* a wedged UART must not hang the hypervisor: drop the byte */

static const struct serial_resource *uart;

static void init(const struct serial_resource *r)
{
    uart = r;
    serial_out32(uart, MU_IER, 0); /* polled output; input waits for rx_enable */
}

static void write_byte(char c)
{
    for (unsigned int i = 0; i < TX_POLLS && (serial_in32(uart, MU_LSR) & LSR_TX_ROOM) == 0; i++)
        arch_cpu_relax();
    serial_out32(uart, MU_IO, (uint8_t)c);
}

static void rx_enable(void)
{
    serial_out32(uart, MU_IER, IER_RX);
}

/* The line is level-triggered and stays up while the FIFO holds a byte: drain it. */
static void rx_interrupt(unsigned int irq)
{
    (void)irq;
    for (unsigned int i = 0; i < RX_BUDGET && (serial_in32(uart, MU_LSR) & LSR_DATA_READY) != 0;
         i++)
        console_input((char)(serial_in32(uart, MU_IO) & 0xff));
}

static const char *const compatible[] = {"brcm,bcm2835-aux-uart", NULL};

static const struct serial_driver bcm2835_aux_driver = {
    .name = "bcm2835-aux",
    .compatible = compatible,
    .default_reg_width = 4,
    .init = init,
    .write_byte = write_byte,
    .rx_enable = rx_enable,
    .rx_interrupt = rx_interrupt,
};
SERIAL_DRIVER(bcm2835_aux_driver);
