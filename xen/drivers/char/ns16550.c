/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 16550-compatible UARTs: a console driver (xen/include/xen/serial.h). COM1 at I/O port
 * 0x3f8 on a PC; memory-mapped, with the DT's reg-shift and reg-io-width, on Arm SoCs
 * (the DesignWare APB UART of many boards is one). Set to 115200 8N1 with FIFOs on: on a
 * PC nothing else sets it, and where firmware did, it chose the same.
 */
#include <xen/arch_hooks.h>
#include <xen/console.h>
#include <xen/serial.h>

#define UART_THR 0 /* transmit holding (DLAB=0) */
#define UART_RBR 0 /* receive buffer (DLAB=0) */
#define UART_DLL 0 /* divisor latch low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5

#define LCR_8N1     0x03
#define LCR_DLAB    0x80
#define FCR_ENABLE  0x07 /* enable, clear both FIFOs */
#define MCR_DTR_RTS 0x03
#define MCR_OUT2    0x08 /* gates the UART's interrupt line on PC boards */
#define IER_RX      0x01
#define LSR_DR      0x01
#define LSR_THRE    0x20
#define RX_BURST    64       /* bytes one interrupt drains at most (the FIFO holds 16) */
#define TX_POLLS    1000000u /* a wedged UART must not hang the hypervisor: drop the byte */
#define DIVISOR     1        /* 115200 baud from the 1.8432 MHz clock of PC UARTs */

static const struct serial_resource *uart;

static void init(const struct serial_resource *r)
{
    uart = r;
    serial_out(uart, UART_IER, 0);
    /* Memory-mapped ones sit on SoC clocks we do not know: keep the firmware's divisor. */
    if (uart->pio != NULL) {
        serial_out(uart, UART_LCR, LCR_DLAB);
        serial_out(uart, UART_DLL, DIVISOR);
        serial_out(uart, UART_DLM, 0);
    }
    serial_out(uart, UART_LCR, LCR_8N1);
    serial_out(uart, UART_FCR, FCR_ENABLE);
    serial_out(uart, UART_MCR, MCR_DTR_RTS);
}

static void write_byte(char c)
{
    for (unsigned int i = 0; i < TX_POLLS && (serial_in(uart, UART_LSR) & LSR_THRE) == 0; i++)
        arch_cpu_relax();
    serial_out(uart, UART_THR, (uint8_t)c);
}

static void rx_enable(void)
{
    serial_out(uart, UART_MCR, MCR_DTR_RTS | MCR_OUT2);
    serial_out(uart, UART_IER, IER_RX);
}

static void rx_interrupt(unsigned int irq)
{
    (void)irq;
    for (unsigned int i = 0; i < RX_BURST && (serial_in(uart, UART_LSR) & LSR_DR) != 0; i++)
        console_input((char)serial_in(uart, UART_RBR));
}

static const char *const compatible[] = {"ns16550a", "ns16550", "snps,dw-apb-uart", NULL};

static const struct serial_driver ns16550_driver = {
    .name = "ns16550",
    .compatible = compatible,
    .default_reg_width = 1,
    .init = init,
    .write_byte = write_byte,
    .rx_enable = rx_enable,
    .rx_interrupt = rx_interrupt,
};
SERIAL_DRIVER(ns16550_driver);
