/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small flattened-device-tree writer for the DT each guest boots with, and the DT
 * itself: what Xen 4.17 gives a dom0less domU (root "xen,xenvm", memory, cpus with PSCI,
 * the GIC, the architected timer, /hypervisor with the grant-table window and the event
 * upcall PPI, /chosen), so a guest that boots on Xen boots here. The hardware domain also
 * gets the host devices passed through to it (hwdom_devices.c), as the host DT has them.
 *
 * Layout (devicetree specification v0.4, chapter 5): header, an empty memory reservation
 * block, the structure block, then the strings block. Strings are collected on the side
 * (deduplicated) and appended at the end. Every write is bounds-checked: running out of
 * room only sets a flag, so the result is -ENOSPC, never a write past buf + size.
 *
 * Includes are relative (not <asm/...>) so tests/host/test_guest_dt.c can build this file
 * into a host program and read its output back with the hypervisor's FDT reader.
 */
#include "include/asm/guest_dt.h"
#include <xen/errno.h>
#include <xen/lib.h>

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_END        9u
#define FDT_HDR_SIZE   40u
#define FDT_RSV_SIZE   16u /* one terminating (0, 0) entry */

#define STRINGS_MAX 512

/* Interrupt specifier flags (GIC binding): CPU mask 0xf, level-low = 8, level-high = 4. */
#define IRQ_PPI        1
#define IRQ_SPI        0
#define IRQ_PPI_FLAGS  0xf08u
#define IRQ_LEVEL_HIGH 4u
#define VPL011_BAUD    115200u /* what Xen's vPL011 node says */

struct fdtw {
    uint8_t *buf;
    uint32_t size, off; /* off: next byte of the structure block (from buf) */
    char strings[STRINGS_MAX];
    uint32_t strings_len;
    bool overflow;
};

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Append len bytes (NULL: zeros), then pad to 4 bytes with zeros. */
static void emit(struct fdtw *w, const void *data, uint32_t len)
{
    uint32_t padded = (len + 3) & ~3u;

    if (w->overflow || padded < len || padded > w->size - w->off) {
        w->overflow = true;
        return;
    }
    if (data != NULL)
        memcpy(w->buf + w->off, data, len);
    else
        memset(w->buf + w->off, 0, len);
    memset(w->buf + w->off + len, 0, padded - len);
    w->off += padded;
}

static void emit_u32(struct fdtw *w, uint32_t v)
{
    uint8_t b[4];

    put_be32(b, v);
    emit(w, b, 4);
}

/* Offset of name in the strings block, adding it once. */
static uint32_t string_off(struct fdtw *w, const char *name)
{
    uint32_t len = (uint32_t)strlen(name) + 1, i = 0;

    while (i < w->strings_len) {
        uint32_t l = (uint32_t)strlen(w->strings + i) + 1;

        if (l == len && memcmp(w->strings + i, name, len) == 0)
            return i;
        i += l;
    }
    if (len > STRINGS_MAX - w->strings_len) {
        w->overflow = true;
        return 0;
    }
    memcpy(w->strings + w->strings_len, name, len);
    w->strings_len += len;
    return i;
}

static void begin_node(struct fdtw *w, const char *name)
{
    emit_u32(w, FDT_BEGIN_NODE);
    emit(w, name, (uint32_t)strlen(name) + 1);
}

static void end_node(struct fdtw *w)
{
    emit_u32(w, FDT_END_NODE);
}

static void prop(struct fdtw *w, const char *name, const void *val, uint32_t len)
{
    emit_u32(w, FDT_PROP);
    emit_u32(w, len);
    emit_u32(w, string_off(w, name));
    emit(w, val, len);
}

static void prop_empty(struct fdtw *w, const char *name)
{
    prop(w, name, NULL, 0);
}

/* A string, or a string list written as "a\0b" with its full length (sizeof - 1). */
static void prop_str(struct fdtw *w, const char *name, const char *s, uint32_t len_with_nul)
{
    prop(w, name, s, len_with_nul);
}

static void prop_string(struct fdtw *w, const char *name, const char *s)
{
    prop_str(w, name, s, (uint32_t)strlen(s) + 1);
}

