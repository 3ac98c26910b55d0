/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the ARM hardware domain gets of the host DT (xen/arch/arm/hwdom_plan.c, built into
 * this program with hwdom_pci.c): on QEMU virt's own DT (tests/host/host_dt, as QEMU 7.2
 * dumps it) every device but the GIC, the console UART, the timer and the rest minixen
 * keeps, with ranges and SPIs as the DT says; on a board-like DT, devices behind a bus's
 * ranges, a non-memory-mapped bus, interrupts-extended, the GIC inside a bus, and the
 * nodes that must be refused (a page shared with the GIC, host RAM, a bridge it cannot
 * describe) or left to a domU (xen,passthrough); on the ZCU102's (BOARD=zcu102), the second
 * Cadence UART given, the console's kept, the PCIe bridge refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <asm/hwdom_plan.h>
#include <xen/fdt.h>

#include "host_dt_dtbs.h"

static const struct serial_driver fake_uart; /* only "a console UART is in use" */

static void open_dt(const char *name, struct host_dt *dt)
{
    memset(dt, 0, sizeof(*dt));
    for (size_t i = 0; i < ARRAY_SIZE(host_dt_dtbs); i++)
        if (strcmp(host_dt_dtbs[i].name, name) == 0) {
            assert_int_equal(fdt_open(&dt->fdt, host_dt_dtbs[i].blob, host_dt_dtbs[i].size), 0);
            return;
        }
    fail_msg("no host DT %s", name);
}

/* What the boot's hostdt_parse() finds in a DT of tests/host/host_dt: 1 GiB of RAM, the
 * GIC's frames, the console UART. */
struct board {
    const char *dt;
    unsigned int gic_version;
    uint64_t gicd, gicd_size, gicc_or_r, gicc_or_r_size;
    uint64_t uart;
};

static void host_of(const struct board *b, struct host_dt *dt)
{
    open_dt(b->dt, dt);
    dt->nr_mem = 1;
    dt->mem[0].base = 0x40000000;
    dt->mem[0].size = 0x40000000;
    dt->gic_version = b->gic_version;
    dt->gicd_base = b->gicd;
    dt->gicd_size = b->gicd_size;
    if (b->gic_version == 3) {
        dt->gicr_base = b->gicc_or_r;
        dt->gicr_size = b->gicc_or_r_size;
    } else {
        dt->gicc_base = b->gicc_or_r;
        dt->gicc_size = b->gicc_or_r_size;
    }
    dt->uart_drv = &fake_uart;
    dt->uart.base = b->uart;
}

/* QEMU virt, GICv3, PL011 console. */
static void qemu_virt(struct host_dt *dt)
{
    static const struct board b = {"qemu-virt-gicv3", 3,        0x8000000, 0x10000,
                                   0x80a0000,         0xf60000, 0x9000000};

    host_of(&b, dt);
    dt->gic_phandle = 0x8003;
}

static const struct hwdom_node *node(const struct hwdom_plan *pl, const char *name)
{
    for (unsigned int i = 0; i < pl->nr_nodes; i++)
        if (strcmp(pl->nodes[i].name, name) == 0)
            return &pl->nodes[i];
    return NULL;
}

/* Is the node at off dropped from dom0's DT by an edit? */
static bool dropped(const struct hwdom_plan *pl, uint32_t off)
{
    for (unsigned int k = 0; pl->nr_tops != 0 && k < pl->tops[0].nr_edits; k++)
        if (pl->tops[0].edits[k].off == off && pl->tops[0].edits[k].drop)
            return true;
    return false;
}

/* Is this top-level host node in dom0's DT (copied, not dropped)? */
static bool is_top(const struct hwdom_plan *pl, const char *name)
{
    for (unsigned int i = 0; i < pl->nr_tops; i++)
        if (strcmp(pl->tops[i].node.name, name) == 0)
            return !dropped(pl, pl->tops[i].node.off);
    return false;
}

