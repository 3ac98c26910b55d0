/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GICv2 host back end (with the virtualization extensions): distributor (GICD), CPU
 * interface (GICC) and hypervisor control (GICH) by MMIO; GICH and GICC are banked per
 * CPU at one address. Guests get the virtual CPU interface (GICV) mapped directly.
 * Register offsets and bits: Arm IHI 0048.
 */
#include <asm/gic_hw.h>
#include <asm/vgic.h>
#include <asm/setup.h>
#include <xen/errno.h>
#include <xen/lib.h>

#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ICPENDR    0x280
#define GICD_ICACTIVER  0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800
#define GICD_ICFGR      0xc00
#define GICD_SGIR       0xf00

#define GICC_CTLR 0x000
#define GICC_PMR  0x004
#define GICC_BPR  0x008
#define GICC_IAR  0x00c
#define GICC_EOIR 0x010

#define GICH_HCR   0x000
#define GICH_VTR   0x004
#define GICH_VMCR  0x008
#define GICH_EISR  0x020
#define GICH_ELRSR 0x030
#define GICH_APR   0x0f0
#define GICH_LR    0x100

#define GICH_HCR_EN  (1u << 0)
#define GICH_HCR_UIE (1u << 1)

/* GICH_LR<n> fields */
#define GICH_LR_CPUID_SHIFT 10
#define GICH_LR_PRIO_SHIFT  23 /* 5 bits: the top of the 8-bit priority */
#define GICH_LR_STATE_SHIFT 28
#define GICH_LR_GROUP1      (1u << 30)
#define GICH_LR_EOI         (1u << 19) /* software interrupt: maintenance on its EOI */

static paddr_t gicd, gicc, gich;
static unsigned int nr_irqs;
static uint8_t cpu_target[NR_CPUS]; /* GICD_ITARGETSR bit of each CPU, read at its init */

/*
 * This CPU's target bit: the banked ITARGETSR of INTIDs 0-31 reads as it. A GIC built for
 * one processor makes the ITARGETSRs RAZ/WI (GIC architecture v2, 4.3.12) and delivers
 * everything to its only CPU interface, 0: use bit 0 there, or SGIs would target no one.
 */
static uint8_t v2_own_target(void)
{
    uint8_t me = gic_readb(gicd + GICD_ITARGETSR);

    return me != 0 ? me : 1;
}

