/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest DT writer of the ARM port (xen/arch/arm/guest_dt.c, built into this program):
 * its output is read back with the hypervisor's own FDT reader (xen/common/fdt.c) and
 * checked node by node against what Xen gives a domU; the hardware domain's passed-through
 * devices (the PL031) as QEMU's own DT describes them; every buffer too small for it is
 * refused with -ENOSPC without a byte written past its end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/fdt.h>

#include "../../xen/arch/arm/guest_dt.c"

static const struct guest_dt_desc desc_v3 = {
    .ram_base = 0x40000000,
    .ram_size = 0x8000000,
    .nr_vcpus = 3,
    .gic_version = 3,
    .gicd_base = 0x03001000,
    .gicd_size = 0x10000,
    .gicc_base = 0x03020000,
    .gicc_size = 0x60000,
    .gnttab_base = 0x38000000,
    .gnttab_size = 0x1000000,
    .evtchn_ppi = 15,
    .vpl011 = true,
    .pl011_base = 0x22000000,
    .pl011_size = 0x1000,
    .pl011_spi = 0,
    .bootargs = "role=main peer=1",
    .initrd_start = 0x44000000,
    .initrd_end = 0x44001234,
};

static uint8_t blob[8192];
static struct fdt fdt;

/* The node at path ("/", "/cpus/cpu@1"), found by walking the blob. */
static bool find(const char *path, struct fdt_node *out)
{
    struct fdt_walk w;
    struct fdt_node n;
    const char *comp[FDT_MAX_DEPTH + 1];
    unsigned int depth = 0;
    char want[64];

    strncpy(want, path, sizeof(want) - 1);
    want[sizeof(want) - 1] = '\0';
    comp[0] = "";
    for (char *p = want + 1, *s; p != NULL && *p != '\0'; p = s) {
        s = strchr(p, '/');
        if (s != NULL)
            *s++ = '\0';
        comp[++depth] = p;
    }
    fdt_walk_start(&w);
    while (fdt_walk_next(&fdt, &w, &n)) {
        if (n.depth > depth || strcmp(n.name, comp[n.depth]) != 0)
            continue;
        if (n.depth == depth) {
            *out = n;
            return true;
        }
    }
    return false;
}

static uint32_t cell(const struct fdt_node *n, const char *name, unsigned int i)
{
    uint32_t len;
    const uint8_t *p = fdt_prop(&fdt, n, name, &len);

    assert_non_null(p);
    assert_true(len >= 4 * (i + 1));
    return fdt_be32(p + 4 * i);
}

static void assert_reg(const struct fdt_node *n, unsigned int i, uint64_t base, uint64_t size)
{
    uint64_t b, s;

    assert_true(fdt_reg(&fdt, n, i, &b, &s));
    assert_int_equal(b, base);
    assert_int_equal(s, size);
}

static void write_and_open(const struct guest_dt_desc *g)
{
    int len = guest_dt_write(g, blob, sizeof(blob));

    assert_true(len > 0);
    assert_int_equal(len % 4, 0);
    assert_int_equal(fdt_open(&fdt, blob, (size_t)len), 0);
    assert_int_equal(fdt_total_size(blob), (uint32_t)len);
}

