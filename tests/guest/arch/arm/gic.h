/* SPDX-License-Identifier: Apache-2.0 */
/* The guest's GIC drivers (GICv2 MMIO CPU interface, GICv3 system registers). */
#ifndef GUEST_ARM_GIC_H
#define GUEST_ARM_GIC_H

#include <stdbool.h>
#include <stdint.h>

const char *gic_init(void);        /* from the DT: 0 or a reason */
bool gic_in_gib(uint64_t gb);      /* does the DT put a GIC region in GiB gb? (no MMIO) */
void gic_cpu_init(void);           /* this vCPU's interface and redistributor */
void gic_enable_ppi(uint32_t irq); /* on this vCPU */
uint32_t gic_ack(void);            /* >= 1020: nothing pending */
void gic_eoi(uint32_t irq);
uint32_t gic_upcall_irq(void);        /* the event-channel interrupt (/hypervisor) */
void gic_send_sgi_self(uint32_t sgi); /* an SGI to this vCPU (the hostile suite's storms) */

#endif
