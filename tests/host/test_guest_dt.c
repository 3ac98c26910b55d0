/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest DT writer of the ARM port (xen/arch/arm/guest_dt.c, built into this program):
 * its output is read back with the hypervisor's own FDT reader (xen/common/fdt.c) and
 * checked node by node against what Xen gives a domU; host DT nodes copied into it with
 * their edits (what dom0 and a domU's partial DT get), and the FDT helpers that choose and
 * place them (address translation through buses, phandles) on a board-like host DT
 * (tests/host/host_dt); every buffer too small for it is refused with -ENOSPC without a
 * byte written past its end.
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
#include "host_dt_dtbs.h"

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

static uint8_t blob[16384];
static struct fdt fdt;

/*
 * The node at path ("/", "/cpus/cpu@1") of f, found by walking it, with every node on the
 * way in trail[0..depth]; its depth, or -1 if there is none.
 */
static int walk_to(const struct fdt *f, const char *path, struct fdt_node *trail)
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
    while (fdt_walk_next(f, &w, &n)) {
        if (n.depth > depth || strcmp(n.name, comp[n.depth]) != 0)
            continue;
        trail[n.depth] = n;
        if (n.depth == depth)
            return (int)depth;
    }
    return -1;
}

static bool find(const char *path, struct fdt_node *out)
{
    struct fdt_node trail[FDT_MAX_DEPTH + 1];
    int d = walk_to(&fdt, path, trail);

    if (d >= 0)
        *out = trail[d];
    return d >= 0;
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

/* ---- Subtrees of a host DT (tests/host/host_dt/board.dts) ------------------------------- */

static struct fdt host;

static void open_host(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(host_dt_dtbs); i++)
        if (strcmp(host_dt_dtbs[i].name, "board") == 0) {
            assert_int_equal(fdt_open(&host, host_dt_dtbs[i].blob, host_dt_dtbs[i].size), 0);
            return;
        }
    fail_msg("no board.dts");
}

/* The host node at path, with every node on the way in path_out[0..depth]. */
static unsigned int host_path(const char *path, struct fdt_node *path_out)
{
    int d = walk_to(&host, path, path_out);

    if (d < 0)
        fail_msg("no host node %s", path);
    return (unsigned int)d;
}

static uint32_t host_phandle(const char *path)
{
    struct fdt_node p[FDT_MAX_DEPTH + 1];
    unsigned int d = host_path(path, p);
    uint32_t v = 0;

    assert_true(fdt_prop_u32(&host, &p[d], "phandle", &v));
    return v;
}

/* A node's reg translated through its buses' ranges, as dom0's map needs it. */
static void test_translate(void **state)
{
    struct fdt_node p[FDT_MAX_DEPTH + 1];
    uint64_t a, sz;
    unsigned int d;

    (void)state;
    open_host();
    d = host_path("/pl031@9010000", p); /* top level: already a root address */
    assert_true(fdt_reg(&host, &p[d], 0, &a, &sz));
    assert_true(fdt_translate(&host, p, d, &a, sz));
    assert_int_equal(a, 0x9010000);
    d = host_path("/axi/serial@f000000", p); /* behind the bus's ranges */
    assert_true(fdt_reg(&host, &p[d], 0, &a, &sz));
    assert_int_equal(a, 0xf000000);
    assert_true(fdt_translate(&host, p, d, &a, sz));
    assert_int_equal(a, 0xff000000);
    a = 0xfffff00; /* runs past the bus's window: no address */
    assert_false(fdt_translate(&host, p, d, &a, 0x1000));
    d = host_path("/axi/i2c@f020000/eeprom@54", p); /* I2C: no ranges, not memory-mapped */
    assert_true(fdt_reg(&host, &p[d], 0, &a, &sz));
    assert_false(fdt_translate(&host, p, d, &a, 1));
    d = host_path("/axi/interrupt-controller@9010000/v2m@9020000", p); /* the GIC: no ranges */
    assert_true(fdt_reg(&host, &p[d], 0, &a, &sz));
    assert_false(fdt_translate(&host, p, d, &a, sz));
}

/* The header's memory reservation block, entry by entry up to its all-zero end. */
static void test_mem_rsv(void **state)
{
    struct fdt qemu;
    uint64_t a, sz;

    (void)state;
    open_host();
    assert_true(fdt_mem_rsv(&host, 0, &a, &sz));
    assert_int_equal(a, 0x40000000);
    assert_int_equal(sz, 0x1000);
    assert_true(fdt_mem_rsv(&host, 1, &a, &sz));
    assert_int_equal(a, 0x7fe00000);
    assert_int_equal(sz, 0x200000);
    assert_false(fdt_mem_rsv(&host, 2, &a, &sz));
    assert_false(fdt_mem_rsv(&host, 1000000, &a, &sz)); /* far past the blob: no read */
    for (size_t i = 0; i < ARRAY_SIZE(host_dt_dtbs); i++)
        if (strcmp(host_dt_dtbs[i].name, "qemu-virt-gicv3") == 0) {
            assert_int_equal(fdt_open(&qemu, host_dt_dtbs[i].blob, host_dt_dtbs[i].size), 0);
            assert_false(fdt_mem_rsv(&qemu, 0, &a, &sz)); /* QEMU reserves nothing */
        }
}

