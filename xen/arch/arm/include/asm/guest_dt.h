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

#define GUEST_DT_GIC_PHANDLE      65000     /* Xen's GUEST_PHANDLE_GIC */
#define GUEST_DT_APB_PCLK_PHANDLE 65001     /* the fixed clock AMBA devices name as apb_pclk */
#define GUEST_DT_APB_PCLK_HZ      24000000u /* what QEMU virt says its apb-pclk runs at */

/* A property given as 32-bit cells (host order; written big-endian). */
struct guest_dt_prop {
    const char *name;
    const uint32_t *cells;
    uint32_t nr_cells;
};

/* A host device given to the domain 1:1 (guest physical = host physical), described as
 * the host DT does. */
struct guest_dt_device {
    const char *name;        /* node name before '@': "pl031" */
    const char *compatible;  /* a string list "a\0b" ... */
    uint32_t compatible_len; /* ... of this many bytes, every NUL included */
    uint64_t base, size;
    bool apb_pclk;      /* an AMBA (PrimeCell) device: Linux's bus wants its "apb_pclk" clock */
    bool dma_coherent;  /* its DMA is coherent with the CPUs' caches ("dma-coherent") */
    uint32_t spi;       /* its interrupt: SPI number (INTID - 32), if has_irq */
    uint32_t irq_flags; /* the GIC binding's third cell: 1 rising edge, 4 level high */
    bool has_irq;
    const char *device_type;           /* "pci" for a host bridge, or NULL */
    const struct guest_dt_prop *props; /* more properties, as given */
    unsigned int nr_props;
};
#define GUEST_DT_MAX_DEVICES 40

struct guest_dt_desc {
    uint64_t ram_base, ram_size;
    unsigned int nr_vcpus;    /* cpu@0..n-1, reg = vCPU id = MPIDR Aff0 */
    unsigned int gic_version; /* 2 or 3 */
    uint64_t gicd_base, gicd_size;
    uint64_t gicc_base, gicc_size; /* v2: CPU interface; v3: redistributor region */
    uint64_t gnttab_base, gnttab_size;
    uint32_t evtchn_ppi; /* PPI number (INTID - 16) of the event upcall: 15 */
    bool vpl011;
    uint64_t pl011_base, pl011_size;
    uint32_t pl011_spi;                    /* SPI number (INTID - 32) */
    const char *bootargs;                  /* NULL or "" for none */
    uint64_t initrd_start, initrd_end;     /* guest physical; equal: no initrd */
    const struct guest_dt_device *devices; /* passed through (the hardware domain only) */
    unsigned int nr_devices;               /* at most GUEST_DT_MAX_DEVICES */
    /* A domU's /passthrough node from its partial DT (passthrough.c), copied as it is
     * but for its "xen,*" properties; NULL: none. */
    const struct fdt *partial;
    struct fdt_node partial_node;
};

/* Write the DTB into buf. Its size, or -ENOSPC if it does not fit (-EINVAL: bad desc). */
int guest_dt_write(const struct guest_dt_desc *g, void *buf, size_t size);

#endif
