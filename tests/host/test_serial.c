/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console UART layer (xen/drivers/char/) on fake hardware: the driver table every
 * port links, the choice of the console from a host DT (the DTs of tests/host/serial_dt:
 * stdout-path by path or alias, the first driven UART otherwise, hostile names and
 * spacings), the board's UART, and the PL011, 16550, Cadence and BCM2835 mini UART drivers
 * on fake registers, memory-mapped with each spacing and width and through a fake I/O
 * port space: what init programs, console output with its CR before LF, bounded waits on
 * a wedged transmitter, and input through the interrupt into the console's input cycle,
 * bounded per interrupt.
 *
 * The host build gives serial.c a board UART of "ns16550@io0x3f8" (host.mk), as the PC's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/console.h>
#include <xen/domain.h>
#include <xen/fdt.h>
#include <xen/cadence_uart_regs.h>
#include <xen/irq.h>
#include <xen/pl011_regs.h>
#include <xen/serial.h>

#include "serial_dt_dtbs.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define CTRL_A        0x01

/* ---- The port's side: one interrupt handler, as irq_register() keeps it ------------------ */

static irq_handler_t registered;
static unsigned int registered_irq;

void irq_register(unsigned int irq, irq_handler_t h)
{
    registered = h;
    registered_irq = irq;
}

/* ---- Where received bytes end up: a domain in the console's input cycle ------------------ */

static struct domain fake_dom = {.domain_id = 1};
static char received[512];
static size_t nr_received;

static void receive(struct domain *d, char c)
{
    assert_ptr_equal(d, &fake_dom);
    if (nr_received < sizeof(received))
        received[nr_received++] = c;
}

static const struct console_input_ops fake_input = {.receive = receive};

/* Input goes to fake_dom from here on (three Ctrl-As move it along the cycle). */
static void input_to_fake_dom(void)
{
    assert_int_equal(console_register_input(&fake_dom, &fake_input), 0);
    for (int i = 0; i < 3; i++)
        console_input(CTRL_A);
    nr_received = 0;
}

/* ---- A fake 16550 on a fake I/O port space ----------------------------------------------- */

#define COM1 0x3f8

static uint8_t pio_regs[8]; /* what was last written, by register */
static char pio_tx[256];    /* every byte written to THR (DLAB clear) */
static size_t pio_tx_len;
static char pio_rx[256]; /* bytes waiting to be received */
static size_t pio_rx_len, pio_rx_pos;
static bool pio_tx_wedged; /* THRE never sets */
static unsigned long lsr_reads;

static uint8_t pio_in8(uint64_t port)
{
    unsigned int reg = (unsigned int)(port - COM1);

    assert_true(port >= COM1 && reg < 8);
    if (reg == 5) { /* LSR */
        lsr_reads++;
        return (uint8_t)((pio_tx_wedged ? 0 : 0x20) | (pio_rx_pos < pio_rx_len ? 0x01 : 0));
    }
    if (reg == 0 && (pio_regs[3] & 0x80) == 0) /* RBR */
        return pio_rx_pos < pio_rx_len ? (uint8_t)pio_rx[pio_rx_pos++] : 0;
    return pio_regs[reg];
}

static void pio_out8(uint64_t port, uint8_t v)
{
    unsigned int reg = (unsigned int)(port - COM1);

    assert_true(port >= COM1 && reg < 8);
    if (reg == 0 && (pio_regs[3] & 0x80) == 0 && pio_tx_len < sizeof(pio_tx))
        pio_tx[pio_tx_len++] = (char)v;
    pio_regs[reg] = v;
}

static const struct serial_pio fake_pio = {.in8 = pio_in8, .out8 = pio_out8};

/* ---- Memory-mapped registers: plain memory the drivers read and write -------------------- */

static uint32_t mmio[64];