static void test_phandle(void **state)
{
    struct fdt_node n;

    (void)state;
    open_host();
    assert_true(fdt_node_by_phandle(&host, 0x8000, &n));
    assert_string_equal(n.name, "apb-pclk");
    assert_true(fdt_node_by_phandle(&host, host_phandle("/axi/interrupt-controller@9010000"), &n));
    assert_string_equal(n.name, "interrupt-controller@9010000");
    assert_false(fdt_node_by_phandle(&host, 0, &n)); /* never a node's */
    assert_false(fdt_node_by_phandle(&host, ~0u, &n));
    assert_false(fdt_node_by_phandle(&host, 0x7fff, &n));
}

/* dom0's DT: every top-level host node copied, with edits, its GIC named as the host's. */
static void test_copy_host_nodes(void **state)
{
    static const uint32_t new_ranges[7] = {0x2000000, 0, 0x10000000, 0, 0x10000000, 0, 0x1000};
    static const uint32_t domain_nr = 0;
    struct guest_dt_prop pci_props[3] = {{"ranges", new_ranges, 7, false},
                                         {"msi-parent", NULL, 0, true},
                                         {"linux,pci-domain", &domain_nr, 1, false}};
    struct fdt_node p[FDT_MAX_DEPTH + 1], n;
    struct guest_dt_edit edits[3];
    struct guest_dt_subtree tops[GUEST_DT_MAX_SUBTREES];
    struct guest_dt_desc g = desc_v3;
    struct fdt_walk w;
    uint32_t gic = 0, len;
    unsigned int nr = 0;
    const uint8_t *v;

    (void)state;
    open_host();
    gic = host_phandle("/axi/interrupt-controller@9010000");
    edits[0] = (struct guest_dt_edit){p[host_path("/axi/serial@f000000", p)].off, true, NULL, 0};
    edits[1] = (struct guest_dt_edit){p[host_path("/pcie@10000000", p)].off, false, pci_props, 3};
    fdt_walk_start(&w);
    while (fdt_walk_next(&host, &w, &n))
        if (n.depth == 1 && nr < ARRAY_SIZE(tops))
            tops[nr++] = (struct guest_dt_subtree){&host, n, edits, 2};
    g.subtrees = tops;
    g.nr_subtrees = nr;
    g.gic_phandle = gic;
    write_and_open(&g);

    /* minixen's GIC and root name the host's phandle, so the copies' references hold. */
    assert_true(find("/", &n));
    assert_int_equal(cell(&n, "interrupt-parent", 0), gic);
    assert_true(find("/interrupt-controller@3001000", &n));
    assert_int_equal(cell(&n, "phandle", 0), gic);

    assert_true(find("/pl031@9010000", &n));
    assert_true(fdt_is_compatible(&fdt, &n, "arm,primecell"));
    assert_reg(&n, 0, 0x9010000, 0x1000);
    assert_int_equal(cell(&n, "interrupts", 1), 2);
    assert_int_equal(cell(&n, "clocks", 0), 0x8000);
    assert_null(fdt_prop(&fdt, &n, "xen,hint", &len)); /* xen,*: the hypervisor's */
    assert_true(find("/apb-pclk", &n));
    assert_int_equal(cell(&n, "phandle", 0), 0x8000);

    /* The bus, its nested nodes, but the one dropped. */
    assert_true(find("/axi", &n));
    assert_int_equal(cell(&n, "ranges", 2), 0xf0000000);
    assert_false(find("/axi/serial@f000000", &n));
    assert_true(find("/axi/i2c@f020000/eeprom@54", &n));
    assert_true(find("/axi/gpio@a0000", &n));
    assert_non_null(fdt_prop(&fdt, &n, "gpio-controller", &len));

    /* The bridge: ranges replaced, msi-parent gone, a property added, the rest as it was. */
    assert_true(find("/pcie@10000000", &n));
    v = fdt_prop(&fdt, &n, "ranges", &len);
    assert_non_null(v);
    assert_int_equal(len, sizeof(new_ranges));
    assert_int_equal(cell(&n, "ranges", 0), 0x2000000);
    assert_null(fdt_prop(&fdt, &n, "msi-parent", &len));
    assert_int_equal(cell(&n, "linux,pci-domain", 0), 0);
    assert_non_null(fdt_prop(&fdt, &n, "dma-coherent", &len));
    assert_int_equal(cell(&n, "#address-cells", 0), 3);

    /* A top-level node dropped by its own edit: nothing of it. */
    edits[0].off = p[host_path("/axi", p)].off;
    write_and_open(&g);
    assert_false(find("/axi", &n));
    assert_true(find("/pl031@9010000", &n));

    /* A node rewritten and then dropped (dom0 refused the bridge): dropping wins. */
    edits[2] = (struct guest_dt_edit){edits[1].off, true, NULL, 0};
    for (unsigned int i = 0; i < nr; i++)
        tops[i].nr_edits = 3;
    write_and_open(&g);
    assert_false(find("/pcie@10000000", &n));
}

