/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A dom0less domU's host devices, from its partial device tree (see asm/passthrough.h).
 *
 * Each device node under /passthrough with "xen,reg" is checked and given: it must say
 * "xen,force-assign-without-iommu" (there is no IOMMU: the device is trusted not to DMA
 * where it should not, exactly as Xen requires the owner to declare), each xen,reg range
 * must be page aligned, host-side clear of the hypervisor's own devices, host RAM and
 * dom0's devices, guest-side clear of the domU's memory map; then it is mapped as device
 * memory and each SPI in its "interrupts" is routed to the domU's vGIC (host_spis.c,
 * exclusively: an SPI another domain has fails the build). The whole /passthrough node
 * is copied into the domU's DT but for its "xen,*" properties (guest_dt.c). Anything
 * wrong ends the domain's construction with a boot line naming it, as on Xen.
 */
#include <asm/domain.h>
#include <asm/hwdom_devices.h>
#include <asm/host_spis.h>
#include <asm/p2m.h>
#include <asm/passthrough.h>
#include <xen/errno.h>
#include <xen/fdt.h>
#include <xen/lib.h>

/* The partial DT of cfg, opened, and its /passthrough node. false: none (or malformed). */
static bool find_passthrough(const struct boot_domain *cfg, struct fdt *fdt, struct fdt_node *pt)
{
    struct fdt_walk w;

    if (cfg->dtb.size == 0 || fdt_open(fdt, (const void *)cfg->dtb.start, cfg->dtb.size) != 0)
        return false;
    fdt_walk_start(&w);
    while (fdt_walk_next(fdt, &w, pt))
        if (pt->depth == 1 && strcmp(pt->name, "passthrough") == 0)
            return true;
    return false;
}

static int give_range(struct domain *d, const char *name, uint64_t host, uint64_t size,
                      uint64_t guest)
{
    const char *what;

    if (((host | size | guest) & (PAGE_SIZE - 1)) != 0 || size == 0 || host + size < host ||
        guest + size < guest || guest + size > P2M_IPA_LIMIT) {
        printk("%s: passthrough %s: xen,reg 0x%llx+0x%llx at 0x%llx is not whole pages\n",
               arm_domain(d)->config->name, name, (unsigned long long)host,
               (unsigned long long)size, (unsigned long long)guest);
        return -EINVAL;
    }
    what = host_range_taken(host, size);
    if (what == NULL)
        what = guest_map_collision(d, guest, size);
    if (what != NULL) {
        printk("%s: passthrough %s: xen,reg 0x%llx+0x%llx at 0x%llx would take %s\n",
               arm_domain(d)->config->name, name, (unsigned long long)host,
               (unsigned long long)size, (unsigned long long)guest, what);
        return -EINVAL;
    }
    return p2m_map(d, guest, host, size, P2M_MMIO_DEV);
}

/* One device node: its ranges and SPIs. */
static int give_device(struct domain *d, const struct fdt *fdt, const struct fdt_node *n)
{
    const char *dom = arm_domain(d)->config->name;
    uint32_t len = 0, irqlen = 0;
    const uint8_t *reg = fdt_prop(fdt, n, "xen,reg", &len);
    const uint8_t *irq = fdt_prop(fdt, n, "interrupts", &irqlen);
    uint32_t entry = 4 * (n->addr_cells + n->size_cells + n->addr_cells);
    int rc = 0;

    if (fdt_prop(fdt, n, "xen,force-assign-without-iommu", NULL) == NULL) {
        printk("%s: passthrough %s: no IOMMU here, and no xen,force-assign-without-iommu\n", dom,
               n->name);
        return -EINVAL;
    }
    if (entry == 0 || len % entry != 0 || n->addr_cells > 2 || n->size_cells > 2) {
        printk("%s: passthrough %s: xen,reg not understood\n", dom, n->name);
        return -EINVAL;
    }
    for (uint32_t i = 0; rc == 0 && i < len / entry; i++) {
        const uint8_t *c = reg + entry * i;

        rc = give_range(d, n->name, fdt_read_cells(c, n->addr_cells),
                        fdt_read_cells(c + 4 * n->addr_cells, n->size_cells),
                        fdt_read_cells(c + 4 * (n->addr_cells + n->size_cells), n->addr_cells));
    }
    /* Interrupts: GIC specifiers of 3 cells, SPIs only. */
    for (uint32_t i = 0; rc == 0 && irq != NULL && i + 12 <= irqlen; i += 12) {
        uint32_t spi, flags;

        if (!host_spi_spec(irq + i, &spi, &flags)) {
            printk("%s: passthrough %s: interrupt %u is not an SPI\n", dom, n->name, i / 12);
            return -EINVAL;
        }
        rc = host_spi_route(d, 32 + spi, host_spi_level(flags));
        if (rc != 0)
            printk("%s: passthrough %s: SPI %u cannot be given (%d)\n", dom, n->name, spi, rc);
    }
    if (rc == 0)
        printk("%s: passthrough %s given (%u range(s), %u SPI(s))\n", dom, n->name, len / entry,
               irq != NULL ? irqlen / 12 : 0);
    return rc;
}

int passthrough_domain_init(struct domain *d, const struct boot_domain *cfg)
{
    struct fdt fdt;
    struct fdt_node pt, n;
    struct fdt_walk w;
    bool inside = false;

    if (cfg->dtb.size == 0)
        return 0;
    if (!find_passthrough(cfg, &fdt, &pt)) {
        printk("%s: partial device tree without a /passthrough node: nothing given\n", cfg->name);
        return 0;
    }
    /* Every node below /passthrough that names host registers. */
    fdt_walk_start(&w);
    while (fdt_walk_next(&fdt, &w, &n)) {
        int rc;

        if (n.off == pt.off) {
            inside = true;
            continue;
        }
        if (inside && n.depth <= pt.depth)
            break;
        if (!inside || fdt_prop(&fdt, &n, "xen,reg", NULL) == NULL)
            continue;
        rc = give_device(d, &fdt, &n);
        if (rc != 0)
            return rc;
    }
    return 0;
}

void passthrough_describe(const struct boot_domain *cfg, struct fdt *fdt,
                          struct guest_dt_subtree *copy, struct guest_dt_desc *g)
{
    struct fdt_node pt;

    if (find_passthrough(cfg, fdt, &pt)) {
        *copy = (struct guest_dt_subtree){.fdt = fdt, .node = pt};
        g->subtrees = copy;
        g->nr_subtrees = 1;
    }
}