static void test_v3_domu(void **state)
{
    struct fdt_node n;
    uint32_t len;
    const char *s;

    (void)state;
    write_and_open(&desc_v3);

    assert_true(find("/", &n));
    assert_true(fdt_is_compatible(&fdt, &n, "xen,xenvm"));
    assert_int_equal(cell(&n, "interrupt-parent", 0), GUEST_DT_GIC_PHANDLE);

    assert_true(find("/chosen", &n));
    s = fdt_prop(&fdt, &n, "bootargs", &len);
    assert_non_null(s);
    assert_string_equal(s, "role=main peer=1");
    assert_int_equal(fdt_read_cells(fdt_prop(&fdt, &n, "linux,initrd-start", &len), 2), 0x44000000);
    assert_int_equal(len, 8);
    assert_int_equal(fdt_read_cells(fdt_prop(&fdt, &n, "linux,initrd-end", &len), 2), 0x44001234);

    assert_true(find("/memory@40000000", &n));
    assert_true(fdt_prop_has_string(&fdt, &n, "device_type", "memory"));
    assert_reg(&n, 0, 0x40000000, 0x8000000);

    for (unsigned int i = 0; i < 3; i++) {
        char path[32];

        snprintf(path, sizeof(path), "/cpus/cpu@%u", i);
        assert_true(find(path, &n));
        assert_int_equal(cell(&n, "reg", 0), i);
        assert_true(fdt_prop_has_string(&fdt, &n, "enable-method", "psci"));
        assert_true(fdt_prop_has_string(&fdt, &n, "device_type", "cpu"));
    }
    assert_false(find("/cpus/cpu@3", &n));

    assert_true(find("/psci", &n));
    assert_true(fdt_is_compatible(&fdt, &n, "arm,psci-1.0"));
    assert_true(fdt_is_compatible(&fdt, &n, "arm,psci-0.2"));
    assert_true(fdt_prop_has_string(&fdt, &n, "method", "hvc"));

    assert_true(find("/interrupt-controller@3001000", &n));
    assert_true(fdt_is_compatible(&fdt, &n, "arm,gic-v3"));
    assert_non_null(fdt_prop(&fdt, &n, "interrupt-controller", &len));
    assert_int_equal(len, 0);
    assert_int_equal(cell(&n, "#interrupt-cells", 0), 3);
    assert_int_equal(cell(&n, "phandle", 0), GUEST_DT_GIC_PHANDLE);
    assert_reg(&n, 0, 0x03001000, 0x10000);
    assert_reg(&n, 1, 0x03020000, 0x60000);

    assert_true(find("/timer", &n));
    assert_true(fdt_is_compatible(&fdt, &n, "arm,armv8-timer"));
    assert_int_equal(cell(&n, "interrupts", 7), 11); /* the virtual timer, third */
    assert_int_equal(cell(&n, "interrupts", 8), 0xf08);

    assert_true(find("/hypervisor", &n));
    assert_true(fdt_is_compatible(&fdt, &n, "xen,xen-4.17"));
    assert_true(fdt_is_compatible(&fdt, &n, "xen,xen"));
    assert_reg(&n, 0, 0x38000000, 0x1000000);
    assert_int_equal(cell(&n, "interrupts", 0), 1);
    assert_int_equal(cell(&n, "interrupts", 1), 15);
    assert_int_equal(cell(&n, "interrupts", 2), 0xf08);

    assert_true(find("/sbsa-uart@22000000", &n));
    assert_true(fdt_is_compatible(&fdt, &n, "arm,sbsa-uart"));
    assert_reg(&n, 0, 0x22000000, 0x1000);
    assert_int_equal(cell(&n, "interrupts", 0), 0);
    assert_int_equal(cell(&n, "interrupts", 2), 4);
    /* Linux's SBSA UART driver refuses a DT node without its fixed baud rate. */
    assert_int_equal(cell(&n, "current-speed", 0), 115200);
}

static void test_v2_minimal(void **state)
{
    struct guest_dt_desc g = desc_v3;
    struct fdt_node n;
    uint32_t len;

    (void)state;
    g.gic_version = 2;
    g.gicc_base = 0x03002000;
    g.gicc_size = 0x2000;
    g.gicd_size = 0x1000;
    g.vpl011 = false;
    g.bootargs = NULL;
    g.initrd_start = g.initrd_end = 0;
    g.nr_vcpus = 1;
    write_and_open(&g);

    assert_true(find("/interrupt-controller@3001000", &n));
    assert_true(fdt_is_compatible(&fdt, &n, "arm,cortex-a15-gic"));
    assert_true(fdt_is_compatible(&fdt, &n, "arm,gic-400"));
    assert_false(fdt_is_compatible(&fdt, &n, "arm,gic-v3"));
    assert_reg(&n, 1, 0x03002000, 0x2000);
    assert_true(find("/chosen", &n));
    assert_null(fdt_prop(&fdt, &n, "bootargs", &len));
    assert_null(fdt_prop(&fdt, &n, "linux,initrd-start", &len));
    assert_false(find("/sbsa-uart@22000000", &n));
    assert_true(find("/cpus/cpu@0", &n));
    assert_false(find("/cpus/cpu@1", &n));
}

static const char pl031_compat[] = "arm,pl031\0arm,primecell";
static const struct guest_dt_device pl031 = {
    .name = "pl031",
    .compatible = pl031_compat,
    .compatible_len = sizeof(pl031_compat),
    .base = 0x09010000,
    .size = 0x1000,
    .apb_pclk = true,
};

