/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host SPIs of the devices the hardware domain owns, delivered to it through its vGIC
 * (hwdom_irqs.c). The host interrupt is masked from the moment it fires until the guest
 * ends (EOIs) the virtual one: a level-triggered device that still asserts its line then
 * fires again, one that was served does not, and the line can never storm the host.
 */
#ifndef MINIXEN_ARM_ASM_HWDOM_IRQS_H
#define MINIXEN_ARM_ASM_HWDOM_IRQS_H

#include <xen/domain.h>

/*
 * Give host SPI intid (level-triggered or rising edge) to d as the same INTID of its vGIC,
 * and enable it at the host GIC. 0, -EBUSY (already given), -ENOSPC (past the vGIC's SPIs
 * or the table), -EINVAL (not an SPI, or the hypervisor's own).
 */
int hwdom_irq_route(struct domain *d, unsigned int intid, bool level);

/* The guest ended intid (the vGIC saw its list register retire): unmask the host SPI. */
void hwdom_irq_guest_eoi(struct domain *d, unsigned int intid);

#endif
