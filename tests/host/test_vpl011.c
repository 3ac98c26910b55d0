/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ARM port's emulated SBSA UART (xen/arch/arm/vpl011.c) through its MMIO handler, as
 * a guest's accesses reach it, with a fake vGIC that counts the SPIs raised: reset state,
 * output on the console (the domain's "(dN) " lines, or raw while it has the serial
 * input), input through the Ctrl-A cycle into the 32-byte FIFO and the ring behind it
 * (what overflows that dropped),
 * the flags and interrupt bits Linux's driver reads, when the interrupt is raised, the
 * access rules (sizes, ICR reads, offsets the SBSA subset leaves out), the charge to the
 * domain's budget and a reboot's reset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <asm/domain.h>
#include <asm/guest_memmap.h>
#include <asm/mmio.h>
#include <asm/vpl011.h>
#include <xen/alloc.h>
#include <xen/console.h>
#include <xen/errno.h>
#include <xen/pl011_regs.h>
#include "harness.h"

#define DMACR 0x048 /* a PL011 register the SBSA subset leaves out */

/* ---- The port around it: one MMIO region, a vGIC that counts ---------------------------- */

static mmio_handler_t handler;
static void *handler_priv;
static uint64_t region_base, region_size;
static unsigned int regions, raised;

int mmio_register(struct domain *d, uint64_t base, uint64_t size, mmio_handler_t fn, void *priv)
{
    (void)d;
    handler = fn;
    handler_priv = priv;
    region_base = base;
    region_size = size;
    regions++;
    return 0;
}

void vgic_inject_irq(struct vcpu *v, unsigned int intid)
{
    assert_non_null(v);
    assert_int_equal(intid, GUEST_PL011_SPI);
    raised++;
}

/* ---- Domain 1 with one vCPU ---------------------------------------------------------------- */

static struct domain dom;
static struct arm_domain adom;
static struct vcpu vcpu0;

static int setup(void **state)
{
    (void)state;
    harness_reset();
    memset(&dom, 0, sizeof(dom));
    memset(&adom, 0, sizeof(adom));
    memset(&vcpu0, 0, sizeof(vcpu0));
    dom.domain_id = 1;
    dom.max_vcpus = 1;
    dom.heap_budget = 1 << 20;
    dom.arch = &adom;
    vcpu0.domain = &dom;
    dom.vcpu[0] = &vcpu0;
    handler = NULL;
    regions = raised = 0;
    if (vpl011_domain_init(&dom) != 0)
        return -1;
    free(harness_take_console());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    console_unregister_input(&dom);
    domain_xfree(&dom, adom.vpl011);
    free(harness_take_console());
    return 0;
}

/* One guest access of size bytes; false: the guest would get a data abort. */
static bool access_sized(uint64_t offset, unsigned int size, bool write, uint64_t *data)
{
    struct mmio_access a = {
        .gpa = GUEST_PL011_BASE + offset,
        .offset = offset,
        .size = size,
        .write = write,
        .data = write ? *data : 0,
    };
    bool ok = handler(&vcpu0, &a, handler_priv);

    if (ok && !write)
        *data = a.data;
    return ok;
}

static uint32_t rd(uint64_t offset)
{
    uint64_t v = ~0ull;

    assert_true(access_sized(offset, 4, false, &v));
    return (uint32_t)v;
}

static void wr(uint64_t offset, uint32_t v)
{
    uint64_t d = v;

    assert_true(access_sized(offset, 4, true, &d));
}

static void type(const char *s)
{
    while (*s != '\0')
        console_input(*s++);
}

/* The serial input moves round the cycle to domain 1 (the only domain in it). */
static void input_to_dom1(void)
{
    type("\x01\x01\x01");
    assert_true(console_input_is_with(&dom));
    free(harness_take_console()); /* the switch line */
}

/* ---- Tests ------------------------------------------------------------------------------- */