static void assert_range(const struct hwdom_plan *pl, const struct hwdom_node *n, unsigned int i,
                         uint64_t base, uint64_t size)
{
    assert_true(i < n->nr_ranges);
    assert_int_equal(pl->ranges[n->first_range + i].base, base);
    assert_int_equal(pl->ranges[n->first_range + i].size, size);
}

static void test_qemu_virt(void **state)
{
    struct host_dt dt;
    const struct hwdom_plan *pl;
    const struct hwdom_node *n;
    unsigned int virtio = 0;

    (void)state;
    qemu_virt(&dt);
    hwdom_plan_build(&dt);
    pl = hwdom_plan();
    assert_int_equal(pl->gic_phandle, 0x8003); /* dom0's GIC is named as the host's */
    assert_int_equal(pl->root_addr_cells, 2);
    assert_int_equal(pl->root_size_cells, 2);

    n = node(pl, "pl031@9010000");
    assert_non_null(n);
    assert_int_equal(n->nr_ranges, 1);
    assert_range(pl, n, 0, 0x9010000, 0x1000);
    assert_int_equal(n->nr_spis, 1);
    assert_int_equal(pl->spis[n->first_spi].spi, 2);
    assert_true(pl->spis[n->first_spi].level);

    n = node(pl, "flash@0"); /* two banks: two ranges, no interrupt */
    assert_non_null(n);
    assert_int_equal(n->nr_ranges, 2);
    assert_range(pl, n, 0, 0x0, 0x4000000);
    assert_range(pl, n, 1, 0x4000000, 0x4000000);
    assert_int_equal(n->nr_spis, 0);

    n = node(pl, "pcie@10000000"); /* ECAM, I/O and 32-bit windows; the 64-bit one dropped */
    assert_non_null(n);
    assert_true(n->pci);
    assert_int_equal(n->nr_ranges, 3);
    assert_range(pl, n, 0, 0x4010000000ull, 0x10000000);
    assert_range(pl, n, 1, 0x3eff0000, 0x10000);
    assert_range(pl, n, 2, 0x10000000, 0x28000000); /* cut before the grant-table window */
    assert_int_equal(n->nr_spis, 4);
    for (unsigned int s = 0; s < 4; s++)
        assert_int_equal(pl->spis[n->first_spi + s].spi, 3 + s);

    for (unsigned int i = 0; i < pl->nr_nodes; i++)
        if (strncmp(pl->nodes[i].name, "virtio_mmio@", 12) == 0) {
            n = &pl->nodes[i];
            assert_int_equal(n->nr_spis, 1);
            assert_int_equal(pl->spis[n->first_spi].spi, 16 + virtio);
            assert_false(pl->spis[n->first_spi].level); /* edge, as QEMU says */
            virtio++;
        }
    assert_int_equal(virtio, 32);
    assert_non_null(node(pl, "pl061@9030000"));
    assert_non_null(node(pl, "fw-cfg@9020000"));
    assert_int_equal(pl->nr_nodes, 32 + 5);

    /* The hypervisor's: not given, not copied. */
    assert_null(node(pl, "pl011@9000000"));
    assert_null(node(pl, "intc@8000000"));
    assert_null(node(pl, "its@8080000"));
    assert_false(is_top(pl, "intc@8000000"));
    assert_false(is_top(pl, "pl011@9000000"));
    assert_false(is_top(pl, "timer"));
    assert_false(is_top(pl, "psci"));
    assert_false(is_top(pl, "cpus"));
    assert_false(is_top(pl, "memory@40000000"));
    assert_false(is_top(pl, "chosen"));
    /* Nodes with nothing to map come along as the host has them. */
    assert_true(is_top(pl, "gpio-keys"));
    assert_true(is_top(pl, "apb-pclk"));
    assert_true(is_top(pl, "platform-bus@c000000"));
    assert_true(is_top(pl, "flash@0"));
}

/* The board-like DT: the console UART in a bus, which also holds the GIC. */
static void board(struct host_dt *dt)
{
    static const struct board b = {"board", 2, 0xf9010000, 0x1000, 0xf902f000, 0x2000, 0xff000000};

    host_of(&b, dt);
}