static int reset(void **state)
{
    (void)state;
    serial_console_start(NULL, NULL);
    console_unregister_input(&fake_dom);
    memset(pio_regs, 0, sizeof(pio_regs));
    memset(mmio, 0, sizeof(mmio));
    pio_tx_len = pio_rx_len = pio_rx_pos = 0;
    pio_tx_wedged = false;
    lsr_reads = 0;
    nr_received = 0;
    registered = NULL;
    return 0;
}

/* ---- The driver table -------------------------------------------------------------------- */

static void test_driver_table(void **state)
{
    (void)state;
    assert_string_equal(serial_driver_by_name("pl011")->name, "pl011");
    assert_string_equal(serial_driver_by_name("ns16550")->name, "ns16550");
    assert_null(serial_driver_by_name(""));
    assert_null(serial_driver_by_name("pl01"));
    assert_ptr_equal(serial_driver_by_compatible("arm,pl011"), serial_driver_by_name("pl011"));
    assert_ptr_equal(serial_driver_by_compatible("arm,sbsa-uart"), serial_driver_by_name("pl011"));
    assert_ptr_equal(serial_driver_by_compatible("ns16550a"), serial_driver_by_name("ns16550"));
    assert_ptr_equal(serial_driver_by_compatible("snps,dw-apb-uart"),
                     serial_driver_by_name("ns16550"));
    assert_ptr_equal(serial_driver_by_compatible("brcm,bcm2835-aux-uart"),
                     serial_driver_by_name("bcm2835-aux"));
    assert_null(serial_driver_by_compatible("brcm,bcm2835-aux")); /* the clock, not the UART */
    assert_null(serial_driver_by_compatible("arm,primecell"));
    assert_string_equal(serial_driver_by_name("cadence")->name, "cadence");
    assert_ptr_equal(serial_driver_by_compatible("cdns,uart-r1p12"),
                     serial_driver_by_name("cadence"));
    assert_ptr_equal(serial_driver_by_compatible("xlnx,xuartps"), serial_driver_by_name("cadence"));
    assert_ptr_equal(serial_driver_by_compatible("cdns,uart-r1p8"),
                     serial_driver_by_name("cadence"));
    assert_null(serial_driver_by_compatible("xlnx,zynqmp-uart"));
}

/* ---- The console the host DT names ------------------------------------------------------- */

struct dt_case {
    const char *dt;
    bool found;
    const char *driver;
    uint64_t base;
    unsigned int shift, width;
    const char *node;
};

static const struct dt_case dt_cases[] = {
    {"two-uarts-path", true, "ns16550", 0xfe201000, 2, 4, "serial@fe201000"},
    {"alias", true, "ns16550", 0xfe215040, 2, 1, "serial@fe215040"},
    {"no-stdout-path", true, "pl011", 0x9040000, 0, 4, "pl011@9040000"},
    {"path-no-driver", true, "pl011", 0x9000000, 0, 4, "pl011@9000000"},
    {"path-no-unit", true, "ns16550", 0xfe201000, 0, 1, "serial@fe201000"},
    {"bad-spacing", true, "ns16550", 0xfe204000, 0, 1, "serial@fe204000"},
    {"alias-loop", true, "pl011", 0x9000000, 0, 4, "pl011@9000000"},
    {"bus-ranges", true, "bcm2835-aux", 0xfe215040, 0, 4, "serial@7e215040"},
    {"long-path", true, "pl011", 0x9000000, 0, 4, "pl011@9000000"},
    {"zynqmp", true, "cadence", 0xff000000, 0, 4, "serial@ff000000"},
    {"none", false, NULL, 0, 0, 0, NULL},
};

static const unsigned char *dtb_named(const char *name, size_t *size)
{
    for (size_t i = 0; i < ARRAY_SIZE(serial_dt_dtbs); i++)
        if (strcmp(serial_dt_dtbs[i].name, name) == 0) {
            *size = serial_dt_dtbs[i].size;
            return serial_dt_dtbs[i].blob;
        }
    fail_msg("no DT %s", name);
    return NULL;
}