/* A host DT with 1-cell addresses: minixen's top-level nodes use them too. */
static void test_root_cells(void **state)
{
    struct guest_dt_desc g = desc_v3;
    struct fdt_node n;

    (void)state;
    g.root_addr_cells = 1;
    g.root_size_cells = 1;
    write_and_open(&g);
    assert_true(find("/", &n));
    assert_int_equal(cell(&n, "#address-cells", 0), 1);
    assert_true(find("/memory@40000000", &n));
    assert_reg(&n, 0, 0x40000000, 0x8000000);
    g.ram_base = 0x800000000ull; /* past 4 GiB: cannot be said in one cell */
    assert_int_equal(guest_dt_write(&g, blob, sizeof(blob)), -ENOSPC);
    g = desc_v3;
    g.root_addr_cells = 3;
    assert_int_equal(guest_dt_write(&g, blob, sizeof(blob)), -EINVAL);
}

/* A domU: nothing copied unless its partial DT gives it something. */
static void test_no_devices(void **state)
{
    struct fdt_node n;

    (void)state;
    write_and_open(&desc_v3);
    assert_false(find("/pl031@9010000", &n));
    assert_false(find("/apb-pclk", &n));
}

/* Every size below what it needs: -ENOSPC, and nothing written past the end. */
static void check_sizes(const struct guest_dt_desc *g)
{
    static uint8_t big[16384 + 64];
    int need = guest_dt_write(g, blob, sizeof(blob));

    assert_true(need > 0);
    for (int size = 0; size < need; size++) {
        memset(big, 0xa5, sizeof(big));
        assert_int_equal(guest_dt_write(g, big, (size_t)size), -ENOSPC);
        for (size_t i = (size_t)size; i < sizeof(big); i++)
            if (big[i] != 0xa5)
                fail_msg("size %d: byte %zu written", size, i);
    }
    assert_int_equal(guest_dt_write(g, big, (size_t)need), need);
    assert_memory_equal(big, blob, (size_t)need); /* the same DT in a buffer just its size */
}

static void test_too_small(void **state)
{
    struct guest_dt_desc g = desc_v3;
    struct guest_dt_subtree tops[GUEST_DT_MAX_SUBTREES];
    struct fdt_walk w;
    struct fdt_node n;

    (void)state;
    check_sizes(&desc_v3);
    open_host(); /* and with every host node copied */
    g.nr_subtrees = 0;
    fdt_walk_start(&w);
    while (fdt_walk_next(&host, &w, &n))
        if (n.depth == 1 && g.nr_subtrees < ARRAY_SIZE(tops))
            tops[g.nr_subtrees++] = (struct guest_dt_subtree){&host, n, NULL, 0};
    g.subtrees = tops;
    check_sizes(&g);
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
    /* Subtrees: too many, missing, or an edit with too many properties. */
    {
        struct guest_dt_prop props[GUEST_DT_MAX_OVERRIDE + 1] = {{"a", NULL, 0, false}};
        struct guest_dt_edit e = {0, false, props, GUEST_DT_MAX_OVERRIDE + 1};
        struct guest_dt_subtree t = {&fdt, {0}, &e, 1};

        g = desc_v3;
        g.subtrees = &t;
        g.nr_subtrees = GUEST_DT_MAX_SUBTREES + 1;
        assert_int_equal(guest_dt_write(&g, blob, sizeof(blob)), -EINVAL);
        g.nr_subtrees = 1;
        assert_int_equal(guest_dt_write(&g, blob, sizeof(blob)), -EINVAL);
        g.subtrees = NULL;
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
        cmocka_unit_test(test_v3_domu),    cmocka_unit_test(test_v2_minimal),
        cmocka_unit_test(test_translate),  cmocka_unit_test(test_mem_rsv),
        cmocka_unit_test(test_phandle),    cmocka_unit_test(test_copy_host_nodes),
        cmocka_unit_test(test_root_cells), cmocka_unit_test(test_no_devices),
        cmocka_unit_test(test_too_small),  cmocka_unit_test(test_bad_desc),
    };

    return cmocka_run_group_tests_name("guest_dt", tests, NULL, NULL);
}
