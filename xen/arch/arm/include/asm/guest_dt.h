/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The device tree a guest boots with (guest_dt.c): what to describe, filled in by
 * domain_build.c from the domain, its boot configuration and the vGIC. Kept free of other
 * port headers so the writer also builds into a host test (tests/host/test_guest_dt.c).
 */
#ifndef MINIXEN_ARM_ASM_GUEST_DT_H
#define MINIXEN_ARM_ASM_GUEST_DT_H

#include <xen/fdt.h>
#include <xen/types.h>

#define GUEST_DT_GIC_PHANDLE  65000 /* Xen's GUEST_PHANDLE_GIC */
#define GUEST_DT_MAX_SUBTREES 96    /* copied subtrees: a host's top-level device nodes */
#define GUEST_DT_MAX_OVERRIDE 32    /* properties one edit replaces */

/* A property given as 32-bit cells (host order; written big-endian), or removed. */
struct guest_dt_prop {
    const char *name;
    const uint32_t *cells;
    uint32_t nr_cells;
    bool remove; /* an edit leaves the node's property of this name out */
};

/*
 * A node of another DT (the host's, a domU's partial DT) copied with everything below it,
 * but for "xen,*" properties (the partial DT's instructions to the hypervisor), and as its
 * edits say: each names a node of that DT by offset (struct fdt_node.off) and either drops
 * it with everything under it or replaces some of its properties (an override the node
 * lacks is added to it).
 */
struct guest_dt_edit {
    uint32_t off;
    bool drop;
    const struct guest_dt_prop *props;
    unsigned int nr_props; /* at most GUEST_DT_MAX_OVERRIDE */
};

struct guest_dt_subtree {
    const struct fdt *fdt;
    struct fdt_node node;
    const struct guest_dt_edit *edits;
    unsigned int nr_edits;
};

struct guest_dt_desc {
    /* The root's #address-cells and #size-cells, which every top-level reg here uses:
     * 0 for 2 and 2 (Xen's guest DT); the hardware domain's are the host DT's, whose
     * top-level nodes it gets as they are. */
    uint32_t root_addr_cells, root_size_cells;
    uint64_t ram_base, ram_size;
    unsigned int nr_vcpus;    /* cpu@0..n-1, reg = vCPU id = MPIDR Aff0 */
    bool aarch32;             /* an AArch32 kernel's: ARMv7 timer, no cpu enable-method */
    unsigned int gic_version; /* 2 or 3 */
    uint32_t gic_phandle;     /* 0: GUEST_DT_GIC_PHANDLE; dom0's is the host GIC's */
    uint64_t gicd_base, gicd_size;
    uint64_t gicc_base, gicc_size; /* v2: CPU interface; v3: redistributor region */
    uint64_t gnttab_base, gnttab_size;
    uint32_t evtchn_ppi; /* PPI number (INTID - 16) of the event upcall: 15 */
    bool vpl011;
    uint64_t pl011_base, pl011_size;
    uint32_t pl011_spi;                /* SPI number (INTID - 32) */
    const char *bootargs;              /* NULL or "" for none */
    uint64_t initrd_start, initrd_end; /* guest physical; equal: no initrd */
    /* Copied after the nodes above: the host devices the hardware domain owns
     * (hwdom_devices.c), a domU's /passthrough node (passthrough.c). */
    const struct guest_dt_subtree *subtrees;
    unsigned int nr_subtrees; /* at most GUEST_DT_MAX_SUBTREES */
};

/* Write the DTB into buf. Its size, or -ENOSPC if it does not fit (-EINVAL: bad desc). */
int guest_dt_write(const struct guest_dt_desc *g, void *buf, size_t size);

#endif
