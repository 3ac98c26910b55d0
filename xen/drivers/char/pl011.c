/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ARM PL011 UART: the hypervisor console (arch_console_write) and its input.
 * The firmware (or QEMU) has set the baud rate; we only make sure the UART, its
 * transmitter and receiver are enabled. Output is polled: the log is small and must work
 * in a panic. Input is interrupt driven (receive and receive-timeout interrupts, so a
 * single key press arrives without waiting for the FIFO to fill): each character goes to
 * console_input() (debug keys, or dom0's console).
 */
#include <asm/gic.h>
#include <asm/setup.h>
#include <xen/console.h>
#include <xen/irq.h>
#include <xen/serial.h>

#define UARTDR    0x00
#define UARTFR    0x18
#define UARTCR    0x30
#define UARTIMSC  0x38
#define UARTICR   0x44
#define FR_RXFE   (1u << 4)
#define INT_RX    (1u << 4) /* receive (FIFO level) */
#define INT_RT    (1u << 6) /* receive timeout (characters waiting, FIFO below level) */
#define DR_ERRORS 0xf00u    /* overrun, break, parity, framing: the byte is not valid */
/* Characters taken per interrupt: the FIFO holds 32, so one interrupt normally drains it. */
#define RX_BUDGET 64
#define FR_TXFF   (1u << 5)
#define FR_BUSY   (1u << 3)
#define CR_UARTEN (1u << 0)
#define CR_TXE    (1u << 8)
#define CR_RXE    (1u << 9)

/* QEMU virt's PL011 until the DT says otherwise: early failures must still be heard. */
static volatile uint32_t *uart = (volatile uint32_t *)0x09000000;
static void putc_raw(char c);
/* Locking only once the MMU is on (init): exclusives need cacheable RAM. */
static struct serial_port port = {.putc = putc_raw, .lock = SPINLOCK_INIT};

static inline uint32_t rd(unsigned int off)
{
    return uart[off / 4];
}

static inline void wr(unsigned int off, uint32_t v)
{
    uart[off / 4] = v;
}

static void init(uint64_t base)
{
    if (base != 0)
        uart = (volatile uint32_t *)base;
    wr(UARTCR, rd(UARTCR) | CR_UARTEN | CR_TXE | CR_RXE);
    wr(UARTICR, INT_RX | INT_RT);
    wr(UARTIMSC, rd(UARTIMSC) | INT_RX | INT_RT); /* delivered once the GIC enables the line */
    port.locking = true;
}

static void rx_interrupt(unsigned int intid)
{
    (void)intid;
    for (unsigned int n = 0; n < RX_BUDGET && (rd(UARTFR) & FR_RXFE) == 0; n++) {
        uint32_t dr = rd(UARTDR);

        if ((dr & DR_ERRORS) == 0)
            console_input((char)(dr & 0xff));
    }
    /* Reading the FIFO below its level clears RX; the timeout needs an explicit clear. */
    wr(UARTICR, INT_RX | INT_RT);
}

static void rx_init(unsigned int intid)
{
    if (intid < 32)
        return; /* no interrupt in the DT: output only, as before the GIC was up */
    irq_register(intid, rx_interrupt);
    gic_enable_irq(intid, true);
}

static void putc_raw(char c)
{
    /* Bounded: a wedged UART must not hang the hypervisor forever; drop the byte. */
    for (unsigned int i = 0; i < 1000000 && (rd(UARTFR) & FR_TXFF) != 0; i++)
        __asm__ __volatile__("yield");
    wr(UARTDR, (uint8_t)c);
}

void arch_console_write(const char *s, size_t len)
{
    serial_write(&port, s, len);
}

static const char *const compatible[] = {"arm,pl011", NULL};

const struct serial_driver serial_board_driver = {
    .name = "pl011",
    .compatible = compatible,
    .init = init,
    .rx_init = rx_init,
};
