/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the hardware domain gets of the host DT (see asm/hwdom_plan.h): the choice, made
 * once at boot from the DT alone, so tests/host/test_hwdom_plan.c checks it on board DTs.
 *
 * Which: every node of the host DT but what the hypervisor keeps or describes itself, as
 * on Xen 4.17: its console UART, the GIC (with its children: GICv2m frames, ITS), the
 * timer, PSCI, the PMU, /memory, /cpus, /chosen, /hypervisor, /reserved-memory, the
 * overlay symbol tables, and nodes that say "xen,passthrough" (a domU's: passthrough.c).
 * dom0's DT is minixen's own nodes (guest_dt.c) and then every other top-level host node
 * copied as it is: phandles, clocks, GPIO keys, buses and their "ranges" stay the host's.
 * dom0's GIC node carries the host GIC's phandle and sits at the host GIC's address
 * (vgic_v2.c, vgic_v3.c), so every interrupt-parent in the copies names it.
 *
 * What a node gets: each of its reg ranges, translated to a host address through its
 * buses' "ranges" (fdt_translate). Stage 2 maps whole pages, so such a page must hold
 * nothing the hypervisor keeps (its GIC, its UART) and no host RAM. A node on a bus that
 * is not memory-mapped (I2C, SPI) has no range; its controller does. Each interrupt whose
 * parent is the GIC and that is an SPI; a PPI is not the node's to have and stays out, as
 * on Xen. A PCIe host bridge (hwdom_pci.c) also gets its windows and its INTx SPIs, and
 * its ranges and interrupt-map are rewritten for dom0. Disabled nodes are copied, never
 * given anything. A node that cannot be had is left out of dom0's DT with a boot line.
 */
#include <asm/guest_memmap.h>
#include <asm/host_spis.h>
#include <asm/hwdom_pci.h>
#include <asm/hwdom_plan.h>
#include <asm/p2m.h>
#include <xen/lib.h>

#define HWDOM_MAX_EDITS (HWDOM_MAX_NODES + 32) /* refused nodes and nested left-outs */

static struct fdt host;
static uint32_t host_gic_phandle, dom0_gic_phandle, root_ac, root_sc;

static struct hwdom_node nodes[HWDOM_MAX_NODES];
static unsigned int nr_nodes;
static struct hwdom_range ranges[HWDOM_MAX_RANGES];
static unsigned int nr_ranges;
static struct hwdom_spi spis[HWDOM_MAX_SPIS];
static unsigned int nr_spis;

/* dom0's DT: one copy per top-level host node, and what to change in them. */
static struct guest_dt_subtree tops[GUEST_DT_MAX_SUBTREES];
static unsigned int nr_tops;
static struct guest_dt_edit edits[HWDOM_MAX_EDITS];
static unsigned int nr_edits;

/* The one PCIe host bridge dom0 gets. */
static struct hwdom_pci pci;

/* Host ranges a given page must not touch: the GIC and the console UART; host RAM. */
#define HWDOM_KEEP_MAX 6
#define HWDOM_RAM_MAX  8
static struct {
    uint64_t base, size;
} keep[HWDOM_KEEP_MAX], host_ram[HWDOM_RAM_MAX];
static unsigned int nr_keep, nr_host_ram;
static uint64_t uart_page = ~0ull;

static bool overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
    return a < b + bsize && b < a + asize;
}

static void keep_range(uint64_t base, uint64_t size)
{
    if (size != 0 && nr_keep < HWDOM_KEEP_MAX) {
        keep[nr_keep].base = base;
        keep[nr_keep].size = size;
        nr_keep++;
    }
}

const char *hwdom_plan_host_owner(uint64_t base, uint64_t size)
{
    for (unsigned int i = 0; i < nr_keep; i++)
        if (overlaps(base, size, keep[i].base, keep[i].size))
            return "the hypervisor's own device";
    for (unsigned int i = 0; i < nr_host_ram; i++)
        if (overlaps(base, size, host_ram[i].base, host_ram[i].size))
            return "host RAM";
    return NULL;
}

/* ---- Which host nodes ---------------------------------------------------------------------- */

static bool name_is(const char *name, const char *base)
{
    while (*base != '\0' && *name == *base) {
        name++;
        base++;
    }
    return *base == '\0' && (*name == '\0' || *name == '@');
}

