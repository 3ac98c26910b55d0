/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host devices the hardware domain owns (see asm/hwdom_devices.h).
 *
 * Which nodes, and what each brings, is chosen from the host DT at boot (hwdom_plan.c).
 * Here they are given to dom0: each node's ranges mapped 1:1 into its stage 2 as device
 * memory, its SPIs routed to its vGIC as the same INTIDs (host_spis.c), and the copies of
 * the host DT put in its DT. A node that would cover something of dom0's guest map
 * (its vGIC, the grant-table window, ...), or has an SPI past the vGIC's, is refused with
 * a boot line and left out of dom0's DT; dom0 boots without it.
 *
 * DMA: without an IOMMU, a device that masters memory must be given host addresses, and no
 * DT says which devices do; so only a dom0 whose RAM is mapped 1:1 gets host devices at
 * all (domain_build.c: it is, unless its RAM would cover the guest map).
 */
#include <asm/domain.h>
#include <asm/guest_memmap.h>
#include <asm/host_spis.h>
#include <asm/hwdom_devices.h>
#include <asm/hwdom_plan.h>
#include <asm/p2m.h>
#include <asm/vgic.h>
#include <asm/vgic_state.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/shutdown.h>

static bool given; /* dom0 is 1:1 and gets them: hwdom_devices_map() */

static bool overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
    return a < b + bsize && b < a + asize;
}

void hwdom_devices_init(const struct host_dt *dt)
{
    given = false;
    hwdom_plan_build(dt);
}

const char *host_range_taken(uint64_t base, uint64_t size)
{
    const struct hwdom_plan *pl = hwdom_plan();
    const char *what = hwdom_plan_host_owner(base, size);

    for (unsigned int i = 0; what == NULL && i < pl->nr_nodes; i++)
        for (unsigned int r = 0; !pl->nodes[i].refused && r < pl->nodes[i].nr_ranges; r++)
            if (overlaps(base, size, pl->ranges[pl->nodes[i].first_range + r].base,
                         pl->ranges[pl->nodes[i].first_range + r].size))
                what = "a device of dom0's";
    return what;
}

/* ---- Giving them to dom0 ------------------------------------------------------------------- */

/* What minixen itself places in d's guest memory map, named for the refusal. */
const char *guest_map_collision(const struct domain *d, uint64_t base, uint64_t size)
{
    const struct arm_domain *ad = arm_domain(d);
    struct vgic_dt_info gic;

    vgic_dt_info(d, &gic);
    if (overlaps(base, size, gic.dist_base, gic.dist_size))
        return "the vGIC distributor";
    if (overlaps(base, size, gic.cpu_base, gic.cpu_size))
        return gic.version == 3 ? "the vGIC redistributors" : "the vGIC CPU interface";
    for (unsigned int i = 0; i < ad->nr_mmio; i++)
        if (overlaps(base, size, ad->mmio[i].base, ad->mmio[i].size))
            return "an emulated MMIO region";
    if (overlaps(base, size, GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE))
        return "the grant-table window";
    if (ad->vpl011 != NULL && overlaps(base, size, GUEST_PL011_BASE, GUEST_PL011_SIZE))
        return "the vPL011";
    if (overlaps(base, size, ad->ram_base, ad->ram_size))
        return "its RAM";
    return NULL;
}

/* Leave node i out of d for good, and out of its DT. */
static void refuse(struct domain *d, unsigned int i, const char *why)
{
    const char *name = hwdom_plan()->nodes[i].name;

    if (why != NULL)
        printk("hwdom: host %s would cover %s of d%u: refused\n", name, why, d->domain_id);
    if (!hwdom_plan_refuse(i)) {
        /* No room to say so in its DT: then none of the host's goes in it. */
        printk("hwdom: no room to leave host %s out of d%u's DT: no host devices\n", name,
               d->domain_id);
        given = false;
    }
}

