/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ARM PL011 UART: the hypervisor console (arch_console_write). Transmit only for now.
 * The firmware (or QEMU) has set the baud rate; we only make sure the UART and its
 * transmitter are enabled. Output is polled: the log is small and must work in a panic.
 */
#include <asm/setup.h>
#include <xen/spinlock.h>

#define UARTDR    0x00
#define UARTFR    0x18
#define UARTCR    0x30
#define FR_TXFF   (1u << 5)
#define FR_BUSY   (1u << 3)
#define CR_UARTEN (1u << 0)
#define CR_TXE    (1u << 8)
#define CR_RXE    (1u << 9)

/* QEMU virt's PL011 until the DT says otherwise: early failures must still be heard. */
static volatile uint32_t *uart = (volatile uint32_t *)0x09000000;
static spinlock_t console_lock = SPINLOCK_INIT;
static bool console_locking; /* only once the MMU is on: exclusives need cacheable RAM */

static inline uint32_t rd(unsigned int off)
{
    return uart[off / 4];
}

static inline void wr(unsigned int off, uint32_t v)
{
    uart[off / 4] = v;
}

void pl011_init(paddr_t base)
{
    if (base != 0)
        uart = (volatile uint32_t *)base;
    wr(UARTCR, rd(UARTCR) | CR_UARTEN | CR_TXE | CR_RXE);
    console_locking = true;
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
    unsigned long flags = 0;

    /* One line at a time from each CPU, so logs from several CPUs do not interleave. */
    if (console_locking)
        flags = spin_lock_irqsave(&console_lock);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            putc_raw('\r');
        putc_raw(s[i]);
    }
    if (console_locking)
        spin_unlock_irqrestore(&console_lock, flags);
}
