/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host GIC (gic.c + gic_v2.c / gic_v3.c behind one ops table, chosen from the host DT)
 * and the EL2 interrupt path. All physical interrupts are taken at EL2 (HCR_EL2.IMO).
 */
#ifndef MINIXEN_ARM_ASM_GIC_H
#define MINIXEN_ARM_ASM_GIC_H

#include <asm/hostdt.h>

/* SGIs the hypervisor sends itself. */
#define SGI_KICK 1 /* "leave the guest and look at your scheduler and vGIC" */

/* PPIs (INTIDs) of the host the hypervisor uses; numbers come from the DT when it has them. */
#define PPI_HYP_TIMER_INTID 26 /* CNTHP: the scheduler's one-shot timer */
#define PPI_VTIMER_INTID    27 /* CNTV: the running guest's virtual timer */

int gic_init(const struct host_dt *dt); /* boot CPU: distributor, its CPU interface, GICH */
void gic_init_secondary(void);          /* each other CPU, before it runs a guest */
unsigned int gic_version(void);         /* 2 or 3 */

void gic_send_sgi(unsigned int cpu, unsigned int sgi); /* cpu: logical index (arch_this_cpu) */

/* Enable a host interrupt (PPI on this CPU, SPI routed to CPU 0). */
void gic_enable_irq(unsigned int intid, bool level);
void gic_disable_irq(unsigned int intid);

/*
 * The IRQ exception handler (called by traps.c for IRQs from EL2 or from a guest):
 * acknowledges, dispatches, ends. Dispatch: SGI_KICK -> nothing more (the way back to
 * the guest does the work); a PPI or SPI -> its handler from irq_register() (xen/irq.h):
 * gic_init registers the hypervisor timer, the virtual timer and the maintenance
 * interrupt, a device driver its own line (the console UART: its rx_init, xen/serial.h).
 */
void gic_handle_irq(void);

/* Implemented by time.c and vtimer.c, registered by gic_init(). */
void arm_hyp_timer_interrupt(unsigned int intid);
void arm_vtimer_interrupt(unsigned int intid);

#endif
