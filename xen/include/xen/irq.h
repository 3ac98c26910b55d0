/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interrupts the hypervisor takes for itself: its timer, its UART, the kicks between CPUs,
 * the virtual interrupt controller's maintenance. One way to attach a handler on every port.
 *
 * irq is the port's number for the line: a GIC INTID on ARM (16-1019: PPIs and SPIs), an
 * IDT vector on x86 (32-255). The port acknowledges and ends the interrupt around the
 * handler (ARM: GIC IAR then EOIR; x86: the LAPIC EOI once it returns), so a handler only
 * does its device's work, with interrupts masked. Routing and enabling the line at the
 * interrupt controller is the port's (ARM: gic_enable_irq; x86: the IOAPIC), which knows
 * the controller; a driver only enables the interrupt at its device (so the drivers of
 * xen/drivers/char/ serve every port).
 */
#ifndef MINIXEN_IRQ_H
#define MINIXEN_IRQ_H

typedef void (*irq_handler_t)(unsigned int irq);

/* Attach h to irq (replacing any handler). A number outside the port's range panics. */
void irq_register(unsigned int irq, irq_handler_t h);

#endif
