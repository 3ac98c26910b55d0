/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GICv3 host back end: distributor (GICD) and one redistributor (GICR) per CPU by MMIO,
 * the CPU interface through the ICC_* system registers at EL2, and the virtualization
 * interface through ICH_*. Register offsets and bits: Arm IHI 0069.
 */
#include <asm/gic_hw.h>
#include <asm/vgic.h>
#include <asm/setup.h>
#include <xen/errno.h>
#include <xen/lib.h>

#define GICD_CTLR       0x0000
#define GICD_TYPER      0x0004
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ICENABLER  0x0180
#define GICD_ICPENDR    0x0280
#define GICD_ICACTIVER  0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR      0x0c00
#define GICD_IROUTER    0x6000

#define GICD_CTLR_RWP    (1u << 31)
#define GICD_CTLR_ARE_NS (1u << 4)
#define GICD_CTLR_GRP1A  (1u << 1)
#define GICD_CTLR_GRP1   (1u << 0)

#define GICR_CTLR      0x0000
#define GICR_TYPER     0x0008
#define GICR_WAKER     0x0014
#define GICR_SGI       0x10000         /* SGI_base frame after RD_base */
#define GICR_FRAME     0x10000         /* each redistributor frame (RD_base, SGI_base, VLPI, ...) */
#define MPIDR_AFF_MASK 0xff00ffffffull /* Aff3 [39:32], Aff2-Aff0 [23:0] */

#define GICR_CTLR_RWP             (1u << 3)
#define GICR_TYPER_VLPIS          (1ull << 1)
#define GICR_TYPER_LAST           (1ull << 4)
#define GICR_WAKER_PROCESSORSLEEP (1u << 1)
#define GICR_WAKER_CHILDRENASLEEP (1u << 2)

#define ICC_SRE_SRE    (1ul << 0)
#define ICC_SRE_DFB    (1ul << 1)
#define ICC_SRE_DIB    (1ul << 2)
#define ICC_SRE_ENABLE (1ul << 3) /* EL1 may use ICC_SRE_EL1 (guests want system registers) */

#define ICH_HCR_EN  (1ul << 0)
#define ICH_HCR_UIE (1ul << 1)

/* ICH_LR<n>_EL2 fields */
#define ICH_LR_PRIO_SHIFT  48
#define ICH_LR_GROUP1      (1ull << 60)
#define ICH_LR_EOI         (1ull << 41) /* software interrupt: maintenance on its EOI */
#define ICH_LR_STATE_SHIFT 62

/* Polls of RWP/ChildrenAsleep before giving up (the GIC takes microseconds at most). */
#define GIC_POLL_LIMIT 1000000

static paddr_t gicd;
static paddr_t gicr_base;
static uint64_t gicr_size;
static unsigned int nr_irqs;           /* INTIDs the distributor implements (32 * (ITLines + 1)) */
static unsigned int nr_aprs;           /* ICH_AP{0,1}R<n>_EL2 registers: 1, 2 or 4 */
static paddr_t rd_base[NR_CPUS];       /* each CPU's redistributor (RD_base) */
static uint64_t cpu_affinity[NR_CPUS]; /* MPIDR affinity fields, recorded at init_cpu */
static bool cpu_ready[NR_CPUS];

static void wait_rwp(paddr_t ctlr, uint32_t bit)
{
    for (unsigned int i = 0; i < GIC_POLL_LIMIT; i++) {
        if ((gic_readl(ctlr) & bit) == 0)
            return;
    }
    printk("gic: register write still pending at 0x%llx\n", (unsigned long long)ctlr);
}

static uint64_t this_affinity(void)
{
    return READ_SYSREG(mpidr_el1) & MPIDR_AFF_MASK;
}

