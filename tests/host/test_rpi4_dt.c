/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Raspberry Pi 4's real DT (Debian's bcm2711-rpi-4-b.dtb, fetched by
 * tools/fetch-rpi4.sh, never committed) read by the code the board's boot runs on it: the
 * host DT walk (xen/arch/arm/hostdt.c: RAM, what the firmware keeps of it, CPUs, PSCI,
 * GIC, timer), the console choice (xen/drivers/char/serial_dt.c)
 * and what dom0 gets (xen/arch/arm/hwdom_plan.c). tests/host/rpi4-dtbs.sh makes the DT as
 * the firmware and TF-A's BL31 leave it (rpi4-firmware) and as the boot script then leaves
 * it (rpi4-booted). There is no Pi to boot: this is what can be checked of BOARD=rpi4
 * without one. Without the DTB (no network, no apt) every test skips and says why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <asm/hostdt.h>
#include <asm/hwdom_plan.h>
#include <xen/fdt.h>
#include <xen/irq.h>
#include <xen/serial.h>

#include "rpi4_dtbs.h"

/* The console layer links against the port's interrupt routing; nothing here takes input. */
void irq_register(unsigned int irq, irq_handler_t h)
{
    (void)irq;
    (void)h;
    fail_msg("irq_register: no console input in this test");
}

/* BCM2711's "low peripheral" map: the /soc bus's 0x7e000000 and 0x40000000 windows. */
#define GICD        0xff841000ull
#define GICC        0xff842000ull
#define GICH        0xff844000ull
#define GICV        0xff846000ull
#define PL011       0xfe201000ull /* uart0, serial0: Bluetooth's */
#define MINI_UART   0xfe215040ull /* uart1, serial1: the header's GPIO 14/15 */
#define AUX_SPI_IRQ 93            /* the aux block's line: the mini UART's and its SPIs' */

/* Parse one of the header's DTs (false: the DTB was not there; the test is skipped). */
static bool parse(const char *name, struct host_dt *dt)
{
#ifdef RPI4_DTBS_MISSING
    (void)name;
    (void)dt;
    printf("# no Raspberry Pi 4 DTB: %s\n", RPI4_DTBS_MISSING);
    return false;
#else
    for (size_t i = 0; i < ARRAY_SIZE(rpi4_dtbs); i++)
        if (strcmp(rpi4_dtbs[i].name, name) == 0) {
            assert_int_equal(hostdt_parse(dt, (paddr_t)(uintptr_t)rpi4_dtbs[i].blob), 0);
            return true;
        }
    fail_msg("no DT %s", name);
    return false;
#endif
}

static void test_machine(void **state)
{
    struct host_dt dt;

    (void)state;
    if (!parse("rpi4-booted", &dt))
        skip();
    assert_string_equal(dt.model, "Raspberry Pi 4 Model B");
    /* The banks the firmware wrote, as they are (the reserved ones are dom0's business). */
    assert_int_equal(dt.nr_mem, 2);
    assert_int_equal(dt.mem[0].base, 0);
    assert_int_equal(dt.mem[0].size, 0x3b400000);
    assert_int_equal(dt.mem[1].base, 0x40000000);
    assert_int_equal(dt.mem[1].size, 0xbc000000);
    /*
     * Not ours to give: the spin-table page (/memreserve/) and TF-A's BL31; the
     * bootloader-config placeholder the firmware leaves empty is nothing.
     */
    assert_int_equal(dt.nr_rsv, 2);
    assert_int_equal(dt.rsv[0].base, 0);
    assert_int_equal(dt.rsv[0].size, 0x80000); /* /reserved-memory/atf@0 */
    assert_int_equal(dt.rsv[1].base, 0);
    assert_int_equal(dt.rsv[1].size, 0x1000); /* /memreserve/ */
    /* Four Cortex-A72s, Aff0 0-3: PSCI CPU_ON names them so. */
    assert_int_equal(dt.nr_cpus, 4);
    for (unsigned int i = 0; i < 4; i++)
        assert_int_equal(dt.cpu_mpidr[i], i);
    /* TF-A's /psci: minixen brings the secondaries up with it, not the DT's spin table. */
    assert_int_equal(dt.psci, PSCI_SMC);
    /* The architected timer's PPIs: secure, non-secure, virtual, hypervisor. */
    assert_true(dt.have_timer);
    assert_int_equal(dt.timer_ppi[0], 13);
    assert_int_equal(dt.timer_ppi[1], 14);
    assert_int_equal(dt.timer_ppi[2], 11);
    assert_int_equal(dt.timer_ppi[3], 10);
    assert_int_equal(dt.rtc_base, 0); /* no PL031: the wall clock starts at 0 */
}