static void prop_cells(struct fdtw *w, const char *name, const uint32_t *cells, unsigned int n)
{
    if (n > (w->size - w->off) / 4) { /* more cells than the buffer holds at all */
        w->overflow = true;
        return;
    }
    emit_u32(w, FDT_PROP);
    emit_u32(w, 4 * n);
    emit_u32(w, string_off(w, name));
    for (unsigned int i = 0; i < n; i++)
        emit_u32(w, cells[i]); /* emit() checks the room for each */
}

static void prop_u32(struct fdtw *w, const char *name, uint32_t v)
{
    prop_cells(w, name, &v, 1);
}

static void prop_u64(struct fdtw *w, const char *name, uint64_t v)
{
    uint32_t c[2] = {(uint32_t)(v >> 32), (uint32_t)v};

    prop_cells(w, name, c, 2);
}

/* reg with the root's 2 address and 2 size cells: up to 3 (base, size) pairs. */
static void prop_reg(struct fdtw *w, const uint64_t *pairs, unsigned int n)
{
    uint32_t c[12];

    for (unsigned int i = 0; i < n && i < 3; i++) {
        c[4 * i] = (uint32_t)(pairs[2 * i] >> 32);
        c[4 * i + 1] = (uint32_t)pairs[2 * i];
        c[4 * i + 2] = (uint32_t)(pairs[2 * i + 1] >> 32);
        c[4 * i + 3] = (uint32_t)pairs[2 * i + 1];
    }
    prop_cells(w, "reg", c, 4 * MIN(n, 3u));
}

static void node_name(char *buf, size_t size, const char *base, uint64_t addr)
{
    xen_snprintf(buf, size, "%s@%llx", base, (unsigned long long)addr);
}

/* ---- The nodes ---------------------------------------------------------------------------- */

static void write_chosen(struct fdtw *w, const struct guest_dt_desc *g)
{
    begin_node(w, "chosen");
    if (g->bootargs != NULL && g->bootargs[0] != '\0')
        prop_string(w, "bootargs", g->bootargs);
    if (g->initrd_end > g->initrd_start) {
        prop_u64(w, "linux,initrd-start", g->initrd_start);
        prop_u64(w, "linux,initrd-end", g->initrd_end);
    }
    end_node(w);
}

static void write_cpus(struct fdtw *w, const struct guest_dt_desc *g)
{
    char name[24];

    begin_node(w, "cpus");
    prop_u32(w, "#address-cells", 1);
    prop_u32(w, "#size-cells", 0);
    for (unsigned int i = 0; i < g->nr_vcpus && !w->overflow; i++) {
        node_name(name, sizeof(name), "cpu", i);
        begin_node(w, name);
        prop_string(w, "device_type", "cpu");
        prop_string(w, "compatible", "arm,armv8");
        prop_string(w, "enable-method", "psci");
        prop_u32(w, "reg", i);
        end_node(w);
    }
    end_node(w);
}

static void write_gic(struct fdtw *w, const struct guest_dt_desc *g)
{
    static const char v2[] = "arm,cortex-a15-gic\0arm,gic-400";
    uint64_t reg[4] = {g->gicd_base, g->gicd_size, g->gicc_base, g->gicc_size};
    char name[40];

    node_name(name, sizeof(name), "interrupt-controller", g->gicd_base);
    begin_node(w, name);
    if (g->gic_version == 3) {
        prop_string(w, "compatible", "arm,gic-v3");
        prop_u32(w, "#redistributor-regions", 1);
    } else {
        prop_str(w, "compatible", v2, sizeof(v2));
    }
    prop_u32(w, "#interrupt-cells", 3);
    prop_u32(w, "#address-cells", 0);
    prop_empty(w, "interrupt-controller");
    prop_reg(w, reg, 2);
    prop_u32(w, "phandle", GUEST_DT_GIC_PHANDLE);
    end_node(w);
}

static void write_timer(struct fdtw *w)
{
    /* Secure, non-secure physical, virtual, hypervisor PPIs: 13 14 11 10, as on Xen. */
    static const uint32_t ppis[4] = {13, 14, 11, 10};
    uint32_t c[12];

    for (unsigned int i = 0; i < 4; i++) {
        c[3 * i] = IRQ_PPI;
        c[3 * i + 1] = ppis[i];
        c[3 * i + 2] = IRQ_PPI_FLAGS;
    }
    begin_node(w, "timer");
    prop_string(w, "compatible", "arm,armv8-timer");
    prop_cells(w, "interrupts", c, 12);
    prop_empty(w, "always-on");
    end_node(w);
}

