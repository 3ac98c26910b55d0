/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the hardware domain gets of the host DT (hwdom_plan.c): its nodes, each with the
 * host ranges and SPIs it brings, and the copies of the host DT its own DT is made of.
 * Chosen from the DT alone, once at boot; hwdom_devices.c gives them to dom0, refusing
 * what its guest map does not allow.
 */
#ifndef MINIXEN_ARM_ASM_HWDOM_PLAN_H
#define MINIXEN_ARM_ASM_HWDOM_PLAN_H

#include <asm/guest_dt.h>
#include <asm/hostdt.h>

#define HWDOM_MAX_NODES  128 /* nodes with a range or an SPI (QEMU virt: 37) */
#define HWDOM_MAX_RANGES 192
#define HWDOM_MAX_SPIS   128

struct hwdom_range {
    uint64_t base, size; /* host physical, whole pages */
};

struct hwdom_spi {
    uint16_t spi; /* INTID - 32 */
    bool level;
};

/* A host node dom0 gets: its ranges[first_range ..] and spis[first_spi ..]. */
struct hwdom_node {
    const char *name; /* the host node's, "pl031@9010000" */
    uint32_t off;     /* in the host DT */
    uint16_t first_range, nr_ranges, first_spi, nr_spis;
    bool pci;     /* the PCIe host bridge: its ranges are its ECAM and windows */
    bool refused; /* hwdom_plan_refuse(): left out of dom0 and its DT */
};

struct hwdom_plan {
    const struct hwdom_node *nodes;
    unsigned int nr_nodes;
    const struct hwdom_range *ranges;
    const struct hwdom_spi *spis;
    const struct guest_dt_subtree *tops; /* dom0's copies of top-level host nodes */
    unsigned int nr_tops;
    uint32_t gic_phandle;                      /* dom0's GIC node's: the host GIC's */
    uint32_t root_addr_cells, root_size_cells; /* the host root's */
};

/* Choose from dt (which must last: dom0's DT is copied from it at every build). */
void hwdom_plan_build(const struct host_dt *dt);
/* The plan as it stands (each call brings the copies' edits up to date). */
const struct hwdom_plan *hwdom_plan(void);

/* Leave node i out of dom0 and its DT; false if its DT has no room to say so. */
bool hwdom_plan_refuse(unsigned int i);

/* What of the host [base, base + size) the hypervisor keeps (its GIC, its console UART,
 * "the hypervisor's own device"), or "host RAM"; NULL if neither. */
const char *hwdom_plan_host_owner(uint64_t base, uint64_t size);

#endif