/* "SPI 2", "INTx on 4 SPIs", "3 SPIs", "no SPI": for the boot line. */
static void spi_words(const struct hwdom_plan *pl, const struct hwdom_node *hn, char *buf,
                      size_t size)
{
    if (hn->pci)
        xen_snprintf(buf, size, "INTx on %u SPIs", hn->nr_spis);
    else if (hn->nr_spis == 1)
        xen_snprintf(buf, size, "SPI %u", pl->spis[hn->first_spi].spi);
    else if (hn->nr_spis > 1)
        xen_snprintf(buf, size, "%u SPIs", hn->nr_spis);
    else
        xen_snprintf(buf, size, "no SPI");
}

static int give(struct domain *d, unsigned int i, unsigned int *past_vgic)
{
    const struct hwdom_plan *pl = hwdom_plan();
    const struct hwdom_node *hn = &pl->nodes[i];
    const struct hwdom_range *rg = &pl->ranges[hn->first_range];
    const struct hwdom_spi *sp = &pl->spis[hn->first_spi];
    const char *what = NULL;
    char irq[24];
    int rc;

    for (unsigned int r = 0; what == NULL && r < hn->nr_ranges; r++)
        what = guest_map_collision(d, rg[r].base, rg[r].size);
    if (what != NULL) {
        refuse(d, i, what);
        return 0;
    }
    for (unsigned int s = 0; s < hn->nr_spis; s++)
        if (sp[s].spi >= VGIC_NR_SPIS) { /* one line for all of them, not one each */
            (*past_vgic)++;
            refuse(d, i, NULL);
            return 0;
        }
    for (unsigned int s = 0; s < hn->nr_spis; s++) {
        rc = host_spi_route(d, 32 + sp[s].spi, sp[s].level);
        if (rc != 0) {
            printk("hwdom: host %s: SPI %u cannot reach d%u (%d): refused\n", hn->name, sp[s].spi,
                   d->domain_id, rc);
            refuse(d, i, NULL);
            return 0;
        }
    }
    for (unsigned int r = 0; r < hn->nr_ranges; r++) {
        rc = p2m_map(d, rg[r].base, rg[r].base, rg[r].size, P2M_MMIO_DEV);
        if (rc != 0)
            return rc;
    }
    spi_words(pl, hn, irq, sizeof(irq));
    if (hn->nr_ranges != 0)
        printk("hwdom: d%u gets host %s (1:1 from 0x%llx, %u range(s), %s)\n", d->domain_id,
               hn->name, (unsigned long long)rg[0].base, hn->nr_ranges, irq);
    else
        printk("hwdom: d%u gets host %s (%s)\n", d->domain_id, hn->name, irq);
    return 0;
}

int hwdom_devices_map(struct domain *d)
{
    unsigned int past_vgic = 0;

    if (!is_hardware_domain(d))
        return 0;
    if (!arm_domain(d)->direct_map) {
        printk("hwdom: d%u is not mapped 1:1 and there is no IOMMU: no host devices\n",
               d->domain_id);
        return 0;
    }
    given = true;
    for (unsigned int i = 0; i < hwdom_plan()->nr_nodes && given; i++) {
        int rc;

        if (hwdom_plan()->nodes[i].refused)
            continue;
        rc = give(d, i, &past_vgic);
        if (rc != 0)
            return rc;
    }
    if (past_vgic != 0)
        printk("hwdom: %u host device(s) with an SPI past d%u's vGIC left out\n", past_vgic,
               d->domain_id);
    return 0;
}

void hwdom_devices_describe(const struct domain *d, struct guest_dt_desc *g)
{
    const struct hwdom_plan *pl = hwdom_plan();

    if (!is_hardware_domain(d))
        return;
    /* Its GIC node is the host's by phandle, whatever else it gets. */
    g->gic_phandle = pl->gic_phandle;
    if (!given)
        return;
    g->root_addr_cells = pl->root_addr_cells;
    g->root_size_cells = pl->root_size_cells;
    g->subtrees = pl->tops;
    g->nr_subtrees = pl->nr_tops;
}
