/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inside the GIC driver: the one ops table gic.c picks at boot (gic_v2.c or gic_v3.c) and
 * the virtualization interface (list registers) the vGIC drives through it. Only the
 * gic*.c and vgic*.c files include this; everyone else uses asm/gic.h and asm/vgic.h.
 */
#ifndef MINIXEN_ARM_ASM_GIC_HW_H
#define MINIXEN_ARM_ASM_GIC_HW_H

#include <asm/hostdt.h>

#define GIC_INTID_SPURIOUS 1020 /* INTIDs 1020-1023 are special: nothing to handle */
#define GIC_MAX_LRS        16
#define GIC_PRIO_DEFAULT   0xa0 /* every hypervisor interrupt: one level, no preemption */

/* List-register states (the same two bits in GICv2 and GICv3). */
#define LR_PENDING 1u
#define LR_ACTIVE  2u

/* One list register in a form both GIC versions can encode. */
struct gic_lr {
    uint32_t intid;   /* virtual INTID */
    uint8_t priority; /* 8-bit GIC priority (the hardware keeps its top bits) */
    uint8_t state;    /* LR_PENDING | LR_ACTIVE; 0 = free */
    uint8_t source;   /* GICv2 SGIs: the sending vCPU (GICC_IAR.CPUID) */
    uint8_t group1;   /* GICv3 guests use group 1, GICv2 guests group 0 */
    uint8_t eoi;      /* maintenance interrupt when the guest EOIs it (a host SPI behind it) */
};

/*
 * A virtual CPU interface's VMCR as it comes out of reset: both binary points at their
 * architectural minimum for 5 priority bits (BPR0 2, BPR1 3; GICH_VMCR and ICH_VMCR_EL2
 * keep them at the same bits), everything else 0. A binary point of 0 is below what any
 * GIC implements: QEMU's GICv3 asserts on it (the hostile suite aborted QEMU that way).
 */
#define GIC_VMCR_BPR0_SHIFT 21
#define GIC_VMCR_BPR1_SHIFT 18
#define GIC_VMCR_RESET      ((2u << GIC_VMCR_BPR0_SHIFT) | (3u << GIC_VMCR_BPR1_SHIFT))

/* The virtual CPU interface state that goes with a vCPU across context switches. */
struct gic_vcpu_hw {
    uint32_t vmcr;
    uint32_t apr[8]; /* v3: AP0R0-3, AP1R0-3; v2: APR in apr[0] */
};

struct vgic_ops;

struct gic_hw_ops {
    unsigned int version;
    uint32_t iar_intid_mask;     /* the INTID field of an IAR value (v2: 10 bits; v3: 24) */
    const struct vgic_ops *vgic; /* what guests get on this host: the same version */
    int (*init)(const struct host_dt *dt); /* distributor and what is shared by all CPUs */
    void (*init_cpu)(unsigned int cpu);    /* this CPU's interface (v3: redistributor) */
    void (*send_sgi)(unsigned int cpu, unsigned int sgi);
    void (*enable_irq)(unsigned int intid, bool level);
    void (*disable_irq)(unsigned int intid);
    uint32_t (*ack)(void);     /* raw IAR value (v2 keeps the source CPU in it) */
    void (*eoi)(uint32_t iar); /* priority drop + deactivate (EOImode 0) */

    /* Virtualization interface of this CPU (hypervisor control: GICH / ICH_*). */
    /* Returns the register value written: pend_lr() needs it to write the same again. */
    uint64_t (*write_lr)(unsigned int i, const struct gic_lr *lr);
    void (*read_lr)(unsigned int i, struct gic_lr *lr);
    /*
     * List register i (last written as `written`) pending again, in place: on top of the
     * state the guest left it in, or, if the guest has ended it (state invalid), as
     * `written` with the pending state. One read and one write of the register, no
     * conversion: the vCPU's own upcall takes this on every event (vgic_raise_here).
     */
    void (*pend_lr)(unsigned int i, uint64_t written);
    uint32_t (*empty_lrs)(void); /* ELRSR | EISR: bit i = list register i was ended/holds nothing */
    void (*set_hcr)(bool enable, bool underflow); /* En, UIE */
    void (*save)(struct gic_vcpu_hw *hw);
    void (*restore)(const struct gic_vcpu_hw *hw);
};

extern const struct gic_hw_ops gic_v2_ops;
extern const struct gic_hw_ops gic_v3_ops;

/* The chosen back end and what the vGIC needs to know of the host. */
struct gic_host {
    const struct gic_hw_ops *ops;
    unsigned int nr_lrs; /* list registers per CPU interface (same on every CPU) */
    unsigned int maint_intid;
    paddr_t gicv_base; /* v2: the virtual CPU interface guests get as their GICC */
    uint64_t gicv_size;
    /* Where the host's frames are: the hardware domain's vGIC sits there (vgic_v2/v3.c). */
    paddr_t gicd_base, gicc_base, gicr_base; /* gicc: v2; gicr: v3, redistributor region */
    uint64_t gicr_size;
};
extern struct gic_host gic_host;

/* Device register accessors for the identity-mapped GIC frames. */
static inline uint32_t gic_readl(paddr_t a)
{
    return *(volatile uint32_t *)a;
}

static inline void gic_writel(paddr_t a, uint32_t v)
{
    *(volatile uint32_t *)a = v;
}

static inline uint64_t gic_readq(paddr_t a)
{
    return *(volatile uint64_t *)a;
}

static inline void gic_writeq(paddr_t a, uint64_t v)
{
    *(volatile uint64_t *)a = v;
}

static inline void gic_writeb(paddr_t a, uint8_t v)
{
    *(volatile uint8_t *)a = v;
}

static inline uint8_t gic_readb(paddr_t a)
{
    return *(volatile uint8_t *)a;
}

/* Make normal-memory writes visible to other CPUs before an SGI tells them to look. */
static inline void gic_dsb_ishst(void)
{
    __asm__ __volatile__("dsb ishst" ::: "memory");
}

static inline void gic_dsb_sy(void)
{
    __asm__ __volatile__("dsb sy" ::: "memory");
}

#endif
