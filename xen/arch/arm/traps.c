/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Traps taken from EL2 itself: entry.S hands them to arm_trap(), which indexes a table by
 * ESR_EL2.EC for synchronous exceptions. Every one is fatal (a hypervisor bug) except the
 * boot self-test's BRK, which proves that the vectors, the frame save/restore and ERET
 * work before anything depends on them.
 *
 * Guest exits: arm_guest_trap() (below) dispatches on the EC through a second table,
 * handles the exit and returns through arm_leave_to_guest() (context.c). Nothing a guest
 * does may stop the hypervisor: an exit we cannot honour becomes an exception injected
 * into the guest, or the end of that domain with a line on the console.
 */
#include <asm/gic.h>
#include <asm/guest_insn.h>
#include <asm/mmio.h>
#include <asm/vgic.h>
#include <xen/hypercall.h>
#include <xen/sched.h>
#include <asm/setup.h>
#include <asm/vcpu.h>
#include <asm/vdebug.h>
#include <public/sched.h>
#include <public/xen.h>
#include <xen/errno.h>
#include <xen/lib.h>

/* The BRK immediate of the self-test; any other BRK at EL2 is a bug. */
#define BRK_SELFTEST 0x4d58

typedef void (*trap_handler_t)(struct cpu_regs *regs, unsigned int vector);

static const char *const vector_names[16] = {
    "sync/EL2t",   "irq/EL2t",    "fiq/EL2t",    "serror/EL2t",   "sync/EL2h",  "irq/EL2h",
    "fiq/EL2h",    "serror/EL2h", "sync/EL1a64", "irq/EL1a64",    "fiq/EL1a64", "serror/EL1a64",
    "sync/EL1a32", "irq/EL1a32",  "fiq/EL1a32",  "serror/EL1a32",
};

static unsigned int selftest_hits;

