/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vCPUs on ARM (context.c, vpsci.c, time.c): creation, boot state, world switch and the
 * per-CPU run loop that enters guests.
 */
#ifndef MINIXEN_ARM_ASM_VCPU_H
#define MINIXEN_ARM_ASM_VCPU_H

#include <asm/domain.h>

/* Allocate v->arch, its vGIC state and VMPIDR (Aff0 = vcpu_id, as Xen's guest DT says). */
int arm_vcpu_init(struct vcpu *v);

/*
 * Linux arm64 boot state: EL1h, DAIF masked, MMU off, pc = entry, x0 = arg (the guest
 * DT for vCPU 0; PSCI CPU_ON's context_id for others), x1-x3 = 0.
 */
void arm_vcpu_set_boot_context(struct vcpu *v, uint64_t entry, uint64_t arg);

/* Enter the run loop on this CPU: never returns (called by setup.c on every CPU). */
void arm_run_loop(void) __attribute__((noreturn));

/* Per-CPU hypervisor set-up for guests (HCR_EL2 defaults, CNTHCTL, VTCR via p2m). */
void arm_cpu_virt_init(void);

#endif
