/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inside the vGIC: the state behind struct vgic_domain / struct vgic_vcpu, shared by the
 * core (vgic.c: injection, list registers) and the register emulation of each version
 * (vgic_v2.c, vgic_v3.c). Only those files include this.
 *
 * A domain has 128 INTIDs: 0-31 private to each vCPU, 32-127 shared SPIs (32 is the
 * vPL011's; dom0's host devices keep their host INTIDs, QEMU virt's up to 79). So every
 * set of interrupts fits one 128-bit value (vgic_set_t) and nothing loops over 1020
 * INTIDs; the SPI bits other CPUs change atomically are kept as 32-bit words.
 * Pending/enabled bits are changed with atomics from any CPU; list registers are touched
 * only by the CPU the vCPU runs on (flush, sync, save, restore).
 */
#ifndef MINIXEN_ARM_ASM_VGIC_STATE_H
#define MINIXEN_ARM_ASM_VGIC_STATE_H

#include <asm/gic_hw.h>
#include <asm/vgic.h>

#define VGIC_NR_PRIVATE 32
#define VGIC_NR_SPIS    96
#define VGIC_NR_IRQS    (VGIC_NR_PRIVATE + VGIC_NR_SPIS)
#define VGIC_SPI_WORDS  (VGIC_NR_SPIS / 32)

/* A set of INTIDs: bit n is INTID n. */
typedef unsigned __int128 vgic_set_t;
_Static_assert(VGIC_NR_IRQS <= 128, "a vgic_set_t holds every INTID");
#define VGIC_NO_VCPU 0xffu /* an SPI routed to no vCPU */

#define VGIC_V2_MAX_VCPUS 8 /* GICv2 target lists have 8 bits */

struct vgic_domain {
    struct domain *d;
    const struct vgic_ops *ops; /* the host's version */
    uint32_t ctlr;              /* GICD_CTLR enable bits as the guest wrote them */
    /* SPI bitmaps, word w bit i: INTID 32 + 32w + i. */
    uint32_t spi_enabled[VGIC_SPI_WORDS]; /* (atomic) */
    uint32_t spi_pending[VGIC_SPI_WORDS]; /* pending and not in a list register (atomic) */
    uint32_t spi_active[VGIC_SPI_WORDS];  /* active as set by ISACTIVER, outside list registers */
    uint32_t spi_edge[VGIC_SPI_WORDS];    /* ICFGR: 1 = edge-triggered (kept for read-back) */
    uint32_t spi_hw[VGIC_SPI_WORDS];      /* a host SPI behind it (host_spis.c): EOI maintenance */
    uint8_t spi_priority[VGIC_NR_SPIS];
    uint8_t spi_targets[VGIC_NR_SPIS]; /* v2 GICD_ITARGETSR bytes */
    uint64_t spi_router[VGIC_NR_SPIS]; /* v3 GICD_IROUTER */
    uint8_t spi_vcpu[VGIC_NR_SPIS];    /* the vCPU an SPI is delivered to, or VGIC_NO_VCPU */
};

struct vgic_vcpu {
    struct vcpu *v;
    uint32_t enabled;                  /* SGIs/PPIs (atomic) */
    uint32_t pending;                  /* SGIs/PPIs pending and not in a list register (atomic) */
    uint32_t active;                   /* ISACTIVER writes, outside list registers */
    uint32_t edge;                     /* PPI ICFGR (read-back) */
    uint32_t spi_mask[VGIC_SPI_WORDS]; /* SPIs routed here (as spi_enabled) (atomic) */
    uint32_t dirty; /* something may be deliverable that flush has not looked at (atomic) */
    uint8_t priority[VGIC_NR_PRIVATE];
    uint8_t sgi_source[16]; /* v2: the vCPU that sent each SGI (GICC_IAR.CPUID) */
    uint32_t waker;         /* v3 GICR_WAKER.ProcessorSleep as written */

    /* List registers: owned by the CPU v runs on. */
    bool loaded;  /* v's list registers are in this CPU's hardware */
    bool spilled; /* more was deliverable than list registers: underflow armed */
    /*
     * Private INTIDs vgic_raise_here() made pending in a list register during this trap:
     * the guest has not run since, so they are pending there without reading it back.
     * Cleared on every way back into the guest (vgic_exit_quiet, vgic_flush) and at save.
     */
    uint32_t raised_here;
    uint32_t lr_used; /* bit i: lr[i] holds an interrupt */
    vgic_set_t in_lr; /* INTIDs in one of the list registers */
    struct gic_lr lr[GIC_MAX_LRS];
    uint64_t lr_written[GIC_MAX_LRS]; /* what lr_write() last put in each (gic_hw_ops.pend_lr) */
    struct gic_vcpu_hw hw;
};

struct vgic_vcpu *vgic_vcpu_of(const struct vcpu *v);
struct vgic_domain *vgic_domain_of(const struct domain *d);

/* Register emulation helpers (vgic.c). v: the vCPU whose private bank is addressed. */
enum vgic_bitreg { VGIC_ENABLE, VGIC_PEND, VGIC_ACTIVE };
uint32_t vgic_bits_read(struct vcpu *v, unsigned int word, enum vgic_bitreg r);
void vgic_bits_set(struct vcpu *v, unsigned int word, enum vgic_bitreg r, uint32_t bits);
void vgic_bits_clear(struct vcpu *v, unsigned int word, enum vgic_bitreg r, uint32_t bits);
uint8_t vgic_priority_read(struct vcpu *v, unsigned int intid);
void vgic_priority_write(struct vcpu *v, unsigned int intid, uint8_t prio);
uint32_t vgic_icfgr_read(struct vcpu *v, unsigned int word);
void vgic_icfgr_write(struct vcpu *v, unsigned int word, uint32_t val);

/* SPI routing changed (ITARGETSR / IROUTER): recompute where spi (0-based) goes. */
void vgic_spi_route(struct domain *d, unsigned int spi, unsigned int vcpu_id);

/* A guest SGI to every vCPU in targets (bit n: vCPU n) from src. */
void vgic_send_sgi(struct vcpu *src, unsigned int sgi, uint64_t targets);

/* The emulated frames' MMIO handlers (mmio.h), also driven directly by the host tests. */
struct mmio_access;
bool vgic_v2_dist_access(struct vcpu *v, struct mmio_access *a, void *priv);
bool vgic_v3_dist_access(struct vcpu *v, struct mmio_access *a, void *priv);
bool vgic_v3_redist_access(struct vcpu *v, struct mmio_access *a, void *priv);

#endif
