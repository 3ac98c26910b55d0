/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A host PCIe host bridge ("pci-host-ecam-generic": ECAM and legacy INTx, as on QEMU virt)
 * described for the hardware domain (hwdom_pci.c), for hwdom_devices.c to map and route.
 */
#ifndef MINIXEN_ARM_ASM_HWDOM_PCI_H
#define MINIXEN_ARM_ASM_HWDOM_PCI_H

#include <asm/guest_dt.h>
#include <xen/fdt.h>

#define HWDOM_PCI_MAX_WINDOWS 4  /* entries of "ranges" kept */
#define HWDOM_PCI_MAX_INTX    32 /* entries of "interrupt-map" */
#define HWDOM_PCI_MAX_SPIS    8  /* distinct SPIs the INTx lines use */
#define HWDOM_PCI_PROPS       4

struct hwdom_pci {
    /* The host windows dom0 gets 1:1: the bus's I/O and 32-bit memory ranges. */
    unsigned int nr_windows;
    struct {
        uint64_t base, size;
    } window[HWDOM_PCI_MAX_WINDOWS];
    /* The SPIs (level) its INTx lines are wired to. */
    unsigned int nr_spis;
    uint32_t spi[HWDOM_PCI_MAX_SPIS];
    /* dom0's copy of the node: properties rewritten for its vGIC and guest address space
     * (ranges, interrupt-map), or removed (msi-map, msi-parent). */
    uint32_t ranges[HWDOM_PCI_MAX_WINDOWS * 7];
    uint32_t imap[HWDOM_PCI_MAX_INTX * 8];
    struct guest_dt_prop props[HWDOM_PCI_PROPS];
    unsigned int nr_props;
};

/*
 * Describe host bridge node n for dom0, its windows kept below limit and clear of
 * [hole, hole + hole_size) (a guest map region: the window is cut short before it), its
 * interrupt-map naming dom0's GIC by gic_phandle.
 * false (with a boot line) if the node is not one this can describe.
 */
bool hwdom_pci_parse(const struct fdt *fdt, const struct fdt_node *n, uint64_t limit, uint64_t hole,
                     uint64_t hole_size, uint32_t gic_phandle, struct hwdom_pci *out);

#endif