static COLD int v2_init(const struct host_dt *dt)
{
    uint8_t me;

    if (dt->gicd_base == 0 || dt->gicc_base == 0 || dt->gich_base == 0 || dt->gicv_base == 0)
        return -ENXIO; /* no virtualization extensions: no guests */
    gicd = dt->gicd_base;
    gicc = dt->gicc_base;
    gich = dt->gich_base;
    nr_irqs = 32 * ((gic_readl(gicd + GICD_TYPER) & 0x1f) + 1);
    if (nr_irqs > 1020)
        nr_irqs = 1020;
    me = v2_own_target();

    gic_writel(gicd + GICD_CTLR, 0);
    /* SPIs: disabled, inactive, level, one priority, to this CPU. */
    for (unsigned int i = 32; i < nr_irqs; i += 32) {
        gic_writel(gicd + GICD_ICENABLER + i / 8, ~0u);
        gic_writel(gicd + GICD_ICPENDR + i / 8, ~0u);
        gic_writel(gicd + GICD_ICACTIVER + i / 8, ~0u);
    }
    for (unsigned int i = 32; i < nr_irqs; i += 4) {
        gic_writel(gicd + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
        gic_writel(gicd + GICD_ITARGETSR + i, me * 0x01010101u);
    }
    for (unsigned int i = 32; i < nr_irqs; i += 16)
        gic_writel(gicd + GICD_ICFGR + i / 4, 0);
    gic_writel(gicd + GICD_CTLR, 1);

    gic_host.nr_lrs = (gic_readl(gich + GICH_VTR) & 0x3f) + 1;
    if (gic_host.nr_lrs > GIC_MAX_LRS)
        gic_host.nr_lrs = GIC_MAX_LRS;
    return 0;
}

static COLD void v2_init_cpu(unsigned int cpu)
{
    unsigned int i;

    /* Banked INTIDs 0-31: PPIs off, all inactive, one priority, PPIs level. */
    gic_writel(gicd + GICD_ICENABLER, 0xffff0000u);
    gic_writel(gicd + GICD_ICPENDR, ~0u);
    gic_writel(gicd + GICD_ICACTIVER, ~0u);
    for (i = 0; i < 32; i += 4)
        gic_writel(gicd + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);

    /* Both groups signal IRQ (FIQEn 0); EOImode 0: EOIR drops priority and deactivates. */
    gic_writel(gicc + GICC_PMR, 0xff);
    gic_writel(gicc + GICC_BPR, 0);
    gic_writel(gicc + GICC_CTLR, 3);

    gic_writel(gich + GICH_HCR, 0);
    gic_writel(gich + GICH_VMCR, 0);
    for (i = 0; i < gic_host.nr_lrs; i++)
        gic_writel(gich + GICH_LR + 4 * i, 0);

    __atomic_store_n(&cpu_target[cpu], v2_own_target(), __ATOMIC_RELEASE);
}

static void v2_send_sgi(unsigned int cpu, unsigned int sgi)
{
    uint8_t target = __atomic_load_n(&cpu_target[cpu], __ATOMIC_ACQUIRE);

    if (target == 0)
        return; /* not up yet */
    gic_dsb_ishst();
    gic_writel(gicd + GICD_SGIR, (uint32_t)target << 16 | sgi);
}

static void v2_enable_irq(unsigned int intid, bool level)
{
    paddr_t cfg = gicd + GICD_ICFGR + (intid / 16) * 4;
    uint32_t edge = 2u << ((intid % 16) * 2);

    if (intid >= nr_irqs)
        return;
    if (intid >= 32) /* SGIs are edge; PPI configuration is often fixed: leave it */
        gic_writel(cfg, level ? gic_readl(cfg) & ~edge : gic_readl(cfg) | edge);
    gic_writeb(gicd + GICD_IPRIORITYR + intid, GIC_PRIO_DEFAULT);
    gic_writel(gicd + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static void v2_disable_irq(unsigned int intid)
{
    if (intid < nr_irqs)
        gic_writel(gicd + GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static uint32_t v2_ack(void)
{
    return gic_readl(gicc + GICC_IAR);
}

static void v2_eoi(uint32_t iar)
{
    gic_writel(gicc + GICC_EOIR, iar);
}

static uint64_t v2_write_lr(unsigned int i, const struct gic_lr *lr)
{
    uint32_t val = 0;

    if (lr->state != 0)
        val = (uint32_t)lr->state << GICH_LR_STATE_SHIFT | (lr->group1 ? GICH_LR_GROUP1 : 0) |
              (lr->eoi ? GICH_LR_EOI : 0) | (uint32_t)(lr->priority >> 3) << GICH_LR_PRIO_SHIFT |
              (lr->intid < 16 ? (uint32_t)(lr->source & 7) << GICH_LR_CPUID_SHIFT : 0) |
              (lr->intid & 0x3ff);
    gic_writel(gich + GICH_LR + 4 * i, val);
    return val;
}

static void v2_pend_lr(unsigned int i, uint64_t written)
{
    const uint32_t state = 3u << GICH_LR_STATE_SHIFT, pending = LR_PENDING << GICH_LR_STATE_SHIFT;
    uint32_t val = gic_readl(gich + GICH_LR + 4 * i);

    val = ((val & state) != 0 ? val : (uint32_t)written & ~state) | pending;
    gic_writel(gich + GICH_LR + 4 * i, val);
}

static void v2_read_lr(unsigned int i, struct gic_lr *lr)
{
    uint32_t val = gic_readl(gich + GICH_LR + 4 * i);

    lr->intid = val & 0x3ff;
    lr->source = (val >> GICH_LR_CPUID_SHIFT) & 7;
    lr->priority = (uint8_t)(((val >> GICH_LR_PRIO_SHIFT) & 0x1f) << 3);
    lr->state = (val >> GICH_LR_STATE_SHIFT) & 3;
    lr->group1 = (val & GICH_LR_GROUP1) != 0;
    lr->eoi = (val & GICH_LR_EOI) != 0;
}

static uint32_t v2_empty_lrs(void)
{
    /* ELRSR0 and EISR0 (list registers 0-31): an EOI-maintenance one ended shows in EISR. */
    return gic_readl(gich + GICH_ELRSR) | gic_readl(gich + GICH_EISR);
}

static void v2_set_hcr(bool enable, bool underflow)
{
    gic_writel(gich + GICH_HCR, (enable ? GICH_HCR_EN : 0) | (underflow ? GICH_HCR_UIE : 0));
}

static void v2_save(struct gic_vcpu_hw *hw)
{
    hw->vmcr = gic_readl(gich + GICH_VMCR);
    hw->apr[0] = gic_readl(gich + GICH_APR);
}

static void v2_restore(const struct gic_vcpu_hw *hw)
{
    gic_writel(gich + GICH_VMCR, hw->vmcr);
    gic_writel(gich + GICH_APR, hw->apr[0]);
}

const struct gic_hw_ops gic_v2_ops = {
    .version = 2,
    .iar_intid_mask = 0x3ff, /* GICC_IAR.InterruptID; CPUID (bits 12:10) stays in the value */
    .vgic = &vgic_v2_ops,
    .init = v2_init,
    .init_cpu = v2_init_cpu,
    .send_sgi = v2_send_sgi,
    .enable_irq = v2_enable_irq,
    .disable_irq = v2_disable_irq,
    .ack = v2_ack,
    .eoi = v2_eoi,
    .write_lr = v2_write_lr,
    .read_lr = v2_read_lr,
    .pend_lr = v2_pend_lr,
    .empty_lrs = v2_empty_lrs,
    .set_hcr = v2_set_hcr,
    .save = v2_save,
    .restore = v2_restore,
};
