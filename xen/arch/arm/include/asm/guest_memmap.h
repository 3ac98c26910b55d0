/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest physical address map of every ARM domain. These are Xen's values (its public
 * arch-arm.h, tools section), so guests and tools that assume Xen's map work unchanged.
 */
#ifndef MINIXEN_ARM_ASM_GUEST_MEMMAP_H
#define MINIXEN_ARM_ASM_GUEST_MEMMAP_H

#define GUEST_GICD_BASE 0x03001000ull /* GICv2 distributor */
#define GUEST_GICD_SIZE 0x00001000ull
#define GUEST_GICC_BASE 0x03002000ull /* GICv2 CPU interface (backed by the host's GICV) */
#define GUEST_GICC_SIZE 0x00002000ull

#define GUEST_GICV3_GICD_BASE   0x03001000ull
#define GUEST_GICV3_GICD_SIZE   0x00010000ull
#define GUEST_GICV3_GICR0_BASE  0x03020000ull /* redistributors of vCPU 0..127 */
#define GUEST_GICV3_GICR0_SIZE  0x01000000ull
#define GUEST_GICV3_GICR_STRIDE 0x20000ull /* RD_base + SGI_base frames */

#define GUEST_PL011_BASE 0x22000000ull
#define GUEST_PL011_SIZE 0x00001000ull
#define GUEST_PL011_SPI  32 /* INTID 32 (SPI 0) */

#define GUEST_GNTTAB_BASE 0x38000000ull /* where guests map grant-table frames */
#define GUEST_GNTTAB_SIZE 0x01000000ull

#define GUEST_RAM0_BASE 0x40000000ull /* up to 3 GiB of RAM at 1 GiB */
#define GUEST_RAM0_SIZE 0xc0000000ull

/* Interrupt numbers guests see (INTIDs). */
#define GUEST_EVTCHN_PPI_INTID 31 /* the event upcall (PPI 15) */
#define GUEST_VTIMER_PPI_INTID 27 /* virtual timer (PPI 11) */
#define GUEST_PTIMER_PPI_INTID 30 /* EL1 physical timer, non-secure (PPI 14) */
#define GUEST_MAINT_PPI_INTID  25 /* GIC maintenance: never seen by guests */

#endif