static void write_hypervisor(struct fdtw *w, const struct guest_dt_desc *g)
{
    static const char compat[] = "xen,xen-4.17\0xen,xen";
    uint64_t reg[2] = {g->gnttab_base, g->gnttab_size};
    uint32_t irq[3] = {IRQ_PPI, g->evtchn_ppi, IRQ_PPI_FLAGS};

    begin_node(w, "hypervisor");
    prop_str(w, "compatible", compat, sizeof(compat));
    prop_reg(w, reg, 1);
    prop_cells(w, "interrupts", irq, 3);
    end_node(w);
}

static void write_pl011(struct fdtw *w, const struct guest_dt_desc *g)
{
    uint64_t reg[2] = {g->pl011_base, g->pl011_size};
    uint32_t irq[3] = {IRQ_SPI, g->pl011_spi, IRQ_LEVEL_HIGH};
    char name[24];

    /*
     * Xen describes its vPL011 as the SBSA subset of a PL011, whose baud rate is fixed:
     * Linux's driver takes it from current-speed and refuses a node without one.
     */
    node_name(name, sizeof(name), "sbsa-uart", g->pl011_base);
    begin_node(w, name);
    prop_string(w, "compatible", "arm,sbsa-uart");
    prop_reg(w, reg, 1);
    prop_cells(w, "interrupts", irq, 3);
    prop_u32(w, "current-speed", VPL011_BAUD);
    end_node(w);
}

/* The clock AMBA devices name: Linux's AMBA bus enables it before it probes the device. */
static void write_apb_pclk(struct fdtw *w)
{
    begin_node(w, "apb-pclk");
    prop_string(w, "compatible", "fixed-clock");
    prop_u32(w, "#clock-cells", 0);
    prop_u32(w, "clock-frequency", GUEST_DT_APB_PCLK_HZ);
    prop_string(w, "clock-output-names", "clk24mhz");
    prop_u32(w, "phandle", GUEST_DT_APB_PCLK_PHANDLE);
    end_node(w);
}

static void write_device(struct fdtw *w, const struct guest_dt_device *dev)
{
    uint64_t reg[2] = {dev->base, dev->size};
    char name[40];

    node_name(name, sizeof(name), dev->name, dev->base);
    begin_node(w, name);
    prop_str(w, "compatible", dev->compatible, dev->compatible_len);
    prop_reg(w, reg, 1);
    if (dev->apb_pclk) {
        prop_u32(w, "clocks", GUEST_DT_APB_PCLK_PHANDLE);
        prop_string(w, "clock-names", "apb_pclk");
    }
    if (dev->has_irq) {
        uint32_t irq[3] = {0 /* SPI */, dev->spi, dev->irq_flags};

        prop_cells(w, "interrupts", irq, 3);
    }
    if (dev->dma_coherent)
        prop_empty(w, "dma-coherent");
    if (dev->device_type != NULL)
        prop_string(w, "device_type", dev->device_type);
    for (unsigned int i = 0; i < dev->nr_props; i++)
        prop_cells(w, dev->props[i].name, dev->props[i].cells, dev->props[i].nr_cells);
    end_node(w);
}

/* Copying a partial DT's /passthrough subtree: its nodes and properties but "xen,*". */
static bool copy_begin(void *ctx, const char *name)
{
    begin_node(ctx, name);
    return true;
}

static bool copy_prop(void *ctx, const char *name, const void *val, uint32_t len)
{
    if (memcmp(name, "xen,", 4) != 0) /* name is NUL-terminated: a shorter one differs */
        prop(ctx, name, val, len);
    return true;
}

static bool copy_end(void *ctx)
{
    end_node(ctx);
    return true;
}

static void write_partial(struct fdtw *w, const struct guest_dt_desc *g)
{
    const struct fdt_visitor v = {copy_begin, copy_prop, copy_end, w};

    if (g->partial != NULL && !fdt_visit_subtree(g->partial, &g->partial_node, &v))
        w->overflow = true; /* malformed: no DT at all rather than half a node */
}