/* The GIC-400 sits in /soc behind its 0x40000000 -> 0xff800000 window. */
static void test_gic(void **state)
{
    struct host_dt dt;

    (void)state;
    if (!parse("rpi4-booted", &dt))
        skip();
    assert_int_equal(dt.gic_version, 2);
    assert_int_equal(dt.gicd_base, GICD);
    assert_int_equal(dt.gicd_size, 0x1000);
    assert_int_equal(dt.gicc_base, GICC);
    assert_int_equal(dt.gicc_size, 0x2000);
    assert_int_equal(dt.gich_base, GICH);
    assert_int_equal(dt.gich_size, 0x2000);
    assert_int_equal(dt.gicv_base, GICV);
    assert_int_equal(dt.gicv_size, 0x2000);
    assert_int_equal(dt.gic_maint_irq, 9); /* PPI 9, as TF-A writes it too */
    assert_int_not_equal(dt.gic_phandle, 0);
}

/*
 * The console: TF-A's stdout-path "serial0" is Debian's (upstream Linux's) uart0, the
 * PL011 wired to Bluetooth; the boot script's "serial1" is the mini UART on the header.
 */
static void test_console(void **state)
{
    struct host_dt dt;

    (void)state;
    if (!parse("rpi4-firmware", &dt))
        skip();
    assert_non_null(dt.uart_drv);
    assert_string_equal(dt.uart_drv->name, "pl011");
    assert_int_equal(dt.uart.base, PL011);

    assert_true(parse("rpi4-booted", &dt));
    assert_non_null(dt.uart_drv);
    assert_string_equal(dt.uart_drv->name, "bcm2835-aux");
    assert_int_equal(dt.uart.base, MINI_UART);
    assert_int_equal(dt.uart.reg_shift, 0);
    assert_int_equal(dt.uart.reg_width, 4);
    assert_null(dt.uart.pio);
    assert_int_equal(dt.uart_intid, 32 + AUX_SPI_IRQ);
}

static const struct hwdom_node *node(const struct hwdom_plan *pl, const char *name)
{
    for (unsigned int i = 0; i < pl->nr_nodes; i++)
        if (strcmp(pl->nodes[i].name, name) == 0)
            return &pl->nodes[i];
    return NULL;
}

static bool has_spi(const struct hwdom_plan *pl, const struct hwdom_node *n, unsigned int spi)
{
    for (unsigned int s = 0; s < n->nr_spis; s++)
        if (pl->spis[n->first_spi + s].spi == spi)
            return true;
    return false;
}

/* What dom0 gets: every device but the hypervisor's, at host addresses. */
static void test_dom0(void **state)
{
    struct host_dt dt;
    const struct hwdom_plan *pl;
    const struct hwdom_node *n;

    (void)state;
    if (!parse("rpi4-booted", &dt))
        skip();
    hwdom_plan_build(&dt);
    pl = hwdom_plan();
    assert_int_equal(pl->gic_phandle, dt.gic_phandle);
    assert_int_equal(pl->root_addr_cells, 2);
    assert_int_equal(pl->root_size_cells, 1);

    /* The hypervisor's: the GIC, its console. */
    assert_null(node(pl, "interrupt-controller@40041000"));
    assert_null(node(pl, "serial@7e215040"));
    assert_non_null(hwdom_plan_host_owner(GICD, 0x1000));
    assert_non_null(hwdom_plan_host_owner(GICH, 0x2000));
    assert_non_null(hwdom_plan_host_owner(MINI_UART & ~0xfffull, 0x1000));

    /* The PL011 (and Bluetooth behind it): dom0's, translated out of /soc. */
    n = node(pl, "serial@7e201000");
    assert_non_null(n);
    assert_int_equal(n->nr_ranges, 1);
    assert_int_equal(pl->ranges[n->first_range].base, PL011);
    assert_int_equal(pl->ranges[n->first_range].size, 0x1000);
    assert_int_equal(n->nr_spis, 1);
    assert_int_equal(pl->spis[n->first_spi].spi, 121);
    assert_true(pl->spis[n->first_spi].level);
    assert_null(hwdom_plan_host_owner(PL011, 0x1000));

    /* The SD card's controller (emmc2, behind /emmc2bus's own ranges) and the GPIO block. */
    n = node(pl, "mmc@7e340000");
    assert_non_null(n);
    assert_int_equal(pl->ranges[n->first_range].base, 0xfe340000);
    assert_true(has_spi(pl, n, 126));
    n = node(pl, "gpio@7e200000");
    assert_non_null(n);
    assert_int_equal(pl->ranges[n->first_range].base, 0xfe200000);

    /*
     * The aux block's other devices share the console's page and its interrupt line: a
     * page cannot be both the hypervisor's and dom0's, so they are not dom0's either.
     */
    assert_null(node(pl, "aux@7e215000"));
    assert_null(node(pl, "spi@7e215080"));
    assert_null(node(pl, "spi@7e2150c0"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_machine),
        cmocka_unit_test(test_gic),
        cmocka_unit_test(test_console),
        cmocka_unit_test(test_dom0),
    };

    return cmocka_run_group_tests_name("rpi4_dt", tests, NULL, NULL);
}
