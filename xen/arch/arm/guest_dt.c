/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small flattened-device-tree writer for the DT each guest boots with, and the DT
 * itself: what Xen 4.17 gives a dom0less domU (root "xen,xenvm", memory, cpus with PSCI,
 * the GIC, the architected timer, /hypervisor with the grant-table window and the event
 * upcall PPI, /chosen), so a guest that boots on Xen boots here. Subtrees of other DTs
 * follow, copied as they are: the host's device nodes for the hardware domain
 * (hwdom_devices.c), a domU's /passthrough node from its partial DT (passthrough.c).
 *
 * Layout (devicetree specification v0.4, chapter 5): header, an empty memory reservation
 * block, the structure block, then the strings block. The structure block grows up from
 * the start of the buffer and the strings (deduplicated) grow down from its end, named
 * meanwhile by their distance from the end; at the end the strings move down behind the
 * structure and every property's name offset is made relative to them (as libfdt's
 * sequential writer does): no fixed table, nothing on the stack, and any buffer the DT
 * fits in will do. Every write is bounds-checked: running out of room only sets a flag,
 * so the result is -ENOSPC, never a write past buf + size.
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

/* Interrupt specifier flags (GIC binding): CPU mask 0xf, level-low = 8, level-high = 4. */
#define IRQ_PPI        1
#define IRQ_SPI        0
#define IRQ_PPI_FLAGS  0xf08u
#define IRQ_LEVEL_HIGH 4u
#define VPL011_BAUD    115200u /* what Xen's vPL011 node says */

struct fdtw {
    uint8_t *buf;
    uint32_t size, off;              /* off: next structure byte */
    uint32_t strings_len;            /* the strings: the last strings_len bytes of buf */
    uint32_t addr_cells, size_cells; /* the root's: every top-level reg written here */
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