static void write_devices(struct fdtw *w, const struct guest_dt_desc *g)
{
    bool clock = false;

    for (unsigned int i = 0; i < g->nr_devices; i++)
        clock |= g->devices[i].apb_pclk;
    if (clock)
        write_apb_pclk(w);
    for (unsigned int i = 0; i < g->nr_devices; i++)
        write_device(w, &g->devices[i]);
}

int guest_dt_write(const struct guest_dt_desc *g, void *buf, size_t size)
{
    static const char root_compat[] = "xen,xenvm-4.17\0xen,xenvm";
    static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
    struct fdtw w;
    uint64_t mem[2] = {g->ram_base, g->ram_size};
    char name[32];
    uint32_t struct_size, total;
    uint8_t *h = buf;

    if (buf == NULL || g->nr_vcpus == 0 || (g->gic_version != 2 && g->gic_version != 3) ||
        g->nr_devices > GUEST_DT_MAX_DEVICES || (g->nr_devices != 0 && g->devices == NULL))
        return -EINVAL;
    for (unsigned int i = 0; i < g->nr_devices; i++) {
        const struct guest_dt_device *dev = &g->devices[i];

        /* A compatible list must end in its NUL, or the guest reads past it. */
        if (dev->name == NULL || dev->compatible == NULL || dev->compatible_len == 0 ||
            dev->compatible[dev->compatible_len - 1] != '\0')
            return -EINVAL;
    }
    if (size < FDT_HDR_SIZE + FDT_RSV_SIZE)
        return -ENOSPC;
    memset(&w, 0, sizeof(w));
    w.buf = buf;
    w.size = size > 0x7fffffffu ? 0x7fffffffu : (uint32_t)size;
    memset(buf, 0, FDT_HDR_SIZE + FDT_RSV_SIZE);
    w.off = FDT_HDR_SIZE + FDT_RSV_SIZE;

    begin_node(&w, "");
    prop_u32(&w, "#address-cells", 2);
    prop_u32(&w, "#size-cells", 2);
    prop_str(&w, "compatible", root_compat, sizeof(root_compat));
    prop_string(&w, "model", "XENVM-4.17");
    prop_u32(&w, "interrupt-parent", GUEST_DT_GIC_PHANDLE);

    write_chosen(&w, g);
    node_name(name, sizeof(name), "memory", g->ram_base);
    begin_node(&w, name);
    prop_string(&w, "device_type", "memory");
    prop_reg(&w, mem, 1);
    end_node(&w);
    write_cpus(&w, g);

    begin_node(&w, "psci");
    prop_str(&w, "compatible", psci_compat, sizeof(psci_compat));
    prop_string(&w, "method", "hvc");
    end_node(&w);

    write_gic(&w, g);
    write_timer(&w);
    write_hypervisor(&w, g);
    if (g->vpl011)
        write_pl011(&w, g);
    write_devices(&w, g);
    write_partial(&w, g);
    end_node(&w); /* root */
    emit_u32(&w, FDT_END);

    struct_size = w.off - (FDT_HDR_SIZE + FDT_RSV_SIZE);
    emit(&w, w.strings, w.strings_len); /* padded to 4: harmless past size_dt_strings */
    if (w.overflow)
        return -ENOSPC;
    total = w.off;

    put_be32(h + 0, FDT_MAGIC);
    put_be32(h + 4, total);
    put_be32(h + 8, FDT_HDR_SIZE + FDT_RSV_SIZE);                /* off_dt_struct */
    put_be32(h + 12, FDT_HDR_SIZE + FDT_RSV_SIZE + struct_size); /* off_dt_strings */
    put_be32(h + 16, FDT_HDR_SIZE);                              /* off_mem_rsvmap */
    put_be32(h + 20, 17);                                        /* version */
    put_be32(h + 24, 16);                                        /* last_comp_version */
    put_be32(h + 28, 0);                                         /* boot_cpuid_phys */
    put_be32(h + 32, w.strings_len);                             /* size_dt_strings */
    put_be32(h + 36, struct_size);                               /* size_dt_struct */
    return (int)total;
}