static void test_dt_console(void **state)
{
    (void)state;
    assert_int_equal(ARRAY_SIZE(dt_cases), ARRAY_SIZE(serial_dt_dtbs));
    for (size_t i = 0; i < ARRAY_SIZE(dt_cases); i++) {
        const struct dt_case *c = &dt_cases[i];
        const struct serial_driver *drv = NULL;
        struct serial_resource r;
        struct fdt_node node;
        struct fdt fdt;
        size_t size = 0;
        const unsigned char *blob = dtb_named(c->dt, &size);
        bool found;

        assert_int_equal(fdt_open(&fdt, blob, size), 0);
        found = serial_dt_console(&fdt, &drv, &r, &node);
        if (found != c->found)
            fail_msg("%s: found %d, want %d", c->dt, found, c->found);
        if (!found)
            continue;
        if (strcmp(drv->name, c->driver) != 0 || r.base != c->base || r.reg_shift != c->shift ||
            r.reg_width != c->width || r.pio != NULL || strcmp(node.name, c->node) != 0)
            fail_msg("%s: %s at 0x%llx shift %u width %u node %s; want %s at 0x%llx %u %u %s",
                     c->dt, drv->name, (unsigned long long)r.base, r.reg_shift, r.reg_width,
                     node.name, c->driver, (unsigned long long)c->base, c->shift, c->width,
                     c->node);
    }
}

/* ---- The board's UART -------------------------------------------------------------------- */

static void test_board_console(void **state)
{
    const struct serial_driver *drv;
    struct serial_resource r;

    (void)state;
    /* An I/O port UART needs the port's I/O space. */
    assert_false(serial_board_console(NULL, &drv, &r));
    assert_true(serial_board_console(&fake_pio, &drv, &r));
    assert_string_equal(drv->name, "ns16550");
    assert_int_equal(r.base, COM1);
    assert_ptr_equal(r.pio, &fake_pio);
}

/* ---- 16550 on I/O ports (COM1) ----------------------------------------------------------- */

static void start_com1(void)
{
    const struct serial_driver *drv;
    struct serial_resource r;

    assert_true(serial_board_console(&fake_pio, &drv, &r));
    serial_console_start(drv, &r);
}

static void test_16550_pio_output(void **state)
{
    (void)state;
    start_com1();
    assert_ptr_equal(serial_console_driver(), serial_driver_by_name("ns16550"));
    /* 115200 8N1: divisor 1 under DLAB, then 8N1 with DLAB clear, FIFOs on, DTR+RTS. */
    assert_int_equal(pio_regs[0], 1);
    assert_int_equal(pio_regs[1], 0);
    assert_int_equal(pio_regs[3], 0x03);
    assert_int_equal(pio_regs[2], 0x07);
    assert_int_equal(pio_regs[4], 0x03);
    assert_int_equal(pio_tx_len, 0); /* the divisor went to DLL, not out of the line */

    arch_console_write("ab\ncd\n", 6);
    assert_int_equal(pio_tx_len, 8);
    assert_memory_equal(pio_tx, "ab\r\ncd\r\n", 8);
    serial_console_locking_on();
    arch_console_write("e", 1);
    assert_int_equal(pio_tx_len, 9);
    assert_int_equal(pio_tx[8], 'e');
}

/* A transmitter that never empties costs a bounded wait per byte, never a hang. */
static void test_16550_wedged_transmitter(void **state)
{
    (void)state;
    start_com1();
    pio_tx_wedged = true;
    lsr_reads = 0;
    arch_console_write("x", 1);
    assert_int_equal(lsr_reads, 1000000);
    assert_int_equal(pio_tx_len, 1);
}