static void __attribute__((noreturn)) fatal(struct cpu_regs *regs, unsigned int vector)
{
    unsigned int ec = (unsigned int)(regs->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;

    printk("minixen: fatal %s on cpu %u: ESR %lx (EC %x) ELR %lx FAR %lx SPSR %lx\n",
           vector_names[vector & 15], smp_processor_id(), (unsigned long)regs->esr, ec,
           (unsigned long)regs->elr, (unsigned long)regs->far, (unsigned long)regs->spsr);
    for (unsigned int i = 0; i < 31; i += 2) {
        if (i + 1 < 31)
            printk("  x%-2u %016lx  x%-2u %016lx\n", i, (unsigned long)regs->x[i], i + 1,
                   (unsigned long)regs->x[i + 1]);
        else
            printk("  x%-2u %016lx  sp  %016lx\n", i, (unsigned long)regs->x[i],
                   (unsigned long)regs->sp);
    }
    halt();
}

static void trap_brk(struct cpu_regs *regs, unsigned int vector)
{
    unsigned int imm = (unsigned int)(regs->esr & 0xffff);

    if (vector != (VEC_CUR_SPX << 2 | VEC_SYNC) || imm != BRK_SELFTEST)
        fatal(regs, vector);
    selftest_hits++;
    regs->elr += 4; /* BRK's preferred return address is the BRK itself */
}

/* Synchronous exceptions from EL2 by EC. Unlisted classes are hypervisor bugs: fatal. */
static const trap_handler_t sync_handlers[EC_NR] = {
    [EC_BRK64] = trap_brk,
};

void arm_trap(struct cpu_regs *regs, unsigned int vector)
{
    unsigned int ec = (unsigned int)(regs->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
    trap_handler_t h;

    /* EL2 runs with IRQs masked; an IRQ here means someone unmasked them: still serve it. */
    if ((vector & 3) == VEC_IRQ && (vector >> 2) == VEC_CUR_SPX) {
        gic_handle_irq();
        return;
    }
    /*
     * An SError drained by arm_serror_sync() belongs to the vCPU leaving this CPU (Xen's
     * serrors=diverse); any other SError at EL2 is the hypervisor's own: fatal, as in Xen.
     */
    if ((vector & 3) == VEC_SERROR && (vector >> 2) == VEC_CUR_SPX &&
        arm_serror_in_sync_window(regs->elr) && arm_current_vcpu() != NULL) {
        arm_serror_forward(arm_current_vcpu());
        return;
    }
    if ((vector & 3) != VEC_SYNC)
        fatal(regs, vector);
    h = sync_handlers[ec];
    if (h == NULL)
        fatal(regs, vector);
    h(regs, vector);
}

void traps_selftest(void)
{
    __asm__ __volatile__("brk %0" ::"i"(BRK_SELFTEST) : "memory");
    if (selftest_hits != 1)
        panic("EL2 vectors: the self-test BRK did not come back through arm_trap");
    printk("traps: EL2 vectors ok (ESR.EC table dispatch, eret)\n");
}

/* ---- Guest exits ---------------------------------------------------------------------- */

#define HVC_SMCCC 0x0   /* SMCCC / PSCI calls (HVC #0) */
#define HVC_XEN   0xea1 /* Xen's hypercall tag */

typedef void (*guest_handler_t)(struct vcpu *v, struct cpu_regs *regs, uint32_t esr);

void arm_guest_crash(struct vcpu *v, const struct cpu_regs *regs, const char *why)
{
    printk("d%u v%u: %s (ESR %lx, PC %lx, PSTATE %lx): domain ended\n", v->domain->domain_id,
           v->vcpu_id, why, (unsigned long)regs->esr, (unsigned long)regs->elr,
           (unsigned long)regs->spsr);
    domain_shutdown(v->domain, SHUTDOWN_crash);
}

_Static_assert(sizeof(unsigned long) == sizeof(uint64_t), "frame x0-x4 are the args array");

/* The vCPU whose register frame regs is (struct arm_vcpu.self follows the frame). */
static inline struct vcpu *vcpu_of_frame(const struct cpu_regs *regs)
{
    return *(struct vcpu *const *)(regs + 1);
}

/* The handler's result into the frame, or the HVC again for a -ERESTART continuation. */
static ALWAYS_INLINE void hypercall_result(struct cpu_regs *regs, long rc)
{
    if (__builtin_expect(rc == -ERESTART, 0))
        WRITE_SYSREG(READ_SYSREG(elr_el2) - 4, elr_el2);
    else
        regs->x[0] = (uint64_t)rc;
}

/*
 * The way out that asks the scheduler, with the frame still partial: if v keeps the CPU
 * (a call that woke another vCPU of this CPU, say), it resumes from here too. Only a
 * switch or idle needs the complete frame: entry.S then finishes it and calls
 * arm_leave_after_pick().
 */
static NOINLINE uintptr_t hypercall_leave_slow(struct cpu_regs *regs, struct vcpu *v)
{
    struct vcpu *next;

    if (arm_vcpu(v)->lrs_synced)
        arm_vcpu(v)->lrs_synced = false;
    else
        vgic_sync(v);
    next = sched_pick(v->processor, v);
    if (next == v) {
        vgic_flush(v);
        return (uintptr_t)regs;
    }
    arm_picked[v->processor] = next;
    return (uintptr_t)regs | 1;
}

/*
 * sched_op (block, yield, poll, shutdown) nearly always reschedules: it goes the slow way
 * without asking. Its list registers are read back first, once: a block's wake-up check
 * (arch_vcpu_has_wakeup_event) then needs no sync of its own.
 */
static NOINLINE uintptr_t sched_op_hypercall(struct cpu_regs *regs, struct vcpu *v,
                                             hypercall_fn_t fn)
{
    vgic_sync(v);
    arm_vcpu(v)->lrs_synced = true;
    hypercall_result(regs, hypercall_call(fn, v, (unsigned long *)regs->x));
    return hypercall_leave_slow(regs, v);
}

/*
 * Any other call that is not pure (see below); out of line, so the pure path keeps a
 * small frame. Straight back to the guest when the scheduler keeps v and the vGIC has
 * nothing new for it.
 */
static NOINLINE uintptr_t impure_hypercall(struct cpu_regs *regs, struct vcpu *v, unsigned long nr,
                                           hypercall_fn_t fn)
{
    hypercall_result(regs, hypercall_call(fn, v, (unsigned long *)regs->x));
    if ((hypercall_only_wakes(nr) ? sched_kept_after_wakes(v->processor)
                                  : sched_keeps(v->processor, v)) &&
        vgic_exit_quiet(v))
        return (uintptr_t)regs;
    return hypercall_leave_slow(regs, v);
}

/*
 * HVC #0xEA1 (Xen's hypercall tag), the one hypercall path: x16 = hypercall number, x0-x4
 * = arguments, x0 = result. The frame's x0-x4 are the in/out argument array itself: a
 * handler's progress for -ERESTART lands in the registers the re-executed HVC reads (the
 * ABI lets a hypercall clobber x1-x4).
 *
 * entry.S's hypercall fast path: only x0-x18 and x30 are in the frame; ELR_EL2 is live.
 * Returns the frame when the caller may return straight to the guest: the scheduler
 * keeps this vCPU and the vGIC has nothing new for it (the common case: a hypercall that
 * does not block, wake a vCPU of this CPU or signal the caller itself). Otherwise the
 * frame | 1: entry.S completes the frame and calls arm_leave_to_guest().
 */
uintptr_t arm_fast_hypercall(struct cpu_regs *regs)
{
    struct vcpu *v = vcpu_of_frame(regs);
    unsigned long nr = regs->x[16];
    hypercall_fn_t fn = hypercall_lookup(nr); /* the one table lookup */

    if (hypercall_is_pure(nr)) { /* nothing to ask the scheduler or the vGIC */
        regs->x[0] = (uint64_t)fn(v, (unsigned long *)regs->x);
        return (uintptr_t)regs;
    }
    if (nr == __HYPERVISOR_sched_op)
        return sched_op_hypercall(regs, v, fn);
    return impure_hypercall(regs, v, nr, fn);
}

/*
 * An AArch32 guest's hypercall (HVC #0xEA1 in A32 or T32): r12 = hypercall number, r0-r4 =
 * arguments, r0 = result, as Xen's arm32 ABI has it. Its registers are the low halves of
 * the frame's x0-x12, whose upper halves are not the guest's: cut before use. It takes
 * the full exit path (no fast path for 32-bit guests).
 */
static void hypercall32(struct vcpu *v, struct cpu_regs *regs)
{
    unsigned long nr = regs->x[12] & 0xffffffffu;
    long rc;

    for (unsigned int i = 0; i < 5; i++)
        regs->x[i] &= 0xffffffffu;
    rc = hypercall_call(hypercall_lookup(nr), v, (unsigned long *)regs->x);
    if (rc == -ERESTART)
        regs->elr -= 4; /* HVC is 4 bytes in T32 too: it runs again with the new r0-r4 */
    else
        regs->x[0] = (uint32_t)rc;
}

static void guest_hvc32(struct vcpu *v, struct cpu_regs *regs, uint32_t esr)
{
    uint32_t imm = esr & 0xffff;

    if (imm == HVC_XEN)
        hypercall32(v, regs);
    else if (imm == HVC_SMCCC)
        vpsci_call(v, regs);
    else
        arm_inject_undef(regs, regs->elr - 4); /* ELR is past the HVC; report the HVC */
}

static void guest_hvc(struct vcpu *v, struct cpu_regs *regs, uint32_t esr)
{
    uint32_t imm = esr & 0xffff;

    /* HVC #0xEA1 never comes here: entry.S sends every one to arm_fast_hypercall(). */
    if (imm == HVC_SMCCC)
        vpsci_call(v, regs);
    else
        arm_inject_undef(regs, regs->elr - 4); /* ELR is past the HVC; report the HVC */
}

/*
 * Trapped by HCR_EL2.TSC: ELR is the SMC itself. No firmware behind it but PSCI. An
 * AArch32 SMC (EC 0x13) carries no immediate in its ISS, and may be conditional.
 */
static void guest_smc(struct vcpu *v, struct cpu_regs *regs, uint32_t esr)
{
    bool a64 = ((esr >> ESR_EC_SHIFT) & ESR_EC_MASK) == EC_SMC64;

    if (!arm_insn_cond_passes(regs, esr)) {
        arm_skip_insn(regs, esr);
        return;
    }
    if (a64 && (esr & 0xffff) != 0) {
        arm_inject_undef(regs, regs->elr);
        return;
    }
    arm_skip_insn(regs, esr);
    vpsci_call(v, regs);
}

static void guest_wfx(struct vcpu *v, struct cpu_regs *regs, uint32_t esr)
{
    bool passes = arm_insn_cond_passes(regs, esr);

    arm_skip_insn(regs, esr); /* ELR is the WFI/WFE itself */
    if (!passes)
        return;
    if (esr & 1)
        vcpu_yield(v); /* WFE: a spin-wait; let another vCPU of this CPU run */
    else
        vcpu_block(v); /* WFI: sleeps unless an interrupt is already pending */
}

/*
 * ESR ISS of EC 0x18 (MSR/MRS): Rt in [9:5], direction in [0] (1 = read). Rt 31 is XZR.
 * Each emulation is asked in turn; a register none of them owns is UNDEFINED, as in Xen.
 */
static void guest_sysreg(struct vcpu *v, struct cpu_regs *regs, uint32_t esr)
{
    uint32_t iss = esr & ESR_ISS_MASK;
    unsigned int rt = (iss >> 5) & 0x1f;
    bool read = iss & ISS_READ;
    uint64_t val = (!read && rt != 31) ? regs->x[rt] : 0;
    enum vreg_result r = vdebug_sysreg(iss, arm_guest_at_el0(regs), &val);

    if (r == VREG_NOT_MINE)
        r = vgic_emulate_sysreg(v, iss, &val) ? VREG_DONE : VREG_UNDEF;
    if (r == VREG_UNDEF) {
        arm_inject_undef(regs, regs->elr);
        return;
    }
    if (read && rt != 31)
        regs->x[rt] = val;
    arm_skip_insn(regs, esr);
}

static void guest_dabt(struct vcpu *v, struct cpu_regs *regs, uint32_t esr)
{
    arm_mmio_abort(v, regs, esr);
}

static void guest_iabt(struct vcpu *v, struct cpu_regs *regs, uint32_t esr)
{
    uint64_t va = READ_SYSREG(far_el2);

    (void)esr;
    /*
     * Executing from an address with no RAM behind it is the guest's own fault to handle,
     * unless the address is its exception vector table: the injected abort would fault
     * again at once, forever.
     */
    if (arm_guest_in_vectors(va)) {
        arm_guest_crash(v, regs, "exception vectors not in guest RAM");
        return;
    }
    arm_inject_iabt(regs, va);
}

/* EC 0x07: FP/SIMD with CPTR_EL2.TFP set: load its state (lazy switch) and retry. */
static void guest_fpsimd(struct vcpu *v, struct cpu_regs *regs, uint32_t esr)
{
    (void)regs;
    (void)esr;
    arm_fpsimd_trap(v);
}

/* Instructions the guest may not use (SVE, pointer authentication, ...): UNDEFINED to it. */
static void guest_undef(struct vcpu *v, struct cpu_regs *regs, uint32_t esr)
{
    (void)v;
    (void)esr;
    arm_inject_undef(regs, regs->elr);
}

/*
 * An AArch32 kernel's GICv3 SGIs: MCRR p15, opc1, Rt, Rt2, c12 writes ICC_SGI1R (opc1 0),
 * ICC_ASGI1R (1) or ICC_SGI0R (2) with Rt2:Rt, and traps like the AArch64 MSR does
 * (EC 0x04: Opc1 [19:16], Rt2 [14:10], Rt [9:5], CRm [4:1], read [0]). The vGIC sends
 * them as it sends an AArch64 kernel's. false: not one of these (vcp32.c decides).
 */
static bool guest_sgi32(struct vcpu *v, struct cpu_regs *regs, uint32_t esr)
{
    static const uint32_t a64[3] = {ISS_ICC_SGI1R_EL1, ISS_ICC_ASGI1R_EL1, ISS_ICC_SGI0R_EL1};
    unsigned int opc1 = (esr >> 16) & 0xf, rt2 = (esr >> 10) & 0x1f, rt = (esr >> 5) & 0x1f;
    uint64_t val;

    if (((esr >> ESR_EC_SHIFT) & ESR_EC_MASK) != EC_CP15_64 || ((esr >> 1) & 0xf) != 12 ||
        opc1 > 2 || (esr & ISS_READ) || rt >= 15 || rt2 >= 15 || arm_guest_at_el0(regs))
        return false;
    if (!arm_insn_cond_passes(regs, esr)) {
        arm_skip_insn(regs, esr);
        return true;
    }
    val = (regs->x[rt2] & 0xffffffffu) << 32 | (regs->x[rt] & 0xffffffffu);
    if (!vgic_emulate_sysreg(v, a64[opc1], &val))
        return false;
    arm_skip_insn(regs, esr);
    return true;
}

/* AArch32 coprocessor instructions of an AArch32 guest or process (vcp32.c): never fatal. */
static void guest_cp32(struct vcpu *v, struct cpu_regs *regs, uint32_t esr)
{
    if (!guest_sgi32(v, regs, esr))
        vcp32_trap(regs, esr, READ_SYSREG(vpidr_el2));
}

static const guest_handler_t guest_handlers[EC_NR] = {
    [EC_CP15_32] = guest_cp32,  [EC_CP15_64] = guest_cp32,  [EC_CP14_32] = guest_cp32,
    [EC_CP14_LS] = guest_cp32,  [EC_CP10_ID] = guest_cp32,  [EC_CP14_64] = guest_cp32,
    [EC_UNKNOWN] = guest_undef, [EC_WFX] = guest_wfx,       [EC_FP_ASIMD] = guest_fpsimd,
    [EC_PAC] = guest_undef,     [EC_HVC64] = guest_hvc,     [EC_SMC64] = guest_smc,
    [EC_HVC32] = guest_hvc32,   [EC_SMC32] = guest_smc,     [EC_SYSREG] = guest_sysreg,
    [EC_SVE] = guest_undef,     [EC_IABT_LOW] = guest_iabt, [EC_DABT_LOW] = guest_dabt,
};

struct cpu_regs *arm_guest_trap(struct cpu_regs *regs, unsigned int vector)
{
    struct vcpu *v = vcpu_of_frame(regs);

    vgic_sync(v);
    /* An AArch32 domain's EL1 (and EL0) exits come in the AArch32 half: the same classes. */
    if ((vector >> 2) == VEC_LOW_A32)
        vector = VEC_LOW_A64 << 2 | (vector & 3);
    switch (vector) {
    case VEC_LOW_A64 << 2 | VEC_SYNC: {
        uint32_t esr = (uint32_t)regs->esr;
        guest_handler_t h = guest_handlers[(esr >> ESR_EC_SHIFT) & ESR_EC_MASK];

        /* A class we never asked to trap: UNDEFINED for the guest, as Xen does. */
        if (h == NULL)
            h = guest_undef;
        h(v, regs, esr);
        break;
    }
    case VEC_LOW_A64 << 2 | VEC_IRQ:
        gic_handle_irq();
        break;
    case VEC_LOW_A64 << 2 | VEC_SERROR:
        arm_serror_forward(v); /* the guest's own: a virtual SError for it (serror.c) */
        break;
    default: /* FIQs are not used */
        arm_guest_crash(v, regs, vector_names[vector & 15]);
        break;
    }
    return arm_leave_to_guest();
}
