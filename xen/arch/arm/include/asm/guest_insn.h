/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest instruction a trap stopped at, for AArch64 and AArch32 alike (guest_insn.c).
 * esr is the trap's ESR_EL2: its IL bit and (AArch32) condition fields are read.
 */
#ifndef MINIXEN_ARM_ASM_GUEST_INSN_H
#define MINIXEN_ARM_ASM_GUEST_INSN_H

#include <asm/arm64.h>

/* Was it to execute? false: an AArch32 instruction whose condition failed. */
bool arm_insn_cond_passes(const struct cpu_regs *regs, uint32_t esr);

/* Step the guest's PC over it, as executing it would have (IT block included). */
void arm_skip_insn(struct cpu_regs *regs, uint32_t esr);

#endif
