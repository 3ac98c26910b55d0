/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vCPUs on this CPU: creation, boot state, the world switch and the way back into a guest.
 *
 * A vCPU's general registers are saved by entry.S straight into struct arm_vcpu.regs on
 * every exit (SP_EL2 points there while it runs), so a switch moves no GPRs. Its EL1
 * system registers, FP/SIMD registers, virtual timer and virtual CPU interface live in the
 * hardware while it runs and move to struct arm_vcpu only when another vCPU (or idle)
 * takes the CPU, never on an ordinary exit: a hypercall or an emulated MMIO access costs
 * the GPR save/restore of entry.S and nothing else.
 */
#include <asm/domain_build.h>
#include <asm/gic.h>
#include <asm/p2m.h>
#include <asm/vgic.h>
#include <xen/sched.h>
#include <asm/setup.h>
#include <asm/time.h>
#include <asm/vcpu.h>
#include <asm/vdebug.h>
#include <xen/alloc.h>
#include <xen/errno.h>
#include <xen/lib.h>

/* HCR_EL2: what guests run with (one value for every guest and CPU but RW: its width). */
#define HCR_VM     (1ul << 0) /* stage-2 translation */
#define HCR_SWIO   (1ul << 1) /* set/way invalidate becomes clean+invalidate (no data loss) */
#define HCR_PTW    (1ul << 2) /* stage-1 walks that hit device memory fault */
#define HCR_FMO    (1ul << 3) /* physical FIQ, IRQ, SError go to EL2 ... */
#define HCR_IMO    (1ul << 4)
#define HCR_AMO    (1ul << 5)
#define HCR_FB     (1ul << 9)  /* TLB/I-cache maintenance broadcast in the inner shareable domain */
#define HCR_BSU_IS (1ul << 10) /* barriers upgraded to inner shareable */
#define HCR_TWI    (1ul << 13) /* WFI traps: a blocked vCPU gives its CPU away */
#define HCR_TWE    (1ul << 14) /* WFE traps: a spinning vCPU yields */
#define HCR_TSC    (1ul << 19) /* SMC traps (PSCI over SMC is emulated, firmware unreachable) */
#define HCR_TIDCP  (1ul << 20) /* implementation-defined system registers trap */
#define HCR_RW     (1ul << 31) /* EL1 is AArch64 (clear for an AArch32 domain) */
#define HCR_GUEST                                                                                  \
    (HCR_VM | HCR_SWIO | HCR_PTW | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TWI |   \
     HCR_TWE | HCR_TSC | HCR_TIDCP | HCR_RW)

/* CPTR_EL2 (non-VHE): RES1 bits and TTA (trace registers trap); TFP is set per switch. */
#define CPTR_EL2_GUEST (0x33fful | (1ul << 20))
#define CPTR_TFP       (1ul << 10) /* FP/SIMD traps to EL2 (EL2's own accesses too) */

/* CNTHCTL_EL2 (non-VHE): EL1PCTEN = 1 (CNTPCT readable), EL1PCEN = 0 (CNTP_* trap). */
#define CNTHCTL_EL1PCTEN (1ul << 0)

/* SCTLR_EL1 at reset: the ARMv8.0 RES1 bits, MMU and caches off, little-endian. */
#define SCTLR_EL1_RESET 0x30d00800ul
/* An AArch32 EL1's SCTLR at reset: its RES1 bits (U, XP, nTWE, nTWI, 6:3), all else off. */
#define SCTLR32_RESET   0x00c50078ul

/* SPSR for Linux's boot state: EL1h with D, A, I, F masked. */
#define SPSR_EL1H_DAIF   0x3c5ul
/* ... and an AArch32 kernel's: SVC mode, A, I, F masked, ARM (or Thumb) state. */
#define SPSR_A32_SVC_AIF 0x1d3ul
#define SPSR_A32_T       (1ul << 5)
#define ATAGS_NONE_DT    0xfffffffful /* r1, the machine type: ~0 says "r2 is a DT" */

_Static_assert(__builtin_offsetof(struct fpsimd_state, fpsr) == 512, "fpsimd.S layout");
_Static_assert(__builtin_offsetof(struct el1_sysregs, mdscr) == 192, "sysregs.S layout");
_Static_assert(__builtin_offsetof(struct arm_vcpu, self) == FRAME_SIZE, "vcpu_of_frame()");
/* SP_EL2 points just past the frame while the vCPU runs: keep it 16-byte aligned. */
_Static_assert(__builtin_offsetof(struct arm_vcpu, regs) % 16 == 0 && FRAME_SIZE % 16 == 0,
               "entry.S uses struct arm_vcpu.regs as a stack");