static const char *const kept_compatibles[] = {
    "arm,gic-v3",          "arm,cortex-a15-gic", "arm,gic-400",        "arm,cortex-a9-gic",
    "arm,armv8-timer",     "arm,armv7-timer",    "arm,psci",           "arm,psci-0.2",
    "arm,psci-1.0",        "arm,armv8-pmuv3",    "arm,cortex-a15-pmu", "arm,cortex-a7-pmu",
    "arm,cortex-a53-edac",
};

/* Does the hypervisor keep or describe this node itself (left out of dom0's DT quietly)? */
static bool kept_by_hypervisor(const struct fdt_node *n)
{
    static const char *const top_names[] = {
        "chosen",          "cpus",        "memory",     "hypervisor",
        "reserved-memory", "__symbols__", "__fixups__", "__local_fixups__"};

    if (fdt_prop(&host, n, "xen,passthrough", NULL) != NULL ||
        fdt_prop_has_string(&host, n, "device_type", "memory"))
        return true;
    for (unsigned int i = 0; n->depth == 1 && i < ARRAY_SIZE(top_names); i++)
        if (name_is(n->name, top_names[i]))
            return true;
    for (unsigned int i = 0; i < ARRAY_SIZE(kept_compatibles); i++)
        if (fdt_is_compatible(&host, n, kept_compatibles[i]))
            return true;
    return false;
}

/* The phandle of the interrupt parent of path[depth] (its own, else inherited), 0: none. */
static uint32_t irq_parent(const struct fdt_node *path, unsigned int depth)
{
    for (unsigned int k = depth + 1; k-- > 0;) {
        uint32_t ph;

        if (fdt_prop_u32(&host, &path[k], "interrupt-parent", &ph))
            return ph;
    }
    return 0;
}

static bool is_gic(uint32_t phandle)
{
    /* A DT without any interrupt-parent has one controller: the GIC. */
    return phandle == 0 || phandle == host_gic_phandle;
}

static const char *add_spi(const uint8_t *spec)
{
    uint32_t spi, flags;

    if (!host_spi_spec(spec, &spi, &flags))
        return NULL; /* a PPI: not the device's to have */
    if (nr_spis == HWDOM_MAX_SPIS)
        return "too many SPIs";
    spis[nr_spis].spi = (uint16_t)spi;
    spis[nr_spis].level = host_spi_level(flags);
    nr_spis++;
    return NULL;
}

/* Its GIC SPIs, from "interrupts" or "interrupts-extended". */
static const char *take_spis(const struct fdt_node *path, unsigned int depth)
{
    const struct fdt_node *n = &path[depth];
    uint32_t len = 0;
    const uint8_t *p = fdt_prop(&host, n, "interrupts-extended", &len);
    const char *why = NULL;

    if (p != NULL) {
        /* Entries: a phandle, then as many cells as that controller's #interrupt-cells. */
        for (uint32_t i = 0; why == NULL && i + 4 <= len;) {
            uint32_t ph = fdt_be32(p + i), cells = 0;
            struct fdt_node parent;

            if (!fdt_node_by_phandle(&host, ph, &parent) ||
                !fdt_prop_u32(&host, &parent, "#interrupt-cells", &cells) || cells > 4 ||
                i + 4 + 4 * cells > len)
                return "interrupts-extended not understood";
            if (ph == host_gic_phandle && cells == 3)
                why = add_spi(p + i + 4);
            i += 4 + 4 * cells;
        }
        return why;
    }
    p = fdt_prop(&host, n, "interrupts", &len);
    if (p == NULL || !is_gic(irq_parent(path, depth)))
        return NULL; /* none, or a GPIO's or another controller's: its owner's business */
    for (uint32_t i = 0; why == NULL && i + 12 <= len; i += 12)
        why = add_spi(p + i);
    return why;
}

