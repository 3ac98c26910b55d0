/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A 16550 UART at I/O port UART_IO (board.mk: UART := ns16550@io<port>; COM1 on a PC):
 * the hypervisor console (arch_console_write).
 * 115200 8N1, FIFOs on. Output is polled: the log is small and must work in a panic.
 */
#include <asm/platform.h>
#include <asm/setup.h>
#include <xen/irq.h>
#include <xen/console.h>
#include <xen/serial.h>

#ifndef UART_IO
#define UART_IO 0x3f8
#endif

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
#define RX_BURST    64 /* bytes one interrupt drains at most (the FIFO holds 16) */
#define LSR_DR      0x01
#define LSR_THRE    0x20

static void putc_raw(char c);
static struct serial_port port = {.putc = putc_raw, .lock = SPINLOCK_INIT, .locking = true};

static void init(uint64_t base)
{
    (void)base; /* the board's I/O port, UART_IO (board.mk) */
    outb(UART_IO + UART_IER, 0);
    outb(UART_IO + UART_LCR, LCR_DLAB);
    outb(UART_IO + UART_DLL, 1); /* 115200 / 1 */
    outb(UART_IO + UART_DLM, 0);
    outb(UART_IO + UART_LCR, LCR_8N1);
    outb(UART_IO + UART_FCR, FCR_ENABLE);
    outb(UART_IO + UART_MCR, MCR_DTR_RTS);
}

static void putc_raw(char c)
{
    /* Bounded: a wedged UART must not hang the hypervisor forever; drop the byte. */
    for (unsigned int i = 0; i < 1000000 && (inb(UART_IO + UART_LSR) & LSR_THRE) == 0; i++)
        __asm__ __volatile__("pause");
    outb(UART_IO + UART_THR, (uint8_t)c);
}

/* A received byte, or -1 if none is waiting. */
static int uart_getc(void)
{
    if ((inb(UART_IO + UART_LSR) & LSR_DR) == 0)
        return -1;
    return inb(UART_IO + UART_RBR);
}

static void rx_interrupt(unsigned int irq)
{
    (void)irq;
    for (unsigned int i = 0; i < RX_BURST; i++) {
        int c = uart_getc();

        if (c < 0)
            break;
        console_input((char)c);
    }
}

static void rx_init(unsigned int vector)
{
    irq_register(vector, rx_interrupt);
    outb(UART_IO + UART_MCR, MCR_DTR_RTS | MCR_OUT2);
    outb(UART_IO + UART_IER, IER_RX);
}

void arch_console_write(const char *s, size_t len)
{
    serial_write(&port, s, len);
}

const struct serial_driver serial_board_driver = {
    .name = "ns16550",
    .compatible = NULL, /* no host DT on the PC: the board names its port */
    .init = init,
    .rx_init = rx_init,
};