struct vcpu *arm_running[NR_CPUS];

/*
 * Lazy FP/SIMD: the vCPU whose FP/SIMD state is in this CPU's registers. A switch only
 * sets CPTR_EL2.TFP when the incoming vCPU is not the owner; its first FP instruction then
 * traps (arm_fpsimd_trap) and the state moves. vCPUs never change CPU, so a vCPU's state
 * is either in its struct or in its own CPU's registers. Guests that never touch FP/SIMD
 * (or one vCPU alone on a CPU) never pay for the 512-byte save and restore.
 */
static struct vcpu *fp_owner[NR_CPUS];

/* HCR_EL2 as this CPU has it now: written on a switch only when the width changes. */
static uint64_t hcr_loaded[NR_CPUS];

static bool vcpu_aarch32(const struct vcpu *v)
{
    return arm_domain(v->domain)->aarch32;
}

int arm_vcpu_init(struct vcpu *v)
{
    struct arm_vcpu *av = xzalloc(struct arm_vcpu);
    int rc;

    if (av == NULL)
        return -ENOMEM;
    /* Aff0 = vcpu_id, as the guest DT's cpu nodes say; bit 31 is RES1. */
    av->vmpidr = (1ull << 31) | (v->vcpu_id & 0xff);
    av->self = v;
    v->arch = av;
    rc = vgic_vcpu_init(v);
    if (rc != 0) {
        v->arch = NULL;
        xfree(av);
        return rc;
    }
    arm_vcpu_set_boot_context(v, 0, 0);
    return 0;
}

COLD void arm_vcpu_set_boot_context(struct vcpu *v, uint64_t entry, uint64_t arg)
{
    struct arm_vcpu *av = arm_vcpu(v);

    /* Architectural reset state as far as a booting kernel may rely on it. */
    memset(&av->regs, 0, sizeof(av->regs));
    memset(&av->sys, 0, sizeof(av->sys));
    memset(&av->sys32, 0, sizeof(av->sys32));
    memset(&av->fp, 0, sizeof(av->fp));
    av->regs.x[0] = arg;
    av->regs.elr = entry;
    av->regs.spsr = SPSR_EL1H_DAIF;
    av->sys.sctlr = SCTLR_EL1_RESET;
    if (vcpu_aarch32(v)) {
        /* PSCI (and Linux): bit 0 of an AArch32 entry point asks for Thumb state. */
        av->regs.elr = entry & ~1ull;
        av->regs.spsr = SPSR_A32_SVC_AIF | ((entry & 1) ? SPSR_A32_T : 0);
        av->sys.sctlr = SCTLR32_RESET;
        av->regs.x[0] = (uint32_t)arg;
    }
    av->cntv_ctl = 0;
    av->cntv_cval = 0;
    av->vserror_pending = false; /* an SError of its previous life is not the new one's */
}

void arm_vcpu_set_kernel_entry(struct vcpu *v, uint64_t entry, uint64_t dt)
{
    struct arm_vcpu *av = arm_vcpu(v);

    arm_vcpu_set_boot_context(v, entry, dt);
    if (vcpu_aarch32(v)) { /* Linux's ARM boot protocol: r0 = 0, r1 = ~0, r2 = the DT */
        av->regs.x[0] = 0;
        av->regs.x[1] = ATAGS_NONE_DT;
        av->regs.x[2] = dt;
    }
}

void arm_cpu_virt_init(void)
{
    hcr_loaded[smp_processor_id()] = HCR_GUEST;
    WRITE_SYSREG(HCR_GUEST, hcr_el2);
    WRITE_SYSREG(CPTR_EL2_GUEST, cptr_el2);
    vdebug_cpu_init(); /* MDCR_EL2: debug, OS-lock and PMU registers trap (vdebug.c) */
    WRITE_SYSREG(0, hstr_el2);
    WRITE_SYSREG(CNTHCTL_EL1PCTEN, cnthctl_el2);
    WRITE_SYSREG(0, cntvoff_el2); /* guest virtual time = physical time (vtimer.c) */
    WRITE_SYSREG(READ_SYSREG(midr_el1), vpidr_el2);
    WRITE_SYSREG(0, vttbr_el2);
    WRITE_SYSREG(0, cntv_ctl_el0);
    isb();
    p2m_init_cpu();
    arm_time_init_cpu();
}

static void switch_out(struct vcpu *v)
{
    struct arm_vcpu *av = arm_vcpu(v);

    arm_serror_switch_out(v); /* first: its late SErrors are its own, not the next vCPU's */
    el1_sysregs_save(&av->sys);
    if (vcpu_aarch32(v)) {
        WRITE_SYSREG(CPTR_EL2_GUEST, cptr_el2); /* FPEXC32_EL2 is an FP register to TFP */
        isb();
        aarch32_sysregs_save(&av->sys32);
    }
    arm_vtimer_save(v);
    vgic_save(v);
}

