/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The emulated SBSA UART ("vPL011", vpl011.c) a domain gets when its DT node has Xen's
 * `vpl011` property: at GUEST_PL011_BASE, interrupt SPI GUEST_PL011_SPI, its output on the
 * hypervisor console as the domain's lines and its input from the serial line's Ctrl-A
 * cycle (console_input.c), as Xen's in-hypervisor vpl011 backend for dom0less domains.
 */
#ifndef MINIXEN_ARM_ASM_VPL011_H
#define MINIXEN_ARM_ASM_VPL011_H

#include <xen/domain.h>

/*
 * Give d its UART (again after a reboot: empty FIFO, interrupts masked), charged to d:
 * the MMIO region, the place in the input cycle. 0 or -ENOMEM, -ENOSPC (MMIO regions).
 */
int vpl011_domain_init(struct domain *d);

#endif
