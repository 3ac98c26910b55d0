/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The debug, OS-lock and performance-monitor registers: trapped per CPU (vdebug_cpu.c),
 * as a guest sees them (vdebug.c), and the AArch32 coprocessor traps a guest's EL0 can
 * raise (vcp32.c). vdebug.c and vcp32.c touch no hardware: host unit tests run them.
 */
#ifndef MINIXEN_ARM_ASM_VDEBUG_H
#define MINIXEN_ARM_ASM_VDEBUG_H

#include <asm/arm64.h>

/* What became of a trapped register access. */
enum vreg_result {
    VREG_NOT_MINE, /* not a register this emulation owns: ask the next one */
    VREG_DONE,     /* emulated: *val holds what a read returns; the instruction is done */
    VREG_UNDEF,    /* the guest gets UNDEFINED for it */
};

/*
 * Per CPU, before any guest runs: MDCR_EL2 traps every debug, OS-lock and PMU register
 * access of EL1 and EL0 to EL2, and the PMU is stopped, so no guest can read or change
 * another's (or the hypervisor's) debug state or count what EL2 does.
 */
void vdebug_cpu_init(void);

/*
 * EC 0x18 access (iss = ESR ISS) to one of those registers, from the guest's EL0 if
 * from_el0. For a write, *val is the value written. Xen 4.17's emulated view: the
 * breakpoint, watchpoint, MDSCR, OS double-lock and PMU registers read as zero and
 * ignore writes, MDRAR and MDCCSR read as zero, OSLAR ignores writes, OSLSR says "OS
 * lock implemented, unlocked"; the rest of what MDCR_EL2 traps is UNDEFINED.
 */
enum vreg_result vdebug_sysreg(uint32_t iss, bool from_el0, uint64_t *val);

/*
 * A trapped AArch32 coprocessor instruction (EC 0x03-0x06, 0x08, 0x0C) of an AArch32
 * guest kernel or of the AArch32 processes any guest kernel may run: emulated as Xen does
 * (midr: the MIDR the guest reads, whose variant and revision DBGDIDR repeats), a failed
 * condition skips it, anything else becomes UNDEFINED. Never ends the domain.
 */
void vcp32_trap(struct cpu_regs *regs, uint32_t esr, uint64_t midr);

#endif