static void switch_in(struct vcpu *v)
{
    struct arm_vcpu *av = arm_vcpu(v);

    /*
     * PSCI CPU_ON stored the entry point for the vCPU's own CPU to apply: the vCPU may
     * still have been on its way out (CPU_OFF) when another vCPU turned it on again.
     */
    unsigned int cpu = smp_processor_id();

    uint64_t hcr = vcpu_aarch32(v) ? HCR_GUEST & ~HCR_RW : HCR_GUEST;

    if (__atomic_load_n(&av->psci_on_pending, __ATOMIC_ACQUIRE)) {
        if (av->psci_kernel_boot) /* a reboot: the kernel's entry, not CPU_ON's */
            arm_vcpu_set_kernel_entry(v, av->psci_entry, av->psci_context_id);
        else
            arm_vcpu_set_boot_context(v, av->psci_entry, av->psci_context_id);
        if (fp_owner[cpu] == v)
            fp_owner[cpu] = NULL; /* the registers hold its old life's FP state */
        __atomic_store_n(&av->psci_on_pending, false, __ATOMIC_RELEASE);
    }
    el1_sysregs_restore(&av->sys);
    if (hcr != hcr_loaded[cpu]) {
        hcr_loaded[cpu] = hcr;
        WRITE_SYSREG(hcr, hcr_el2);
    }
    if (vcpu_aarch32(v)) {
        WRITE_SYSREG(CPTR_EL2_GUEST, cptr_el2); /* FPEXC32_EL2 is an FP register to TFP */
        isb();
        aarch32_sysregs_restore(&av->sys32);
    }
    WRITE_SYSREG(fp_owner[cpu] == v ? CPTR_EL2_GUEST : CPTR_EL2_GUEST | CPTR_TFP, cptr_el2);
    WRITE_SYSREG(av->vmpidr, vmpidr_el2);
    WRITE_SYSREG(p2m_vttbr(v->domain), vttbr_el2);
    arm_vtimer_restore(v);
    vgic_restore(v);
    arm_serror_switch_in(v);
    /* ERET synchronises the system-register writes before the guest runs. */
}

void arm_fpsimd_trap(struct vcpu *v)
{
    unsigned int cpu = smp_processor_id();
    struct vcpu *owner = fp_owner[cpu];

    WRITE_SYSREG(CPTR_EL2_GUEST, cptr_el2);
    isb(); /* EL2's own FP accesses below must not trap */
    if (owner == v)
        return;
    if (owner != NULL)
        fpsimd_save(&arm_vcpu(owner)->fp);
    fpsimd_restore(&arm_vcpu(v)->fp);
    fp_owner[cpu] = v;
}

/* Nothing to run: wait for an interrupt (masked IRQs still end WFI), then handle it. */
static void idle_wait(void)
{
    __asm__ __volatile__("dsb sy\n wfi" ::: "memory");
    gic_handle_irq();
}

struct vcpu *arm_picked[NR_CPUS];

/* prev ran until now; the scheduler chose next (NULL: idle). Switch, idle, flush. */
static struct cpu_regs *enter_picked(unsigned int cpu, struct vcpu *prev, struct vcpu *next)
{
    for (;;) {
        if (next != prev) {
            if (prev != NULL)
                switch_out(prev);
            arm_running[cpu] = next;
            if (next != NULL)
                switch_in(next);
            sched_switched(next);
        }
        if (next != NULL) {
            vgic_flush(next);
            return &arm_vcpu(next)->regs;
        }
        /* Nothing to run: help a rebooting domain's scrub first, a bounded chunk at a time. */
        if (arm_reboot_scrub_step())
            gic_handle_irq(); /* what arrived during the chunk: timer, kicks */
        else
            idle_wait();
        prev = NULL;
        next = sched_pick(cpu, NULL);
    }
}

struct cpu_regs *arm_leave_to_guest(void)
{
    unsigned int cpu = smp_processor_id();
    struct vcpu *prev = arm_running[cpu];

    /* A busy CPU also scrubs for a rebooting domain: one chunk per exit, so it finishes. */
    (void)arm_reboot_scrub_step();

    return enter_picked(cpu, prev, sched_pick(cpu, prev));
}

struct cpu_regs *arm_leave_after_pick(void)
{
    unsigned int cpu = smp_processor_id();

    return enter_picked(cpu, arm_running[cpu], arm_picked[cpu]);
}

struct cpu_regs *arm_run_first(void)
{
    return arm_leave_to_guest();
}