static void test_board(void **state)
{
    struct host_dt dt;
    const struct hwdom_plan *pl;
    const struct hwdom_node *n;
    struct fdt_walk w;
    struct fdt_node fn;
    uint32_t gic = 0;

    (void)state;
    board(&dt);
    fdt_walk_start(&w);
    while (fdt_walk_next(&dt.fdt, &w, &fn))
        if (strcmp(fn.name, "interrupt-controller@9010000") == 0)
            assert_true(fdt_prop_u32(&dt.fdt, &fn, "phandle", &gic));
    dt.gic_phandle = gic;
    hwdom_plan_build(&dt);
    pl = hwdom_plan();

    /* Behind the bus's ranges: host addresses. */
    n = node(pl, "gpio@a0000");
    assert_non_null(n);
    assert_range(pl, n, 0, 0xf00a0000, 0x1000);
    assert_int_equal(n->nr_spis, 0);
    /* interrupts-extended: the GIC's SPI taken, the GPIO controller's entry stepped over. */
    n = node(pl, "i2c@f020000");
    assert_non_null(n);
    assert_range(pl, n, 0, 0xff020000, 0x1000);
    assert_int_equal(n->nr_spis, 1);
    assert_int_equal(pl->spis[n->first_spi].spi, 17);
    assert_null(node(pl, "eeprom@54")); /* on I2C: no address of the CPU's */

    /* Kept by the hypervisor: quietly out, and out of dom0's DT (they sit inside a copy). */
    fdt_walk_start(&w);
    while (fdt_walk_next(&dt.fdt, &w, &fn)) {
        if (strcmp(fn.name, "serial@f000000") == 0 ||
            strcmp(fn.name, "interrupt-controller@9010000") == 0)
            assert_true(dropped(pl, fn.off));
        /* Refused: a page shared with the GIC, host RAM, a bridge without interrupt-map. */
        if (strcmp(fn.name, "sram@f9010800") == 0 || strcmp(fn.name, "ram-window@7ffff000") == 0 ||
            strcmp(fn.name, "pcie@10000000") == 0)
            assert_true(dropped(pl, fn.off));
    }
    assert_null(node(pl, "serial@f000000"));
    assert_null(node(pl, "sram@f9010800"));
    assert_null(node(pl, "ram-window@7ffff000"));
    assert_null(node(pl, "pcie@10000000"));
    assert_null(node(pl, "pmu"));
    assert_false(is_top(pl, "pmu"));
    assert_false(is_top(pl, "timer"));
    assert_false(is_top(pl, "memory@40000000"));
    /* A domU's: neither given nor copied. */
    assert_null(node(pl, "reserved-for-domu@fe000000"));
    assert_false(is_top(pl, "reserved-for-domu@fe000000"));
    /* Disabled: copied, nothing of it (or under it) given. */
    assert_true(is_top(pl, "disabled@fd000000"));
    assert_null(node(pl, "disabled@fd000000"));
    assert_null(node(pl, "child@0"));
    /* The first-level node, everything in it as the host has it. */
    assert_non_null(node(pl, "pl031@9010000"));
    assert_true(is_top(pl, "axi"));

    /* A node refused later (dom0's guest map): marked, and dropped from its DT. */
    for (unsigned int i = 0; i < pl->nr_nodes; i++)
        if (strcmp(pl->nodes[i].name, "gpio@a0000") == 0) {
            assert_true(hwdom_plan_refuse(i));
            pl = hwdom_plan(); /* the copies as dom0's DT will be written now */
            assert_true(pl->nodes[i].refused);
            assert_true(dropped(pl, pl->nodes[i].off));
        }
    assert_false(hwdom_plan_refuse(pl->nr_nodes)); /* no such node */
}