static void test_reset_state(void **state)
{
    (void)state;
    assert_int_equal(regions, 1);
    assert_int_equal(region_base, GUEST_PL011_BASE);
    assert_int_equal(region_size, GUEST_PL011_SIZE);
    assert_int_equal(rd(UARTFR), FR_TXFE | FR_RXFE);
    assert_int_equal(rd(UARTIMSC), 0);
    assert_int_equal(rd(UARTRIS), 0);
    assert_int_equal(rd(UARTMIS), 0);
    assert_int_equal(rd(UARTRSR), 0);
    assert_int_equal(rd(UARTDR), 0);   /* nothing waiting */
    assert_true(dom.heap_charged > 0); /* its state is the domain's */
}

static void test_output_lines(void **state)
{
    char *out;

    (void)state;
    for (const char *s = "hello\n"; *s != '\0'; s++)
        wr(UARTDR, (uint8_t)*s);
    out = harness_take_console();
    assert_non_null(strstr(out, "(d1) hello\n"));
    free(out);
    /* The transmitter never fills and never keeps a driver waiting. */
    assert_int_equal(rd(UARTFR) & FR_TXFF, 0);
    assert_int_equal(rd(UARTFR) & FR_TXFE, FR_TXFE);
    assert_int_equal(rd(UARTRIS), INT_TX);
    assert_int_equal(rd(UARTMIS), 0); /* masked */
    assert_int_equal(raised, 0);
}

/* While it has the serial input its text goes out as it comes: a prompt, raw. */
static void test_output_raw_with_input(void **state)
{
    char *out;

    (void)state;
    input_to_dom1();
    wr(UARTDR, '#');
    wr(UARTDR, ' ');
    out = harness_take_console();
    assert_string_equal(out, "# ");
    free(out);
    wr(UARTDR, 0x1b); /* a terminal's escape: its own, while someone talks to it */
    out = harness_take_console();
    assert_string_equal(out, "\x1b");
    free(out);
}

static void test_tx_interrupt(void **state)
{
    (void)state;
    wr(UARTIMSC, INT_TX);
    wr(UARTDR, 'a');
    assert_int_equal(raised, 1);
    assert_int_equal(rd(UARTMIS), INT_TX);
    wr(UARTDR, 'b'); /* INT_TX still set: no new cause, no new interrupt */
    assert_int_equal(raised, 1);
    wr(UARTICR, INT_TX);
    assert_int_equal(rd(UARTRIS), 0);
    wr(UARTDR, 'c');
    assert_int_equal(raised, 2);
    /* Masked and cleared, then unmasked: the next byte raises it again. */
    wr(UARTIMSC, 0);
    wr(UARTICR, INT_ALL);
    wr(UARTIMSC, INT_TX);
    assert_int_equal(raised, 2);
    wr(UARTDR, 'd');
    assert_int_equal(raised, 3);
}

static void test_input(void **state)
{
    (void)state;
    wr(UARTIMSC, INT_RX | INT_RT);
    input_to_dom1();
    type("ls");
    assert_int_equal(raised, 1); /* INT_RT: input is waiting */
    assert_int_equal(rd(UARTFR) & FR_RXFE, 0);
    assert_int_equal(rd(UARTRIS), INT_RT);
    assert_int_equal(rd(UARTDR), 'l');
    assert_int_equal(rd(UARTDR), 's');
    assert_int_equal(rd(UARTFR) & FR_RXFE, FR_RXFE);
    assert_int_equal(rd(UARTRIS), 0); /* drained: INT_RT drops by itself */
    assert_int_equal(rd(UARTDR), 0);

    /* Half a FIFO sets INT_RX too; a full one FR_RXFF. */
    for (int i = 0; i < 16; i++)
        console_input((char)('A' + i % 26));
    assert_int_equal(rd(UARTRIS), INT_RT | INT_RX);
    assert_int_equal(rd(UARTFR) & FR_RXFF, 0);
    for (int i = 16; i < 40; i++)
        console_input((char)('A' + i % 26));
    assert_int_equal(rd(UARTFR) & FR_RXFF, FR_RXFF);
    /* A paste longer than the FIFO waits behind it: nothing is lost, the flags stay a
     * FIFO's until the guest has read its way down. */
    for (int i = 0; i < 8; i++)
        assert_int_equal(rd(UARTDR), 'A' + i % 26);
    assert_int_equal(rd(UARTFR) & FR_RXFF, FR_RXFF);
    for (int i = 8; i < 40; i++)
        assert_int_equal(rd(UARTDR), 'A' + i % 26);
    assert_int_equal(rd(UARTFR), FR_TXFE | FR_RXFE);
    assert_int_equal(rd(UARTRIS), 0);
    assert_int_equal(rd(UARTDR), 0);

    /* Beyond the 256 bytes that may wait, input is dropped. */
    for (int i = 0; i < 300; i++)
        console_input((char)('a' + i % 26));
    for (int i = 0; i < 256; i++)
        assert_int_equal(rd(UARTDR), 'a' + i % 26);
    assert_int_equal(rd(UARTFR) & FR_RXFE, FR_RXFE);
}

