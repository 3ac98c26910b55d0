/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cadence UART registers (Xilinx UG1085, the ZynqMP TRM: UART chapter), for the driver
 * and its host test. All 32 bits wide; offsets from the UART's base.
 */
#ifndef MINIXEN_CADENCE_UART_REGS_H
#define MINIXEN_CADENCE_UART_REGS_H

#define CDNS_CR      0x00 /* control */
#define CDNS_MR      0x04 /* mode: character length, parity, stop bits, channel mode */
#define CDNS_IER     0x08 /* interrupt enable (write 1 to set a bit of IMR) */
#define CDNS_IDR     0x0c /* interrupt disable (write 1 to clear a bit of IMR) */
#define CDNS_IMR     0x10 /* interrupt mask (1: enabled), read-only */
#define CDNS_ISR     0x14 /* interrupt status, write 1 to clear */
#define CDNS_BAUDGEN 0x18 /* baud rate generator */
#define CDNS_RXTOUT  0x1c /* receiver timeout, in 4 bit periods (0: off) */
#define CDNS_RXWM    0x20 /* receive FIFO trigger level */
#define CDNS_MODEMCR 0x24 /* modem control */
#define CDNS_MODEMSR 0x28 /* modem status */
#define CDNS_SR      0x2c /* channel status */
#define CDNS_FIFO    0x30 /* transmit and receive FIFO */
#define CDNS_BAUDDIV 0x34 /* baud rate divider */

/* CR: an EN bit works only with its DIS bit clear. */
#define CDNS_CR_RXRST   (1u << 0)
#define CDNS_CR_TXRST   (1u << 1)
#define CDNS_CR_RX_EN   (1u << 2)
#define CDNS_CR_RX_DIS  (1u << 3)
#define CDNS_CR_TX_EN   (1u << 4)
#define CDNS_CR_TX_DIS  (1u << 5)
#define CDNS_CR_RSTTO   (1u << 6) /* restart the receiver timeout counter */
#define CDNS_CR_STOPBRK (1u << 8)

/* SR (the FIFO states) */
#define CDNS_SR_RXTRIG  (1u << 0)
#define CDNS_SR_RXEMPTY (1u << 1)
#define CDNS_SR_RXFULL  (1u << 2)
#define CDNS_SR_TXEMPTY (1u << 3)
#define CDNS_SR_TXFULL  (1u << 4)

/* IER, IDR, IMR, ISR: one layout */
#define CDNS_IXR_RXTRIG (1u << 0) /* the receive FIFO reached RXWM */
#define CDNS_IXR_RXOVR  (1u << 5)
#define CDNS_IXR_TOUT   (1u << 8) /* receiver timeout */

#endif