static void test_16550_pio_input(void **state)
{
    (void)state;
    start_com1();
    serial_console_rx_on(0x40);
    assert_non_null(registered);
    assert_int_equal(registered_irq, 0x40);
    assert_int_equal(pio_regs[1], 0x01);        /* IER: receive data available */
    assert_int_equal(pio_regs[4], 0x03 | 0x08); /* OUT2 gates the PC's interrupt line */

    input_to_fake_dom();
    /* 100 bytes waiting: one interrupt takes at most 64 of them, the next the rest. */
    for (size_t i = 0; i < 100; i++)
        pio_rx[i] = (char)('0' + i % 10);
    pio_rx_len = 100;
    pio_rx_pos = 0;
    registered(registered_irq);
    assert_int_equal(nr_received, 64);
    registered(registered_irq);
    assert_int_equal(nr_received, 100);
    assert_memory_equal(received, pio_rx, 100);
    registered(registered_irq); /* nothing waiting: nothing delivered */
    assert_int_equal(nr_received, 100);
}

/* ---- 16550 memory-mapped, with the DT's spacing and width -------------------------------- */

static void test_16550_mmio_spacing(void **state)
{
    const struct serial_driver *drv = serial_driver_by_name("ns16550");
    struct serial_resource r = {.base = (uintptr_t)mmio, .reg_shift = 2, .reg_width = 4};

    (void)state;
    mmio[5] = 0x20; /* LSR: THRE */
    mmio[3] = 0x1b; /* the firmware's LCR */
    mmio[0] = 0x55; /* ... and divisor: kept (the SoC's clock is not known here) */
    serial_console_start(drv, &r);
    assert_int_equal(mmio[3], 0x03);
    assert_int_equal(mmio[2], 0x07);
    assert_int_equal(mmio[1], 0);
    arch_console_write("z", 1);
    assert_int_equal(mmio[0], 'z'); /* THR at offset 0, a 32-bit store */

    /* Byte registers, packed (reg-shift 0, reg-io-width 1). */
    memset(mmio, 0, sizeof(mmio));
    ((uint8_t *)mmio)[5] = 0x20;
    r = (struct serial_resource){.base = (uintptr_t)mmio, .reg_width = 1};
    serial_console_start(drv, &r);
    assert_int_equal(((uint8_t *)mmio)[3], 0x03);
    assert_int_equal(((uint8_t *)mmio)[2], 0x07);
    arch_console_write("q", 1);
    assert_int_equal(((uint8_t *)mmio)[0], 'q');
    assert_int_equal(((uint8_t *)mmio)[1], 0); /* IER: the byte next to THR untouched */
}

/* ---- PL011 ------------------------------------------------------------------------------- */

/* 32-bit registers: their index in mmio[]. */
#define PL011_DR   (UARTDR / 4)
#define PL011_FR   (UARTFR / 4)
#define PL011_CR   (UARTCR / 4)
#define PL011_IMSC (UARTIMSC / 4)
#define PL011_ICR  (UARTICR / 4)

static void start_pl011(void)
{
    struct serial_resource r = {.base = (uintptr_t)mmio, .reg_width = 4};

    serial_console_start(serial_driver_by_name("pl011"), &r);
}

static void test_pl011_output(void **state)
{
    (void)state;
    mmio[PL011_CR] = 0x80; /* a firmware bit that must stay */
    start_pl011();
    assert_int_equal(mmio[PL011_CR], 0x80 | CR_UARTEN | CR_TXE | CR_RXE);
    assert_int_equal(mmio[PL011_IMSC], 0); /* no interrupt until asked */
    arch_console_write("\n", 1);
    assert_int_equal(mmio[PL011_DR], '\n'); /* after its '\r' */
}

