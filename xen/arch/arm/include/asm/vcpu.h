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
 * A vCPU's reset state at entry, MMU off: EL1h with DAIF masked and x0 = arg (PSCI
 * CPU_ON's context_id), or for an AArch32 domain SVC mode with A/I/F masked, r0 = arg,
 * Thumb state if bit 0 of entry is set.
 */
void arm_vcpu_set_boot_context(struct vcpu *v, uint64_t entry, uint64_t arg);
/* vCPU 0 at its kernel's entry as Linux's boot protocol for the domain's width wants. */
void arm_vcpu_set_kernel_entry(struct vcpu *v, uint64_t entry, uint64_t dt);

/* Enter the run loop on this CPU: never returns (called by setup.c on every CPU). */
void arm_run_loop(void) __attribute__((noreturn));

/* Per-CPU hypervisor set-up for guests (HCR_EL2 defaults, CNTHCTL, VTCR via p2m). */
void arm_cpu_virt_init(void);

/* ---- Inside the port (context.c, traps.c, vpsci.c, mmio.c) ---------------------------- */

/* The vCPU whose context is loaded on this CPU (NULL while idle). */
extern struct vcpu *arm_running[NR_CPUS];
static inline struct vcpu *arm_current_vcpu(void)
{
    return arm_running[READ_SYSREG(tpidr_el2)];
}

/*
 * The way back to a guest, from every exit handler and the first entry: picks the vCPU to
 * run (idling until there is one), switches contexts if it changed and moves its pending
 * virtual interrupts into the list registers. Returns the register frame entry.S restores
 * and enters (struct arm_vcpu.regs of the vCPU to run).
 */
struct cpu_regs *arm_leave_to_guest(void);

/* entry.S -> traps.c: a guest exited through vector `vector` (8..15); frame = its regs. */
struct cpu_regs *arm_guest_trap(struct cpu_regs *frame, unsigned int vector);
/*
 * entry.S -> traps.c: the hypercall fast path (only x0-x18 and x30 saved). Returns the
 * frame to resume directly (the same vCPU runs on; the scheduler may have been asked),
 * or the frame with bit 0 set: the scheduler chose another vCPU or idle
 * (arm_picked[cpu]); entry.S completes the frame and calls arm_leave_after_pick().
 */
uintptr_t arm_fast_hypercall(struct cpu_regs *frame);
extern struct vcpu *arm_picked[NR_CPUS];
struct cpu_regs *arm_leave_after_pick(void);
/* entry.S -> context.c: this CPU's first way into a guest. */
struct cpu_regs *arm_run_first(void);

/* Exceptions for the running guest (traps.c), as the CPU would take them to EL1. */
void arm_inject_undef(struct cpu_regs *regs, uint64_t insn_addr);
void arm_inject_dabt(struct cpu_regs *regs, uint64_t va);
void arm_inject_iabt(struct cpu_regs *regs, uint64_t va);
/* Is va in the running guest's exception vectors (its EL1's VBAR, or AArch32 high ones)? */
bool arm_guest_in_vectors(uint64_t va);

/* The running guest is at EL0 (AArch64 EL0t, or AArch32 user mode): guest_insn.c. */
bool arm_guest_at_el0(const struct cpu_regs *regs);

/*
 * SErrors (serror.c, Xen's serrors=diverse): forward one to the running vCPU v as a
 * virtual SError; whether an SError taken at EL2 came out of arm_serror_sync()'s window
 * (then it belongs to the vCPU being switched out); the virtual SError pending bit
 * around a world switch (switch_out first drains the outgoing vCPU's SErrors).
 */
void arm_serror_forward(struct vcpu *v);
bool arm_serror_in_sync_window(uint64_t elr);
void arm_serror_switch_out(struct vcpu *v);
void arm_serror_switch_in(struct vcpu *v);
void arm_serror_sync(void); /* entry.S */

/* End v's domain after something it must not do; prints why (never panics). */
void arm_guest_crash(struct vcpu *v, const struct cpu_regs *regs, const char *why);

/* PSCI / SMCCC call of the running vCPU (HVC #0 or SMC #0): result in regs->x[0]. */
void vpsci_call(struct vcpu *v, struct cpu_regs *regs);

/*
 * The running vCPU v touched FP/SIMD while CPTR_EL2.TFP was set (ESR EC 0x07): give it
 * its FP/SIMD state (context.c, lazy switching). The instruction is then re-executed.
 */
void arm_fpsimd_trap(struct vcpu *v);

/* fpsimd.S */
void fpsimd_save(struct fpsimd_state *s);
void fpsimd_restore(const struct fpsimd_state *s);

/* sysregs.S */
void el1_sysregs_save(struct el1_sysregs *s);
void el1_sysregs_restore(const struct el1_sysregs *s);
/* An AArch32 EL1's own registers; FPEXC32_EL2 only with CPTR_EL2.TFP clear. */
void aarch32_sysregs_save(struct aarch32_sysregs *s);
void aarch32_sysregs_restore(const struct aarch32_sysregs *s);

#endif
