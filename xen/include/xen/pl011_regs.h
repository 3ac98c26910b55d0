/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Arm PL011 UART's registers (PL011 TRM; the SBSA generic UART is their subset), for
 * the two sides that know them: the console driver (xen/drivers/char/pl011.c) and the ARM
 * port's emulated one a guest gets (xen/arch/arm/vpl011.c). Byte offsets.
 */
#ifndef MINIXEN_PL011_REGS_H
#define MINIXEN_PL011_REGS_H

#define UARTDR   0x000 /* data; on reads bits 8-11 are the byte's errors */
#define UARTRSR  0x004 /* receive status / error clear */
#define UARTFR   0x018 /* flags */
#define UARTCR   0x030 /* control */
#define UARTIMSC 0x038 /* interrupt mask (1: enabled) */
#define UARTRIS  0x03c /* raw interrupt status */
#define UARTMIS  0x040 /* masked interrupt status: RIS & IMSC */
#define UARTICR  0x044 /* interrupt clear (write-only) */

#define DR_ERRORS 0xf00u /* overrun, break, parity, framing: the byte is not valid */

#define FR_BUSY (1u << 3)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)

#define CR_UARTEN (1u << 0)
#define CR_TXE    (1u << 8)
#define CR_RXE    (1u << 9)

/* Bits of IMSC, RIS, MIS and ICR. */
#define INT_RX  (1u << 4) /* receive (FIFO at its level) */
#define INT_TX  (1u << 5) /* transmit */
#define INT_RT  (1u << 6) /* receive timeout (bytes waiting, FIFO below its level) */
#define INT_ALL 0x7ffu    /* all eleven */

#endif
