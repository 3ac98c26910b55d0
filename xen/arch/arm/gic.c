/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host GIC: one ops table (gic_v2.c or gic_v3.c) chosen from the host DT at boot, so
 * one image serves both boards. Every physical interrupt is the hypervisor's own: SGIs
 * between CPUs, the EL2 timer, the guest's virtual timer line, the vGIC maintenance
 * interrupt and the UART. Guests never own a physical interrupt.
 */
#include <asm/gic.h>
#include <asm/gic_hw.h>
#include <asm/setup.h>
#include <asm/vgic.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/irq.h>

struct gic_host gic_host;

/* INTIDs gic_handle_irq() dispatches, from the DT where it says (defaults: QEMU virt). */
static unsigned int hyp_timer_intid = PPI_HYP_TIMER_INTID;
static unsigned int vtimer_intid = PPI_VTIMER_INTID;
/* Handlers by INTID (irq_register); SGIs (0-15) have none: they only end a wait or a run. */
static irq_handler_t irq_handlers[GIC_INTID_SPURIOUS];

/* A CPU takes at most this many interrupts per exception: a storm cannot pin it at EL2. */
#define GIC_IRQS_PER_EXCEPTION 16

unsigned int gic_version(void)
{
    return gic_host.ops != NULL ? gic_host.ops->version : 0;
}

/* The per-CPU interrupts every CPU takes: all SGIs, timers, maintenance. */
static void enable_cpu_irqs(void)
{
    const struct gic_hw_ops *ops = gic_host.ops;

    for (unsigned int sgi = 0; sgi < 16; sgi++)
        ops->enable_irq(sgi, false);
    ops->enable_irq(hyp_timer_intid, true);
    ops->enable_irq(vtimer_intid, true);
    ops->enable_irq(gic_host.maint_intid, true);
}

static void dispatch(unsigned int intid);

/* SGI the self-test sends: not one the hypervisor uses for anything else. */
#define SGI_SELFTEST 15

/*
 * With interrupts masked at the CPU (PSTATE.I), send an SGI to this CPU by its logical
 * index and acknowledge it by polling: proves the distributor/redistributor, the CPU
 * interface and the logical CPU -> target mapping before anything relies on them.
 */
static void sgi_selftest(void)
{
    const struct gic_hw_ops *ops = gic_host.ops;
    unsigned int cpu = smp_processor_id();

    ops->send_sgi(cpu, SGI_SELFTEST);
    for (unsigned int i = 0; i < 100000; i++) {
        uint32_t iar = ops->ack();
        unsigned int intid = iar & ops->iar_intid_mask;

        if (intid >= GIC_INTID_SPURIOUS)
            continue;
        if (intid != SGI_SELFTEST)
            dispatch(intid); /* something real came first: handle it as usual */
        ops->eoi(iar);
        if (intid == SGI_SELFTEST)
            return;
    }
    panic("gic: cpu %u did not receive its own SGI", cpu);
}

COLD int gic_init(const struct host_dt *dt)
{
    const struct gic_hw_ops *ops;
    int rc;

    if (dt->gic_version == 3)
        ops = &gic_v3_ops;
    else if (dt->gic_version == 2)
        ops = &gic_v2_ops;
    else
        return -ENXIO;
    gic_host.ops = ops;
    /* The DT gives PPI numbers; INTID = 16 + PPI. */
    gic_host.maint_intid = 16 + (dt->gic_maint_irq != 0 ? dt->gic_maint_irq : 9);
    if (dt->have_timer && dt->timer_ppi[3] != 0)
        hyp_timer_intid = 16 + dt->timer_ppi[3];
    if (dt->have_timer && dt->timer_ppi[2] != 0)
        vtimer_intid = 16 + dt->timer_ppi[2];
    gic_host.gicv_base = dt->gicv_base;
    gic_host.gicv_size = dt->gicv_size;
    gic_host.gicd_base = dt->gicd_base;
    gic_host.gicc_base = dt->gicc_base;
    gic_host.gicr_base = dt->gicr_base;
    gic_host.gicr_size = dt->gicr_size;

    rc = ops->init(dt);
    if (rc != 0) {
        gic_host.ops = NULL;
        return rc;
    }
    ops->init_cpu(smp_processor_id());
    /* The PPIs of the CPU architecture itself; devices register their own lines. */
    irq_register(hyp_timer_intid, arm_hyp_timer_interrupt);
    irq_register(vtimer_intid, arm_vtimer_interrupt);
    irq_register(gic_host.maint_intid, vgic_maintenance_interrupt);
    enable_cpu_irqs();
    sgi_selftest();
    printk("gic: GICv%u, SGI self-test ok, %u list registers, maintenance intid %u, timers %u/%u\n",
           ops->version, gic_host.nr_lrs, gic_host.maint_intid, hyp_timer_intid, vtimer_intid);
    return 0;
}

void gic_init_secondary(void)
{
    if (gic_host.ops == NULL)
        return;
    gic_host.ops->init_cpu(smp_processor_id());
    enable_cpu_irqs();
    sgi_selftest();
}

void gic_send_sgi(unsigned int cpu, unsigned int sgi)
{
    if (gic_host.ops == NULL || cpu >= NR_CPUS || sgi >= 16)
        return;
    gic_host.ops->send_sgi(cpu, sgi);
}

void gic_enable_irq(unsigned int intid, bool level)
{
    if (gic_host.ops == NULL || intid >= GIC_INTID_SPURIOUS)
        return;
    gic_host.ops->enable_irq(intid, level);
}

void gic_disable_irq(unsigned int intid)
{
    if (gic_host.ops == NULL || intid >= GIC_INTID_SPURIOUS)
        return;
    gic_host.ops->disable_irq(intid);
}

void irq_register(unsigned int intid, irq_handler_t h)
{
    if (intid < 16 || intid >= GIC_INTID_SPURIOUS)
        panic("irq_register: INTID %u is not a PPI or an SPI", intid);
    irq_handlers[intid] = h;
}

static void dispatch(unsigned int intid)
{
    irq_handler_t h;

    if (intid < 16)
        return; /* SGI_KICK: the way back to the guest looks at the scheduler and vGIC */
    h = irq_handlers[intid];
    if (h != NULL) {
        h(intid);
    } else {
        /* Nothing else is enabled; if it fires anyway, silence it rather than loop. */
        printk("gic: unexpected interrupt %u on cpu %u, disabled\n", intid, smp_processor_id());
        gic_host.ops->disable_irq(intid);
    }
}

void gic_handle_irq(void)
{
    const struct gic_hw_ops *ops = gic_host.ops;

    if (ops == NULL)
        return;
    for (unsigned int n = 0; n < GIC_IRQS_PER_EXCEPTION; n++) {
        uint32_t iar = ops->ack();
        unsigned int intid = iar & ops->iar_intid_mask;

        if (intid >= GIC_INTID_SPURIOUS)
            return;
        dispatch(intid);
        ops->eoi(iar);
    }
}