static COLD int v3_init(const struct host_dt *dt)
{
    uint64_t vtr;

    if (dt->gicd_base == 0 || dt->gicr_base == 0)
        return -ENXIO;
    gicd = dt->gicd_base;
    gicr_base = dt->gicr_base;
    gicr_size = dt->gicr_size;
    nr_irqs = 32 * ((gic_readl(gicd + GICD_TYPER) & 0x1f) + 1);
    if (nr_irqs > 1020)
        nr_irqs = 1020;

    gic_writel(gicd + GICD_CTLR, 0);
    wait_rwp(gicd + GICD_CTLR, GICD_CTLR_RWP);
    /* SPIs: non-secure group 1, disabled, inactive, level, one priority, to this CPU. */
    for (unsigned int i = 32; i < nr_irqs; i += 32) {
        gic_writel(gicd + GICD_IGROUPR + i / 8, ~0u);
        gic_writel(gicd + GICD_ICENABLER + i / 8, ~0u);
        gic_writel(gicd + GICD_ICPENDR + i / 8, ~0u);
        gic_writel(gicd + GICD_ICACTIVER + i / 8, ~0u);
    }
    for (unsigned int i = 32; i < nr_irqs; i += 4)
        gic_writel(gicd + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
    for (unsigned int i = 32; i < nr_irqs; i += 16)
        gic_writel(gicd + GICD_ICFGR + i / 4, 0);
    for (unsigned int i = 32; i < nr_irqs; i++)
        gic_writeq(gicd + GICD_IROUTER + 8 * i, this_affinity());
    wait_rwp(gicd + GICD_CTLR, GICD_CTLR_RWP);
    gic_writel(gicd + GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_GRP1A | GICD_CTLR_GRP1);
    wait_rwp(gicd + GICD_CTLR, GICD_CTLR_RWP);

    vtr = READ_SYSREG(ich_vtr_el2);
    gic_host.nr_lrs = (unsigned int)(vtr & 0x1f) + 1;
    if (gic_host.nr_lrs > GIC_MAX_LRS)
        gic_host.nr_lrs = GIC_MAX_LRS;
    /* PREbits + 1 preemption bits: 5 -> 1 register, 6 -> 2, 7 -> 4. */
    nr_aprs = 1u << (((vtr >> 26) & 7) + 1 - 5);
    if (nr_aprs > 4)
        nr_aprs = 4;
    return 0;
}

/* This CPU's redistributor: the frame whose GICR_TYPER affinity is our MPIDR's. */
static paddr_t find_redist(uint64_t aff)
{
    uint32_t want = (uint32_t)(aff & 0xffffff) | (uint32_t)((aff >> 32) & 0xff) << 24;
    paddr_t rd = gicr_base;

    while (rd + 2 * GICR_FRAME <= gicr_base + gicr_size) {
        uint64_t typer = gic_readq(rd + GICR_TYPER);

        if ((uint32_t)(typer >> 32) == want)
            return rd;
        if (typer & GICR_TYPER_LAST)
            break;
        rd += (typer & GICR_TYPER_VLPIS) ? 4 * GICR_FRAME : 2 * GICR_FRAME; /* + VLPI, reserved */
    }
    return 0;
}

static COLD void v3_init_cpu(unsigned int cpu)
{
    uint64_t aff = this_affinity();
    paddr_t rd = find_redist(aff);
    paddr_t sgi;
    unsigned int i;

    if (rd == 0)
        panic("gic: no redistributor for mpidr 0x%llx", (unsigned long long)aff);
    sgi = rd + GICR_SGI;

    /* Wake the redistributor: clear ProcessorSleep, wait for ChildrenAsleep to clear. */
    gic_writel(rd + GICR_WAKER, gic_readl(rd + GICR_WAKER) & ~GICR_WAKER_PROCESSORSLEEP);
    for (i = 0; i < GIC_POLL_LIMIT; i++) {
        if ((gic_readl(rd + GICR_WAKER) & GICR_WAKER_CHILDRENASLEEP) == 0)
            break;
    }

    /* SGIs and PPIs: group 1, all off until enabled, inactive, one priority, PPIs level. */
    gic_writel(sgi + GICD_IGROUPR, ~0u);
    gic_writel(sgi + GICD_ICENABLER, ~0u);
    wait_rwp(rd + GICR_CTLR, GICR_CTLR_RWP);
    gic_writel(sgi + GICD_ICPENDR, ~0u);
    gic_writel(sgi + GICD_ICACTIVER, ~0u);
    for (i = 0; i < 32; i += 4)
        gic_writel(sgi + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
    gic_writel(sgi + GICD_ICFGR + 4, 0);

    /* The CPU interface by system registers; EL1 may use them too (guests: ICV_*). */
    WRITE_SYSREG(READ_SYSREG(icc_sre_el2) | ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB |
                     ICC_SRE_ENABLE,
                 icc_sre_el2);
    isb();
    if ((READ_SYSREG(icc_sre_el2) & ICC_SRE_SRE) == 0)
        panic("gic: ICC_SRE_EL2.SRE does not stick: no system-register interface");
    WRITE_SYSREG(0xff, icc_pmr_el1);
    WRITE_SYSREG(0, icc_bpr1_el1);
    WRITE_SYSREG(0, icc_ctlr_el1); /* EOImode 0: EOIR drops priority and deactivates */
    WRITE_SYSREG(1, icc_igrpen1_el1);
    isb();

    /* Virtualization interface: off, empty, until a vCPU is loaded here. */
    WRITE_SYSREG(0, ich_hcr_el2);
    WRITE_SYSREG(0, ich_vmcr_el2);
    for (i = 0; i < gic_host.nr_lrs; i++) {
        struct gic_lr none = {0};

        gic_v3_ops.write_lr(i, &none);
    }
    isb();

    rd_base[cpu] = rd;
    cpu_affinity[cpu] = aff;
    __atomic_store_n(&cpu_ready[cpu], true, __ATOMIC_RELEASE);
}

static void v3_send_sgi(unsigned int cpu, unsigned int sgi)
{
    uint64_t aff, val;

    if (!__atomic_load_n(&cpu_ready[cpu], __ATOMIC_ACQUIRE))
        return;
    aff = cpu_affinity[cpu];
    /* ICC_SGI1R_EL1: Aff3 [55:48], RS [47:44], Aff2 [39:32], INTID [27:24], Aff1 [23:16]. */
    val = ((aff >> 32) & 0xff) << 48 | ((aff & 0xff) >> 4) << 44 | ((aff >> 16) & 0xff) << 32 |
          (uint64_t)sgi << 24 | ((aff >> 8) & 0xff) << 16 | 1ull << (aff & 0xf);
    gic_dsb_ishst();
    WRITE_SYSREG(val, icc_sgi1r_el1);
    isb();
}

static void v3_enable_irq(unsigned int intid, bool level)
{
    paddr_t base = intid < 32 ? rd_base[smp_processor_id()] + GICR_SGI : gicd;
    paddr_t cfg = base + GICD_ICFGR + (intid / 16) * 4;
    uint32_t edge = 2u << ((intid % 16) * 2);

    if (base == GICR_SGI)
        return; /* this CPU has no redistributor yet */
    if (intid >= nr_irqs)
        return;
    if (intid >= 16) /* SGIs are always edge */
        gic_writel(cfg, level ? gic_readl(cfg) & ~edge : gic_readl(cfg) | edge);
    gic_writeb(base + GICD_IPRIORITYR + intid, GIC_PRIO_DEFAULT);
    gic_writel(base + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static void v3_disable_irq(unsigned int intid)
{
    paddr_t base = intid < 32 ? rd_base[smp_processor_id()] + GICR_SGI : gicd;

    if (base == GICR_SGI || intid >= nr_irqs)
        return;
    gic_writel(base + GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static uint32_t v3_ack(void)
{
    uint32_t iar = (uint32_t)READ_SYSREG(icc_iar1_el1);

    gic_dsb_sy(); /* the interrupt's source is read only after the acknowledge */
    return iar;
}

static void v3_eoi(uint32_t iar)
{
    WRITE_SYSREG(iar, icc_eoir1_el1);
    isb();
}

/* ICH_LR<n>_EL2 needs the register number in the instruction. */
#define LR_CASE(n, op)                                                                             \
    case n:                                                                                        \
        op(ich_lr##n##_el2);                                                                       \
        break

#define LR_SWITCH(i, op)                                                                           \
    switch (i) {                                                                                   \
        LR_CASE(0, op);                                                                            \
        LR_CASE(1, op);                                                                            \
        LR_CASE(2, op);                                                                            \
        LR_CASE(3, op);                                                                            \
        LR_CASE(4, op);                                                                            \
        LR_CASE(5, op);                                                                            \
        LR_CASE(6, op);                                                                            \
        LR_CASE(7, op);                                                                            \
        LR_CASE(8, op);                                                                            \
        LR_CASE(9, op);                                                                            \
        LR_CASE(10, op);                                                                           \
        LR_CASE(11, op);                                                                           \
        LR_CASE(12, op);                                                                           \
        LR_CASE(13, op);                                                                           \
        LR_CASE(14, op);                                                                           \
        LR_CASE(15, op);                                                                           \
    default:                                                                                       \
        break;                                                                                     \
    }

static uint64_t v3_write_lr(unsigned int i, const struct gic_lr *lr)
{
    uint64_t val = 0;

    if (lr->state != 0)
        val = (uint64_t)lr->state << ICH_LR_STATE_SHIFT | (lr->group1 ? ICH_LR_GROUP1 : 0) |
              (lr->eoi ? ICH_LR_EOI : 0) | (uint64_t)lr->priority << ICH_LR_PRIO_SHIFT | lr->intid;
#define WR(reg) WRITE_SYSREG(val, reg)
    LR_SWITCH(i, WR)
#undef WR
    return val;
}

static void v3_pend_lr(unsigned int i, uint64_t written)
{
    const uint64_t state = 3ull << ICH_LR_STATE_SHIFT,
                   pending = (uint64_t)LR_PENDING << ICH_LR_STATE_SHIFT;
    uint64_t val = 0;

#define RD(reg) val = READ_SYSREG(reg)
    LR_SWITCH(i, RD)
#undef RD
    val = ((val & state) != 0 ? val : written & ~state) | pending;
#define WR(reg) WRITE_SYSREG(val, reg)
    LR_SWITCH(i, WR)
#undef WR
}

static void v3_read_lr(unsigned int i, struct gic_lr *lr)
{
    uint64_t val = 0;

#define RD(reg) val = READ_SYSREG(reg)
    LR_SWITCH(i, RD)
#undef RD
    lr->intid = (uint32_t)val;
    lr->priority = (uint8_t)(val >> ICH_LR_PRIO_SHIFT);
    lr->state = (uint8_t)(val >> ICH_LR_STATE_SHIFT);
    lr->group1 = (val & ICH_LR_GROUP1) != 0;
    lr->eoi = (val & ICH_LR_EOI) != 0;
    lr->source = 0;
}

static uint32_t v3_empty_lrs(void)
{
    /* An EOI-maintenance list register the guest ended shows in EISR, not in ELRSR. */
    return (uint32_t)(READ_SYSREG(ich_elrsr_el2) | READ_SYSREG(ich_eisr_el2));
}

static void v3_set_hcr(bool enable, bool underflow)
{
    WRITE_SYSREG((enable ? ICH_HCR_EN : 0) | (underflow ? ICH_HCR_UIE : 0), ich_hcr_el2);
    isb();
}

static void v3_save(struct gic_vcpu_hw *hw)
{
    hw->vmcr = (uint32_t)READ_SYSREG(ich_vmcr_el2);
    switch (nr_aprs) {
    case 4:
        hw->apr[3] = (uint32_t)READ_SYSREG(ich_ap0r3_el2);
        hw->apr[7] = (uint32_t)READ_SYSREG(ich_ap1r3_el2);
        hw->apr[2] = (uint32_t)READ_SYSREG(ich_ap0r2_el2);
        hw->apr[6] = (uint32_t)READ_SYSREG(ich_ap1r2_el2);
        /* fall through */
    case 2:
        hw->apr[1] = (uint32_t)READ_SYSREG(ich_ap0r1_el2);
        hw->apr[5] = (uint32_t)READ_SYSREG(ich_ap1r1_el2);
        /* fall through */
    default:
        hw->apr[0] = (uint32_t)READ_SYSREG(ich_ap0r0_el2);
        hw->apr[4] = (uint32_t)READ_SYSREG(ich_ap1r0_el2);
    }
}

static void v3_restore(const struct gic_vcpu_hw *hw)
{
    WRITE_SYSREG(hw->vmcr, ich_vmcr_el2);
    switch (nr_aprs) {
    case 4:
        WRITE_SYSREG(hw->apr[3], ich_ap0r3_el2);
        WRITE_SYSREG(hw->apr[7], ich_ap1r3_el2);
        WRITE_SYSREG(hw->apr[2], ich_ap0r2_el2);
        WRITE_SYSREG(hw->apr[6], ich_ap1r2_el2);
        /* fall through */
    case 2:
        WRITE_SYSREG(hw->apr[1], ich_ap0r1_el2);
        WRITE_SYSREG(hw->apr[5], ich_ap1r1_el2);
        /* fall through */
    default:
        WRITE_SYSREG(hw->apr[0], ich_ap0r0_el2);
        WRITE_SYSREG(hw->apr[4], ich_ap1r0_el2);
    }
}

const struct gic_hw_ops gic_v3_ops = {
    .version = 3,
    .iar_intid_mask = 0xffffff, /* ICC_IAR1_EL1.INTID */
    .vgic = &vgic_v3_ops,
    .init = v3_init,
    .init_cpu = v3_init_cpu,
    .send_sgi = v3_send_sgi,
    .enable_irq = v3_enable_irq,
    .disable_irq = v3_disable_irq,
    .ack = v3_ack,
    .eoi = v3_eoi,
    .write_lr = v3_write_lr,
    .read_lr = v3_read_lr,
    .pend_lr = v3_pend_lr,
    .empty_lrs = v3_empty_lrs,
    .set_hcr = v3_set_hcr,
    .save = v3_save,
    .restore = v3_restore,
};
