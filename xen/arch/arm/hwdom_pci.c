/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A PCIe host bridge for the hardware domain (see asm/hwdom_pci.h). The generic ECAM
 * binding (Linux's pci-host-generic) as QEMU virt describes it, rewritten for dom0:
 *
 * - "ranges": the I/O and 32-bit memory windows, mapped 1:1; a 64-bit window past the
 *   guest address space (QEMU's at 512 GiB) is left out, and a window that runs into the
 *   grant-table window is cut short before it (Linux assigns BARs from a window's start).
 * - "interrupt-map": each INTx entry now names dom0's vGIC (no parent address cells) and
 *   the same SPI, level-triggered; those SPIs are routed to dom0 (host_spis.c).
 * - No "msi-map"/"msi-parent" (removed): the vGIC has no ITS or v2m, so devices use INTx.
 *
 * Only cell counts the binding fixes are accepted (3 address, 2 size, 1 interrupt cells;
 * parent interrupt specifiers of 3 cells): anything else is left to dom0's absence.
 */
#include <asm/host_spis.h>
#include <asm/hwdom_pci.h>
#include <xen/lib.h>

#define PCI_ADDR_CELLS 3
#define PCI_SIZE_CELLS 2
#define PCI_SPACE(hi)  (((hi) >> 24) & 3) /* 1 I/O, 2 32-bit memory, 3 64-bit memory */

static const uint8_t *cells_of(const struct fdt *fdt, const struct fdt_node *n, const char *name,
                               uint32_t *nr)
{
    uint32_t len = 0;
    const uint8_t *p = fdt_prop(fdt, n, name, &len);

    *nr = p != NULL && len % 4 == 0 ? len / 4 : 0;
    return *nr != 0 ? p : NULL;
}

/* #address-cells of the node with this phandle (the interrupt parent); 0 if none. */
static uint32_t parent_addr_cells(const struct fdt *fdt, uint32_t phandle)
{
    struct fdt_node n;
    uint32_t v;

    return fdt_node_by_phandle(fdt, phandle, &n) && fdt_prop_u32(fdt, &n, "#address-cells", &v) ? v
                                                                                                : 0;
}

static void add_prop(struct hwdom_pci *p, unsigned int *i, const char *name, const uint32_t *c,
                     uint32_t nr)
{
    if (*i < HWDOM_PCI_PROPS)
        p->props[(*i)++] = (struct guest_dt_prop){name, c, nr, c == NULL};
}

static bool parse_ranges(const struct fdt *fdt, const struct fdt_node *n, uint64_t limit,
                         uint64_t hole, uint64_t hole_size, struct hwdom_pci *p)
{
    uint32_t nr, entry = PCI_ADDR_CELLS + 2 + PCI_SIZE_CELLS; /* root: 2 address cells */
    const uint8_t *r = cells_of(fdt, n, "ranges", &nr);

    if (r == NULL || nr % entry != 0)
        return false;
    for (uint32_t e = 0; e < nr / entry; e++) {
        const uint8_t *c = r + 4 * entry * e;
        uint32_t space = PCI_SPACE(fdt_be32(c));
        uint64_t base = fdt_read_cells(c + 4 * PCI_ADDR_CELLS, 2);
        uint64_t size = fdt_read_cells(c + 4 * (PCI_ADDR_CELLS + 2), 2);
        uint32_t *out;

        if ((space != 1 && space != 2) || base + size < base || base + size > limit ||
            p->nr_windows == HWDOM_PCI_MAX_WINDOWS)
            continue; /* 64-bit windows (past the guest address space), or too many */
        if (base < hole + hole_size && hole < base + size) {
            if (base >= hole)
                continue; /* starts inside: nothing of it before the hole */
            size = hole - base;
        }
        p->window[p->nr_windows].base = base;
        p->window[p->nr_windows].size = size;
        out = &p->ranges[entry * p->nr_windows];
        for (uint32_t i = 0; i < entry; i++)
            out[i] = fdt_be32(c + 4 * i);
        out[entry - 2] = (uint32_t)(size >> 32); /* the (possibly cut) size */
        out[entry - 1] = (uint32_t)size;
        p->nr_windows++;
    }
    return p->nr_windows != 0;
}

static bool parse_imap(const struct fdt *fdt, const struct fdt_node *n, uint32_t gic_phandle,
                       struct hwdom_pci *p, uint32_t *nr_out)
{
    uint32_t nr, pos = 0, out = 0;
    const uint8_t *m = cells_of(fdt, n, "interrupt-map", &nr);

    /* Each entry: child unit address (3), child INTx (1), parent phandle, its address
     * cells, its interrupt specifier (3: SPI, number, flags). Bounded by nr. */
    while (m != NULL && pos + PCI_ADDR_CELLS + 2 <= nr) {
        uint32_t phandle = fdt_be32(m + 4 * (pos + PCI_ADDR_CELLS + 1));
        uint32_t pac = parent_addr_cells(fdt, phandle);
        uint32_t spec = pos + PCI_ADDR_CELLS + 2 + pac, spi, flags;

        if (pac > 3 || spec + 3 > nr || out == HWDOM_PCI_MAX_INTX ||
            !host_spi_spec(m + 4 * spec, &spi, &flags))
            return false;
        for (uint32_t i = 0; i < PCI_ADDR_CELLS + 1; i++)
            p->imap[8 * out + i] = fdt_be32(m + 4 * (pos + i));
        p->imap[8 * out + 4] = gic_phandle; /* dom0's vGIC: no address cells */
        p->imap[8 * out + 5] = 0;
        p->imap[8 * out + 6] = spi;
        p->imap[8 * out + 7] = 4; /* level high, as INTx is */
        out++;
        for (uint32_t i = 0; i < p->nr_spis && spi != ~0u; i++)
            if (p->spi[i] == spi)
                spi = ~0u;
        if (spi != ~0u && p->nr_spis < HWDOM_PCI_MAX_SPIS)
            p->spi[p->nr_spis++] = spi;
        pos = spec + 3;
    }
    *nr_out = out;
    return m != NULL && pos == nr;
}

bool hwdom_pci_parse(const struct fdt *fdt, const struct fdt_node *n, uint64_t limit, uint64_t hole,
                     uint64_t hole_size, uint32_t gic_phandle, struct hwdom_pci *p)
{
    uint32_t v, nr_intx = 0;
    unsigned int i = 0;

    memset(p, 0, sizeof(*p));
    if (!fdt_prop_u32(fdt, n, "#address-cells", &v) || v != PCI_ADDR_CELLS ||
        !fdt_prop_u32(fdt, n, "#size-cells", &v) || v != PCI_SIZE_CELLS ||
        !fdt_prop_u32(fdt, n, "#interrupt-cells", &v) || v != 1) {
        printk("hwdom: host PCIe bridge with unusual cell counts: not passed through\n");
        return false;
    }
    if (!parse_ranges(fdt, n, limit, hole, hole_size, p) ||
        !parse_imap(fdt, n, gic_phandle, p, &nr_intx)) {
        printk("hwdom: host PCIe bridge's ranges or interrupt-map not understood: not passed "
               "through\n");
        return false;
    }
    /* The rest of the node is copied as the host has it. */
    add_prop(p, &i, "ranges", p->ranges, 7 * p->nr_windows);
    add_prop(p, &i, "interrupt-map", p->imap, 8 * nr_intx);
    add_prop(p, &i, "msi-map", NULL, 0);
    add_prop(p, &i, "msi-parent", NULL, 0);
    p->nr_props = i;
    return true;
}