static const char *add_range(uint64_t base, uint64_t size)
{
    uint64_t b = base & ~(uint64_t)(PAGE_SIZE - 1);
    uint64_t e = (base + size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    const char *what;

    if (base + size < base || e < b || e > P2M_IPA_LIMIT)
        return "a range past the guest address space";
    if (uart_page >= b && uart_page < e)
        return ""; /* the hypervisor's console itself (or a page it shares): quietly */
    what = hwdom_plan_host_owner(b, e - b);
    if (what != NULL) /* the page, not just the range: stage 2 gives whole pages */
        return what[0] == 'h' ? "a page of it is host RAM"
                              : "a page of it holds the hypervisor's own device";
    if (nr_ranges == HWDOM_MAX_RANGES)
        return "too many ranges";
    ranges[nr_ranges].base = b;
    ranges[nr_ranges].size = e - b;
    nr_ranges++;
    return NULL;
}

static bool on_pci_bus(const struct fdt_node *path, unsigned int depth)
{
    for (unsigned int k = 1; k < depth; k++)
        if (fdt_prop_has_string(&host, &path[k], "device_type", "pci"))
            return true;
    return false;
}

/* A PCIe host bridge: its ECAM (already taken), windows, INTx SPIs, rewritten node. */
static const char *take_bridge(const struct fdt_node *n)
{
    for (unsigned int i = 0; i < nr_nodes; i++)
        if (nodes[i].pci)
            return "a second PCIe host bridge";
    /* Its windows stop short of the grant-table window. */
    if (!hwdom_pci_parse(&host, n, P2M_IPA_LIMIT, GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE,
                         dom0_gic_phandle, &pci))
        return "a PCIe host bridge this cannot describe";
    for (unsigned int w = 0; w < pci.nr_windows; w++) {
        const char *why = add_range(pci.window[w].base, pci.window[w].size);

        if (why != NULL)
            return why;
    }
    for (unsigned int s = 0; s < pci.nr_spis; s++) {
        if (nr_spis == HWDOM_MAX_SPIS)
            return "too many SPIs";
        spis[nr_spis].spi = (uint16_t)pci.spi[s];
        spis[nr_spis].level = true; /* INTx */
        nr_spis++;
    }
    return NULL;
}

static const char *add_edit(uint32_t off, const struct guest_dt_prop *props, unsigned int nr)
{
    if (nr_edits == HWDOM_MAX_EDITS)
        return "too many nodes to change";
    edits[nr_edits++] = (struct guest_dt_edit){off, props == NULL, props, nr};
    return NULL;
}

/* path[depth]'s ranges and SPIs: NULL, or why it cannot be given ("": quietly). */
static const char *take_node(const struct fdt_node *path, unsigned int depth)
{
    const struct fdt_node *n = &path[depth];
    struct hwdom_node *hn;
    unsigned int r0 = nr_ranges, s0 = nr_spis, e0 = nr_edits;
    bool bridge = fdt_prop_has_string(&host, n, "device_type", "pci");
    const char *why = NULL;
    uint64_t base, size;

    for (unsigned int i = 0;
         why == NULL && !on_pci_bus(path, depth) && fdt_reg(&host, n, i, &base, &size); i++)
        if (size != 0 && fdt_translate(&host, path, depth, &base, size))
            why = add_range(base, size);
    if (why == NULL && bridge) {
        why = take_bridge(n);
        if (why == NULL)
            why = add_edit(n->off, pci.props, pci.nr_props);
    }
    if (why == NULL)
        why = take_spis(path, depth);
    if (why == NULL && nr_ranges == r0 && nr_spis == s0)
        return NULL; /* nothing of the host's to give: copied as it is */
    if (why == NULL && nr_nodes == HWDOM_MAX_NODES)
        why = "too many devices";
    if (why != NULL) {
        nr_ranges = r0;
        nr_spis = s0;
        nr_edits = e0; /* the bridge's rewrite, if it came that far */
        return why;
    }
    hn = &nodes[nr_nodes++];
    *hn = (struct hwdom_node){.name = n->name,
                              .off = n->off,
                              .first_range = (uint16_t)r0,
                              .nr_ranges = (uint16_t)(nr_ranges - r0),
                              .first_spi = (uint16_t)s0,
                              .nr_spis = (uint16_t)(nr_spis - s0),
                              .pci = bridge};
    return NULL;
}

/* Counts at the start of the top-level node being read, to undo it all. */
struct mark {
    unsigned int nodes, ranges, spis, edits;
};

static void undo_top(const struct mark *m)
{
    nr_nodes = m->nodes;
    nr_ranges = m->ranges;
    nr_spis = m->spis;
    nr_edits = m->edits;
    nr_tops--;
}

void hwdom_plan_build(const struct host_dt *dt)
{
    struct fdt_node path[FDT_MAX_DEPTH + 1];
    struct fdt_walk w;
    struct fdt_node n;
    struct mark m = {0};
    unsigned int skip_below = ~0u; /* the depth of a node whose subtree is left out */

    nr_nodes = nr_ranges = nr_spis = nr_tops = nr_edits = nr_keep = nr_host_ram = 0;
    host = dt->fdt;
    host_gic_phandle = dt->gic_phandle;
    dom0_gic_phandle = dt->gic_phandle != 0 ? dt->gic_phandle : GUEST_DT_GIC_PHANDLE;
    for (unsigned int i = 0; i < dt->nr_mem && i < HWDOM_RAM_MAX; i++) {
        host_ram[nr_host_ram].base = dt->mem[i].base;
        host_ram[nr_host_ram].size = dt->mem[i].size;
        nr_host_ram++;
    }
    keep_range(dt->gicd_base, dt->gicd_size);
    keep_range(dt->gicr_base, dt->gicr_size);
    keep_range(dt->gicc_base, dt->gicc_size);
    keep_range(dt->gich_base, dt->gich_size);
    keep_range(dt->gicv_base, dt->gicv_size);
    uart_page = ~0ull;
    if (dt->uart_drv != NULL && !dt->uart.pio) {
        uart_page = dt->uart.base & ~(uint64_t)(PAGE_SIZE - 1);
        keep_range(uart_page, PAGE_SIZE);
    }

    fdt_walk_start(&w);
    while (fdt_walk_next(&host, &w, &n)) {
        const char *why;

        if (n.depth > skip_below)
            continue;
        skip_below = ~0u;
        path[n.depth] = n;
        if (n.depth == 0) {
            root_ac = 2;
            root_sc = 1; /* the specification's defaults */
            fdt_prop_u32(&host, &n, "#address-cells", &root_ac);
            fdt_prop_u32(&host, &n, "#size-cells", &root_sc);
            continue;
        }
        if (kept_by_hypervisor(&n)) {
            skip_below = n.depth;
            if (n.depth > 1 && add_edit(n.off, NULL, 0) != NULL) {
                printk("hwdom: host %s and everything near it left out: too many nodes\n",
                       path[1].name);
                undo_top(&m);
                skip_below = 1;
            }
            continue;
        }
        if (n.depth == 1) {
            if (nr_tops == GUEST_DT_MAX_SUBTREES) {
                printk("hwdom: more than %u host nodes: %s left out\n", GUEST_DT_MAX_SUBTREES,
                       n.name);
                skip_below = 1;
                continue;
            }
            m = (struct mark){nr_nodes, nr_ranges, nr_spis, nr_edits};
            tops[nr_tops++] = (struct guest_dt_subtree){.fdt = &host, .node = n};
        }
        if (!fdt_is_available(&host, &n)) {
            skip_below = n.depth; /* copied as it is (disabled), nothing of it mapped */
            continue;
        }
        why = take_node(path, n.depth);
        if (why == NULL)
            continue;
        skip_below = n.depth;
        if (why[0] != '\0')
            printk("hwdom: host %s not passed through: %s\n", n.name, why);
        if (add_edit(n.off, NULL, 0) != NULL) {
            printk("hwdom: host %s and everything near it left out: too many nodes\n",
                   path[1].name);
            undo_top(&m);
            skip_below = 1;
        }
    }
}

const struct hwdom_plan *hwdom_plan(void)
{
    static struct hwdom_plan view;

    /* Every copy sees every edit: each names its node by offset. */
    for (unsigned int i = 0; i < nr_tops; i++) {
        tops[i].edits = edits;
        tops[i].nr_edits = nr_edits;
    }
    view = (struct hwdom_plan){nodes,   nr_nodes,         ranges,  spis,   tops,
                               nr_tops, dom0_gic_phandle, root_ac, root_sc};
    return &view;
}

bool hwdom_plan_refuse(unsigned int i)
{
    if (i >= nr_nodes)
        return false;
    nodes[i].refused = true;
    return add_edit(nodes[i].off, NULL, 0) == NULL;
}