static void test_pl011_input(void **state)
{
    (void)state;
    start_pl011();
    serial_console_rx_on(33);
    assert_int_equal(registered_irq, 33);
    assert_int_equal(mmio[PL011_IMSC], INT_RX | INT_RT); /* RX and RX timeout */
    input_to_fake_dom();

    /* Plain memory never shows an empty FIFO: one interrupt still takes a bounded 64. */
    mmio[PL011_FR] = 0;
    mmio[PL011_DR] = 'k';
    registered(registered_irq);
    assert_int_equal(nr_received, 64);
    assert_int_equal(received[63], 'k');
    assert_int_equal(mmio[PL011_ICR], INT_RX | INT_RT); /* the timeout cleared */

    /* A byte with a framing, parity, break or overrun error is no input. */
    mmio[PL011_DR] = 0x100 | 'e'; /* FE, a framing error: one of DR_ERRORS */
    registered(registered_irq);
    assert_int_equal(nr_received, 64);

    /* An empty FIFO: nothing read. */
    mmio[PL011_FR] = FR_RXFE;
    mmio[PL011_DR] = 'n';
    registered(registered_irq);
    assert_int_equal(nr_received, 64);
}

/* ---- Cadence UART ----------------------------------------------------------------------- */

/* 32-bit registers: their index in mmio[]. */
#define CDNS(reg) ((reg) / 4)

static void start_cadence(void)
{
    struct serial_resource r = {.base = (uintptr_t)mmio, .reg_width = 4};

    serial_console_start(serial_driver_by_name("cadence"), &r);
}

static void test_cadence_output(void **state)
{
    (void)state;
    /* Its reset state: both directions disabled, a break stopped. */
    mmio[CDNS(CDNS_CR)] = CDNS_CR_TX_DIS | CDNS_CR_RX_DIS | CDNS_CR_STOPBRK;
    mmio[CDNS(CDNS_BAUDGEN)] = 0x3e; /* the firmware's baud rate: kept */
    mmio[CDNS(CDNS_SR)] = CDNS_SR_TXEMPTY | CDNS_SR_RXEMPTY;
    start_cadence();
    assert_int_equal(mmio[CDNS(CDNS_CR)], CDNS_CR_TX_EN | CDNS_CR_RX_EN | CDNS_CR_STOPBRK);
    assert_int_equal(mmio[CDNS(CDNS_BAUDGEN)], 0x3e);
    assert_int_equal(mmio[CDNS(CDNS_IER)], 0); /* no interrupt until asked */
    arch_console_write("\n", 1);
    assert_int_equal(mmio[CDNS(CDNS_FIFO)], '\n'); /* after its '\r' */
}

static void test_cadence_wedged_transmitter(void **state)
{
    (void)state;
    mmio[CDNS(CDNS_SR)] = CDNS_SR_TXFULL; /* never drains */
    start_cadence();
    arch_console_write("x", 1); /* returns: the byte is dropped after a bounded wait */
    assert_int_equal(mmio[CDNS(CDNS_FIFO)], 'x');
}

static void test_cadence_input(void **state)
{
    (void)state;
    start_cadence();
    serial_console_rx_on(53);
    assert_int_equal(registered_irq, 53);
    assert_int_equal(mmio[CDNS(CDNS_IER)], CDNS_IXR_RXTRIG | CDNS_IXR_TOUT);
    assert_int_equal(mmio[CDNS(CDNS_RXWM)], 1); /* an interrupt per byte */
    assert_true(mmio[CDNS(CDNS_RXTOUT)] != 0);  /* and after a pause */
    input_to_fake_dom();

    /* Plain memory never shows an empty FIFO: one interrupt still takes a bounded 64. */
    mmio[CDNS(CDNS_SR)] = 0;
    mmio[CDNS(CDNS_FIFO)] = 'k';
    mmio[CDNS(CDNS_ISR)] = 0;
    registered(registered_irq);
    assert_int_equal(nr_received, 64);
    assert_int_equal(received[63], 'k');
    /* Cleared by writing 1s: the trigger and the timeout. */
    assert_int_equal(mmio[CDNS(CDNS_ISR)], CDNS_IXR_RXTRIG | CDNS_IXR_TOUT);

    /* An empty FIFO: nothing read. */
    mmio[CDNS(CDNS_SR)] = CDNS_SR_RXEMPTY;
    mmio[CDNS(CDNS_FIFO)] = 'n';
    registered(registered_irq);
    assert_int_equal(nr_received, 64);
}

