/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cadence UART (Xilinx Zynq and ZynqMP "PS UART"): a console driver (xen/include/xen/serial.h).
 * Registers: Xilinx UG1085 (ZynqMP TRM), UART chapter. Its reset state has the transmitter
 * and receiver disabled; boot firmware enables them, but an image QEMU starts with -kernel
 * runs with no firmware before it, so init enables both. The baud rate stays the
 * firmware's (the reference clock is the SoC's, not known here).
 *
 * Input interrupts on the receive FIFO trigger level, set to one byte so that each key
 * press arrives at once, and on the receiver timeout, which catches a byte the trigger
 * missed while the FIFO was being drained.
 */
#include <xen/arch_hooks.h>
#include <xen/cadence_uart_regs.h>
#include <xen/console.h>
#include <xen/serial.h>

/* Characters taken per interrupt: the FIFO holds 64, so one interrupt normally drains it. */
#define RX_BUDGET  64
/* Polls of a full transmit FIFO before a byte is dropped: a wedged UART must not hang us. */
#define TX_POLLS   1000000u
/* Receiver timeout, in 4 bit periods: about a character and a half of silence. */
#define RX_TIMEOUT 4

static const struct serial_resource *uart;

static void init(const struct serial_resource *r)
{
    uart = r;
    /* Enable both directions and end any break: the DIS bits win over the EN bits. */
    serial_out32(uart, CDNS_CR, CDNS_CR_TX_EN | CDNS_CR_RX_EN | CDNS_CR_STOPBRK);
}

static void write_byte(char c)
{
    for (unsigned int i = 0; i < TX_POLLS && (serial_in32(uart, CDNS_SR) & CDNS_SR_TXFULL) != 0;
         i++)
        arch_cpu_relax();
    serial_out32(uart, CDNS_FIFO, (uint8_t)c);
}

static void rx_enable(void)
{
    serial_out32(uart, CDNS_RXWM, 1);
    serial_out32(uart, CDNS_RXTOUT, RX_TIMEOUT);
    /* Restart the timeout counter so the value above holds from now on. */
    serial_out32(uart, CDNS_CR, serial_in32(uart, CDNS_CR) | CDNS_CR_RSTTO);
    serial_out32(uart, CDNS_ISR, CDNS_IXR_RXTRIG | CDNS_IXR_TOUT); /* stale ones */
    serial_out32(uart, CDNS_IER, CDNS_IXR_RXTRIG | CDNS_IXR_TOUT);
}

static void rx_interrupt(unsigned int irq)
{
    (void)irq;
    /*
     * Clear first, then drain (write 1 to clear): a byte that arrives after the last look
     * at RXEMPTY raises the interrupt again instead of being wiped with the others.
     */
    serial_out32(uart, CDNS_ISR, CDNS_IXR_RXTRIG | CDNS_IXR_TOUT);
    for (unsigned int n = 0; n < RX_BUDGET && (serial_in32(uart, CDNS_SR) & CDNS_SR_RXEMPTY) == 0;
         n++)
        console_input((char)(serial_in32(uart, CDNS_FIFO) & 0xff));
}

/* Zynq-7000's "xlnx,xuartps" and "cdns,uart-r1p8", ZynqMP's "cdns,uart-r1p12". */
static const char *const compatible[] = {"cdns,uart-r1p12", "xlnx,xuartps", "cdns,uart-r1p8", NULL};

static const struct serial_driver cadence_driver = {
    .name = "cadence",
    .compatible = compatible,
    .default_reg_width = 4,
    .init = init,
    .write_byte = write_byte,
    .rx_enable = rx_enable,
    .rx_interrupt = rx_interrupt,
};
SERIAL_DRIVER(cadence_driver);