/* dom0's PL031: QEMU virt's node without its interrupt, and the apb_pclk clock it names. */
static void test_hwdom_pl031(void **state)
{
    struct guest_dt_desc g = desc_v3;
    struct fdt_node n, clk;
    uint32_t len;
    const char *s;

    (void)state;
    g.devices = &pl031;
    g.nr_devices = 1;
    write_and_open(&g);

    assert_true(find("/pl031@9010000", &n));
    s = fdt_prop(&fdt, &n, "compatible", &len);
    assert_non_null(s);
    assert_int_equal(len, sizeof(pl031_compat));
    assert_memory_equal(s, pl031_compat, sizeof(pl031_compat)); /* its order: Linux's AMBA */
    assert_reg(&n, 0, 0x09010000, 0x1000);
    assert_null(fdt_prop(&fdt, &n, "interrupts", &len)); /* no physical SPI is routed */
    s = fdt_prop(&fdt, &n, "clock-names", &len);
    assert_non_null(s);
    assert_int_equal(len, sizeof("apb_pclk"));
    assert_string_equal(s, "apb_pclk");
    assert_int_equal(cell(&n, "clocks", 0), GUEST_DT_APB_PCLK_PHANDLE);

    assert_true(find("/apb-pclk", &clk));
    assert_true(fdt_is_compatible(&fdt, &clk, "fixed-clock"));
    assert_int_equal(cell(&clk, "#clock-cells", 0), 0);
    assert_int_equal(cell(&clk, "clock-frequency", 0), 24000000);
    assert_int_equal(cell(&clk, "phandle", 0), GUEST_DT_APB_PCLK_PHANDLE);
    /* No other node may claim the clock's phandle (the GIC keeps its own). */
    assert_true(find("/interrupt-controller@3001000", &n));
    assert_int_equal(cell(&n, "phandle", 0), GUEST_DT_GIC_PHANDLE);
}

/* No devices (every domU): neither a device node nor the clock. */
static void test_no_devices(void **state)
{
    struct fdt_node n;

    (void)state;
    write_and_open(&desc_v3);
    assert_false(find("/pl031@9010000", &n));
    assert_false(find("/apb-pclk", &n));
}

/* A device without apb_pclk gets no clock node and no clocks property. */
static void test_device_without_clock(void **state)
{
    struct guest_dt_desc g = desc_v3;
    struct guest_dt_device dev = pl031;
    struct fdt_node n;
    uint32_t len;

    (void)state;
    dev.apb_pclk = false;
    g.devices = &dev;
    g.nr_devices = 1;
    write_and_open(&g);
    assert_true(find("/pl031@9010000", &n));
    assert_null(fdt_prop(&fdt, &n, "clocks", &len));
    assert_false(find("/apb-pclk", &n));
}

/* Every size below what it needs: -ENOSPC, and nothing written past the end. */
static void test_too_small(void **state)
{
    static uint8_t big[8192 + 64];
    int need = guest_dt_write(&desc_v3, blob, sizeof(blob));

    (void)state;
    assert_true(need > 0);
    for (int size = 0; size < need; size++) {
        memset(big, 0xa5, sizeof(big));
        assert_int_equal(guest_dt_write(&desc_v3, big, (size_t)size), -ENOSPC);
        for (size_t i = (size_t)size; i < sizeof(big); i++)
            if (big[i] != 0xa5)
                fail_msg("size %d: byte %zu written", size, i);
    }
    assert_int_equal(guest_dt_write(&desc_v3, big, (size_t)need), need);
}

static void test_bad_desc(void **state)
{
    struct guest_dt_desc g = desc_v3;

    (void)state;
    g.gic_version = 4;
    assert_int_equal(guest_dt_write(&g, blob, sizeof(blob)), -EINVAL);
    g = desc_v3;
    g.nr_vcpus = 0;
    assert_int_equal(guest_dt_write(&g, blob, sizeof(blob)), -EINVAL);
    /* 64 vCPUs: a long /cpus, still well formed. */
    /* Devices: too many, missing, or a compatible list without its final NUL. */
    {
        struct guest_dt_device dev = pl031;

        g = desc_v3;
        g.devices = &dev;
        g.nr_devices = GUEST_DT_MAX_DEVICES + 1;
        assert_int_equal(guest_dt_write(&g, blob, sizeof(blob)), -EINVAL);
        g.devices = NULL;
        g.nr_devices = 1;
        assert_int_equal(guest_dt_write(&g, blob, sizeof(blob)), -EINVAL);
        g.devices = &dev;
        dev.compatible_len = sizeof(pl031_compat) - 1;
        assert_int_equal(guest_dt_write(&g, blob, sizeof(blob)), -EINVAL);
    }
    g = desc_v3;
    g.nr_vcpus = 64;
    write_and_open(&g);
    {
        struct fdt_node n;

        assert_true(find("/cpus/cpu@3f", &n));
        assert_int_equal(cell(&n, "reg", 0), 63);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v3_domu),
        cmocka_unit_test(test_v2_minimal),
        cmocka_unit_test(test_hwdom_pl031),
        cmocka_unit_test(test_no_devices),
        cmocka_unit_test(test_device_without_clock),
        cmocka_unit_test(test_too_small),
        cmocka_unit_test(test_bad_desc),
    };

    return cmocka_run_group_tests_name("guest_dt", tests, NULL, NULL);
}