/* What the hypervisor keeps, for a domU's partial DT's checks. */
/* The ZCU102: GIC-400 in the axi bus, the Cadence UART at 0xff000000 the console, RAM at 0. */
static void zcu102(struct host_dt *dt)
{
    static const struct board b = {"zcu102",   2,       0xf9010000, 0x10000,
                                   0xf9020000, 0x20000, 0xff000000};
    struct fdt_walk w;
    struct fdt_node fn;

    host_of(&b, dt);
    dt->mem[0].base = 0; /* QEMU's -m 1024: the first GiB of DDR */
    fdt_walk_start(&w);
    while (fdt_walk_next(&dt->fdt, &w, &fn))
        if (strcmp(fn.name, "interrupt-controller@f9010000") == 0)
            assert_true(fdt_prop_u32(&dt->fdt, &fn, "phandle", &dt->gic_phandle));
}

static void test_zcu102(void **state)
{
    struct host_dt dt;
    const struct hwdom_plan *pl;
    const struct hwdom_node *n;

    (void)state;
    zcu102(&dt);
    hwdom_plan_build(&dt);
    pl = hwdom_plan();
    assert_int_equal(pl->gic_phandle, dt.gic_phandle);

    /* The second UART is dom0's, 1:1 with its SPI; the console's stays the hypervisor's. */
    n = node(pl, "serial@ff010000");
    assert_non_null(n);
    assert_int_equal(n->nr_ranges, 1);
    assert_range(pl, n, 0, 0xff010000, 0x1000);
    assert_int_equal(n->nr_spis, 1);
    assert_int_equal(pl->spis[n->first_spi].spi, 22);
    assert_true(pl->spis[n->first_spi].level);
    assert_null(node(pl, "serial@ff000000"));
    assert_null(node(pl, "interrupt-controller@f9010000"));

    /* ZynqMP's own RTC is a device like any other (minixen reads only a PL031). */
    n = node(pl, "rtc@ffa60000");
    assert_non_null(n);
    assert_range(pl, n, 0, 0xffa60000, 0x1000); /* 0x100 in the DT: a whole page */
    assert_int_equal(n->nr_spis, 2);
    n = node(pl, "ethernet@ff0e0000"); /* two interrupts on one SPI */
    assert_non_null(n);
    assert_int_equal(n->nr_spis, 2);
    assert_int_equal(pl->spis[n->first_spi].spi, 63);
    /* An SPI past a guest vGIC's 96 is in the plan: hwdom_devices.c leaves it out later. */
    n = node(pl, "dma-controller@fd500000");
    assert_non_null(n);
    assert_int_equal(pl->spis[n->first_spi].spi, 124);

    /* Its configuration window is at 512 GiB, past the guest address space: refused. */
    assert_null(node(pl, "pcie@fd0e0000"));
    /* Disabled, or nothing to map: nothing given. */
    assert_null(node(pl, "can@ff060000"));
    assert_null(node(pl, "zynqmp-firmware"));
    assert_true(is_top(pl, "axi"));
    assert_true(is_top(pl, "firmware"));
    assert_false(is_top(pl, "psci"));
    assert_false(is_top(pl, "timer"));
    assert_false(is_top(pl, "pmu"));
    assert_false(is_top(pl, "memory@0"));
    assert_false(is_top(pl, "chosen"));

    assert_non_null(hwdom_plan_host_owner(0xff000000, 0x1000)); /* the console */
    assert_non_null(hwdom_plan_host_owner(0xf9020000, 0x1000)); /* the GIC's CPU interface */
    assert_null(hwdom_plan_host_owner(0xff010000, 0x1000));     /* the other UART: dom0's */
}

static void test_host_owner(void **state)
{
    struct host_dt dt;

    (void)state;
    qemu_virt(&dt);
    hwdom_plan_build(&dt);
    assert_non_null(hwdom_plan_host_owner(0x8000000, 0x1000));  /* GIC distributor */
    assert_non_null(hwdom_plan_host_owner(0x9000000, 0x1000));  /* the console */
    assert_non_null(hwdom_plan_host_owner(0x7ffff000, 0x2000)); /* into RAM */
    assert_null(hwdom_plan_host_owner(0x9030000, 0x1000));      /* the PL061: dom0's */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qemu_virt),
        cmocka_unit_test(test_board),
        cmocka_unit_test(test_host_owner),
        cmocka_unit_test(test_zcu102),
    };

    return cmocka_run_group_tests_name("hwdom_plan", tests, NULL, NULL);
}