/* ---- BCM2835 mini UART (the Raspberry Pi 4's header UART) -------------------------------- */

/* 32-bit registers 4 bytes apart: their index in mmio[]. */
#define MU_IO  0
#define MU_IER 1
#define MU_LCR 3
#define MU_LSR 5

static void start_mini_uart(void)
{
    const struct serial_driver *drv = serial_driver_by_name("bcm2835-aux");
    struct serial_resource r = {.base = (uintptr_t)mmio, .reg_width = drv->default_reg_width};

    serial_console_start(drv, &r);
}

static void test_mini_uart_output(void **state)
{
    (void)state;
    mmio[MU_IER] = 0x0d; /* left on by earlier software: off until asked */
    mmio[MU_LCR] = 0x83; /* the firmware's line set-up: kept (its clock is not ours) */
    mmio[MU_LSR] = 0x20; /* room in the transmit FIFO */
    start_mini_uart();
    assert_int_equal(mmio[MU_IER], 0);
    assert_int_equal(mmio[MU_LCR], 0x83);
    arch_console_write("a\n", 2);
    assert_int_equal(mmio[MU_IO], '\n'); /* after its '\r' */

    /* A full FIFO that never drains: a bounded wait, then the byte goes anyway. */
    mmio[MU_LSR] = 0;
    arch_console_write("b", 1);
    assert_int_equal(mmio[MU_IO], 'b');
}

static void test_mini_uart_input(void **state)
{
    (void)state;
    start_mini_uart();
    serial_console_rx_on(32 + 93);
    assert_int_equal(registered_irq, 32 + 93);
    assert_int_equal(mmio[MU_IER], 0x0d); /* receive, with the bits the errata asks for */
    input_to_fake_dom();

    /* Plain memory never shows an empty FIFO: one interrupt still takes a bounded 64. */
    mmio[MU_LSR] = 0x01;
    mmio[MU_IO] = 0x100 | 'm'; /* only the low byte is data */
    registered(registered_irq);
    assert_int_equal(nr_received, 64);
    assert_int_equal(received[63], 'm');

    /* Nothing waiting: nothing read. */
    mmio[MU_LSR] = 0x20;
    registered(registered_irq);
    assert_int_equal(nr_received, 64);
}

/* No console, or output stopped: writes go nowhere and touch nothing. */
static void test_no_console(void **state)
{
    (void)state;
    serial_console_start(NULL, NULL);
    assert_null(serial_console_driver());
    arch_console_write("lost\n", 5);
    serial_console_rx_on(33);
    assert_null(registered);
    for (size_t i = 0; i < ARRAY_SIZE(mmio); i++)
        assert_int_equal(mmio[i], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_driver_table, reset, reset),
        cmocka_unit_test_setup_teardown(test_dt_console, reset, reset),
        cmocka_unit_test_setup_teardown(test_board_console, reset, reset),
        cmocka_unit_test_setup_teardown(test_16550_pio_output, reset, reset),
        cmocka_unit_test_setup_teardown(test_16550_wedged_transmitter, reset, reset),
        cmocka_unit_test_setup_teardown(test_16550_pio_input, reset, reset),
        cmocka_unit_test_setup_teardown(test_16550_mmio_spacing, reset, reset),
        cmocka_unit_test_setup_teardown(test_pl011_output, reset, reset),
        cmocka_unit_test_setup_teardown(test_pl011_input, reset, reset),
        cmocka_unit_test_setup_teardown(test_cadence_output, reset, reset),
        cmocka_unit_test_setup_teardown(test_cadence_wedged_transmitter, reset, reset),
        cmocka_unit_test_setup_teardown(test_cadence_input, reset, reset),
        cmocka_unit_test_setup_teardown(test_mini_uart_output, reset, reset),
        cmocka_unit_test_setup_teardown(test_mini_uart_input, reset, reset),
        cmocka_unit_test_setup_teardown(test_no_console, reset, reset),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