    if (w->overflow || padded < len || padded > w->size - w->strings_len - w->off) {
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

/* name's distance from the end of the buffer (its strings), adding it once. */
static uint32_t string_off(struct fdtw *w, const char *name)
{
    uint32_t len = (uint32_t)strlen(name) + 1;
    const char *strings = (const char *)w->buf + w->size - w->strings_len;

    for (uint32_t i = 0; i < w->strings_len;) {
        uint32_t l = (uint32_t)strlen(strings + i) + 1;

        if (l == len && memcmp(strings + i, name, len) == 0)
            return w->strings_len - i;
        i += l;
    }
    if (w->overflow || len > w->size - w->off - w->strings_len) {
        w->overflow = true;
        return 0;
    }
    w->strings_len += len;
    memcpy(w->buf + w->size - w->strings_len, name, len);
    return w->strings_len;
}

/*
 * The strings behind the structure block [start, w->off): each property's name offset,
 * a distance from the buffer's end until now, becomes an offset into them. The block is
 * ours and well formed, so its tokens are read back without checks beyond its end.
 */
static void finish_strings(struct fdtw *w, uint32_t start)
{
    uint32_t pos = start;

    while (pos + 4 <= w->off) {
        uint32_t tok = fdt_be32(w->buf + pos);

        if (tok == FDT_BEGIN_NODE) {
            pos += 4 + (((uint32_t)strlen((const char *)w->buf + pos + 4) + 1 + 3) & ~3u);
        } else if (tok == FDT_PROP) {
            uint32_t len = fdt_be32(w->buf + pos + 4);

            put_be32(w->buf + pos + 8, w->strings_len - fdt_be32(w->buf + pos + 8));
            pos += 12 + ((len + 3) & ~3u);
        } else {
            pos += 4; /* END_NODE, END */
        }
    }
    memmove(w->buf + w->off, w->buf + w->size - w->strings_len, w->strings_len);
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

/* One value in cells (1 or 2) cells at c; false if it does not fit. */
static bool put_cells(uint32_t *c, uint32_t cells, uint64_t v)
{
    if (cells == 1) {
        c[0] = (uint32_t)v;
        return v >> 32 == 0;
    }
    c[0] = (uint32_t)(v >> 32);
    c[1] = (uint32_t)v;
    return true;
}

/*
 * reg of a top-level node, in the root's cells: up to 2 (base, size) pairs. A value the
 * root's cells cannot hold (a 32-bit host DT and a region past 4 GiB) cannot be described:
 * the DT is refused as if it did not fit.
 */
static void prop_reg(struct fdtw *w, const uint64_t *pairs, unsigned int n)
{
    uint32_t c[8], k = 0;

    for (unsigned int i = 0; i < n && i < 2; i++) {
        if (!put_cells(&c[k], w->addr_cells, pairs[2 * i]) ||
            !put_cells(&c[k + w->addr_cells], w->size_cells, pairs[2 * i + 1]))
            w->overflow = true;
        k += w->addr_cells + w->size_cells;
    }
    prop_cells(w, "reg", c, k);
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
        if (!g->aarch32) /* as Xen: an ARM kernel finds PSCI through /psci alone */
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
    prop_u32(w, "phandle", g->gic_phandle != 0 ? g->gic_phandle : GUEST_DT_GIC_PHANDLE);
    end_node(w);
}

static void write_timer(struct fdtw *w, const struct guest_dt_desc *g)
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
    prop_string(w, "compatible", g->aarch32 ? "arm,armv7-timer" : "arm,armv8-timer");
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

/* Copying a subtree (struct guest_dt_subtree says what is left out or replaced). */
struct copy {
    struct fdtw *w;
    const struct guest_dt_subtree *t;
    unsigned int depth;
    const struct guest_dt_edit *edit[FDT_MAX_DEPTH + 1]; /* of each open node, or NULL */
    uint32_t used[FDT_MAX_DEPTH + 1];                    /* bit i: its override i written */
};

static void prop_override(struct copy *c, unsigned int i)
{
    const struct guest_dt_prop *o = &c->edit[c->depth]->props[i];

    if (!o->remove)
        prop_cells(c->w, o->name, o->cells, o->nr_cells);
    c->used[c->depth] |= 1u << i;
}

static enum fdt_visit copy_begin(void *ctx, const char *name, uint32_t off)
{
    struct copy *c = ctx;
    const struct guest_dt_edit *e = NULL;

    /* A node may have a rewrite and later be dropped: dropping wins. */
    for (unsigned int i = 0; i < c->t->nr_edits; i++) {
        if (c->t->edits[i].off != off)
            continue;
        if (c->t->edits[i].drop)
            return FDT_VISIT_SKIP;
        if (e == NULL)
            e = &c->t->edits[i];
    }
    if (c->depth == FDT_MAX_DEPTH)
        return FDT_VISIT_STOP;
    begin_node(c->w, name);
    c->depth++;
    c->edit[c->depth] = e;
    c->used[c->depth] = 0;
    return FDT_VISIT_ENTER;
}

static bool copy_prop(void *ctx, const char *name, const void *val, uint32_t len)
{
    struct copy *c = ctx;
    const struct guest_dt_edit *e = c->edit[c->depth];

    if (name[0] == 'x' && name[1] == 'e' && name[2] == 'n' && name[3] == ',')
        return true; /* each test stops at a NUL: never past a shorter name */
    for (unsigned int i = 0; e != NULL && i < e->nr_props; i++)
        if (strcmp(name, e->props[i].name) == 0) {
            if ((c->used[c->depth] & (1u << i)) == 0)
                prop_override(c, i);
            return true;
        }
    prop(c->w, name, val, len);
    return true;
}

static bool copy_end(void *ctx)
{
    struct copy *c = ctx;
    const struct guest_dt_edit *e = c->edit[c->depth];

    for (unsigned int i = 0; e != NULL && i < e->nr_props; i++)
        if ((c->used[c->depth] & (1u << i)) == 0)
            prop_override(c, i); /* the node had none: added */
    end_node(c->w);
    c->depth--;
    return true;
}

static void write_subtrees(struct fdtw *w, const struct guest_dt_desc *g)
{
    for (unsigned int i = 0; i < g->nr_subtrees && !w->overflow; i++) {
        struct copy c = {.w = w, .t = &g->subtrees[i]};
        const struct fdt_visitor v = {copy_begin, copy_prop, copy_end, &c};

        if (!fdt_visit_subtree(c.t->fdt, &c.t->node, &v))
            w->overflow = true; /* malformed: no DT at all rather than half a node */
    }
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

    uint32_t ac = g->root_addr_cells != 0 ? g->root_addr_cells : 2;
    uint32_t sc = g->root_size_cells != 0 ? g->root_size_cells : 2;

    if (buf == NULL || g->nr_vcpus == 0 || (g->gic_version != 2 && g->gic_version != 3) || ac > 2 ||
        sc > 2 || g->nr_subtrees > GUEST_DT_MAX_SUBTREES ||
        (g->nr_subtrees != 0 && g->subtrees == NULL))
        return -EINVAL;
    for (unsigned int i = 0; i < g->nr_subtrees; i++) {
        const struct guest_dt_subtree *t = &g->subtrees[i];

        if (t->fdt == NULL || (t->nr_edits != 0 && t->edits == NULL))
            return -EINVAL;
        for (unsigned int k = 0; k < t->nr_edits; k++)
            if (t->edits[k].nr_props > GUEST_DT_MAX_OVERRIDE ||
                (t->edits[k].nr_props != 0 && t->edits[k].props == NULL))
                return -EINVAL;
    }
    if (size < FDT_HDR_SIZE + FDT_RSV_SIZE)
        return -ENOSPC;
    memset(&w, 0, sizeof(w));
    w.buf = buf;
    w.size = size > 0x7fffffffu ? 0x7fffffffu : (uint32_t)size;
    w.addr_cells = ac;
    w.size_cells = sc;
    memset(buf, 0, FDT_HDR_SIZE + FDT_RSV_SIZE);
    w.off = FDT_HDR_SIZE + FDT_RSV_SIZE;

    begin_node(&w, "");
    prop_u32(&w, "#address-cells", ac);
    prop_u32(&w, "#size-cells", sc);
    prop_str(&w, "compatible", root_compat, sizeof(root_compat));
    prop_string(&w, "model", "XENVM-4.17");
    prop_u32(&w, "interrupt-parent", g->gic_phandle != 0 ? g->gic_phandle : GUEST_DT_GIC_PHANDLE);

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
    write_timer(&w, g);
    write_hypervisor(&w, g);
    if (g->vpl011)
        write_pl011(&w, g);
    write_subtrees(&w, g);
    end_node(&w); /* root */
    emit_u32(&w, FDT_END);

    struct_size = w.off - (FDT_HDR_SIZE + FDT_RSV_SIZE);
    if (w.overflow)
        return -ENOSPC;
    finish_strings(&w, FDT_HDR_SIZE + FDT_RSV_SIZE);
    total = w.off + w.strings_len;

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