/* Input to another target never reaches this FIFO. */
static void test_input_elsewhere(void **state)
{
    (void)state;
    assert_false(console_input_is_with(&dom));
    type("x");
    assert_int_equal(rd(UARTFR) & FR_RXFE, FR_RXFE);
}

static void test_access_rules(void **state)
{
    uint64_t v = 0;

    (void)state;
    assert_false(access_sized(UARTDR, 8, false, &v)); /* 64-bit: abort, as on Xen */
    v = 'q';
    assert_false(access_sized(UARTDR, 8, true, &v));
    assert_false(access_sized(UARTICR, 4, false, &v)); /* write-only */
    /* What the SBSA subset leaves out reads as zero and ignores writes (Xen 4.18). */
    assert_int_equal(rd(DMACR), 0);
    wr(DMACR, 7);
    assert_int_equal(rd(DMACR), 0);
    assert_int_equal(rd(0xfe0), 0);
    /* A byte access reaches its own byte of the register; a straddling one aborts. */
    v = INT_RT >> 0;
    assert_true(access_sized(UARTIMSC, 1, true, &v));
    v = 0x5;
    assert_true(access_sized(UARTIMSC + 1, 1, true, &v));
    assert_int_equal(rd(UARTIMSC), 0x500 | INT_RT);
    assert_true(access_sized(UARTIMSC + 1, 1, false, &v));
    assert_int_equal(v, 0x5);
    assert_false(access_sized(UARTIMSC + 3, 2, false, &v));
    v = 'z';
    assert_true(access_sized(UARTDR, 1, true, &v));
    assert_int_equal(rd(UARTRIS) & INT_TX, INT_TX);
}

/* A reboot gives the new life a UART from reset, and it stays in the input cycle. */
static void test_reboot_resets(void **state)
{
    (void)state;
    wr(UARTIMSC, INT_RT);
    input_to_dom1();
    type("abc");
    wr(UARTDR, 'x');
    assert_int_equal(vpl011_domain_init(&dom), 0);
    assert_int_equal(regions, 2);
    assert_int_equal(rd(UARTFR), FR_TXFE | FR_RXFE);
    assert_int_equal(rd(UARTIMSC), 0);
    assert_int_equal(rd(UARTRIS), 0);
    type("d");
    assert_int_equal(rd(UARTDR), 'd');
}

/* Its state is charged to the domain: a domain with no budget left gets no UART. */
static void test_budget(void **state)
{
    struct domain poor = {.domain_id = 2, .max_vcpus = 1};
    struct arm_domain apoor = {0};

    (void)state;
    poor.arch = &apoor;
    poor.vcpu[0] = &vcpu0;
    assert_int_equal(vpl011_domain_init(&poor), -ENOMEM);
    assert_null(apoor.vpl011);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reset_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output_raw_with_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_interrupt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input_elsewhere, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reboot_resets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_budget, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
