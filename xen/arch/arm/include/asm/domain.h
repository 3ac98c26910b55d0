/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ARM port's state behind struct domain.arch and struct vcpu.arch. Each part belongs
 * to one file: p2m -> p2m.c, vgic -> vgic*.c, mmio -> mmio.c, the vCPU context ->
 * context.c (world switch) and vtimer/time.c.
 */
#ifndef MINIXEN_ARM_ASM_DOMAIN_H
#define MINIXEN_ARM_ASM_DOMAIN_H

#include <asm/arm64.h>
#include <asm/mmio.h>
#include <xen/boot_config.h>
#include <xen/domain.h>

struct p2m;
struct vgic_domain;
struct vgic_vcpu;
struct vpl011;

struct mmio_region {
    uint64_t base, size;
    mmio_handler_t fn;
    void *priv;
};

struct arm_domain {
    struct p2m *p2m;
    struct vgic_domain *vgic;
    unsigned int nr_mmio;
    struct mmio_region mmio[MMIO_MAX_REGIONS];
    uint64_t ram_base, ram_size;      /* guest RAM: GUEST_RAM0_BASE (or ram_host), size */
    paddr_t ram_host;                 /* host physical backing (contiguous) */
    bool direct_map;                  /* ram_base == ram_host: the hardware domain, 1:1 */
    bool aarch32;                     /* its kernel is an ARM zImage: EL1 runs AArch32 */
    const struct boot_domain *config; /* what it was built from (restart on reboot) */
    /* reboot_scrub.c: bytes of RAM claimed and done by the chunked reboot scrub */
    uint64_t scrub_next, scrub_done;
    bool scrub_active;
    bool serror_reported;  /* serror.c: its first forwarded SError was logged */
    struct vpl011 *vpl011; /* vpl011.c: its SBSA UART, if its DT node asks for one */
};

/* EL1 system registers the world switch saves and restores (context.c). */
struct el1_sysregs {
    uint64_t sctlr, actlr, cpacr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
    uint64_t tpidr_el0, tpidrro_el0, tpidr_el1, sp_el0, sp_el1, elr_el1, spsr_el1;
    uint64_t esr, far, afsr0, afsr1, par, csselr, cntkctl, mdscr;
};

/*
 * The registers only an AArch32 EL1 has (context.c switches them for such vCPUs alone:
 * an AArch64 EL1 or any EL0 cannot reach them): the banked SPSRs of abort, undefined,
 * IRQ and FIQ modes (SPSR_svc is SPSR_EL1), DACR, IFSR and FPEXC (its EN bit says whether
 * the guest's VFP instructions run or are UNDEFINED to its own kernel).
 */
struct aarch32_sysregs {
    uint64_t spsr_abt, spsr_und, spsr_irq, spsr_fiq, dacr, ifsr, fpexc;
};

/* Guest FP/SIMD state (fpsimd.S): q0-q31, FPSR, FPCR. */
struct fpsimd_state {
    __uint128_t q[32];
    uint64_t fpsr, fpcr;
};

struct arm_vcpu {
    struct cpu_regs regs; /* x0-x30, pc (elr), pstate (spsr): saved here on every exit */
    struct vcpu *self;    /* right after regs: entry.S's frame pointer finds its vCPU */
    struct el1_sysregs sys;
    struct aarch32_sysregs sys32; /* an AArch32 domain's */
    struct fpsimd_state fp;
    uint64_t vmpidr;              /* the MPIDR the guest reads (VMPIDR_EL2) */
    uint64_t cntv_ctl, cntv_cval; /* virtual timer while descheduled */
    /* vtimer.c: armed while descheduled -> on its CPU's wake list until it expires. */
    struct vcpu *vtimer_next;
    struct vcpu **vtimer_pprev; /* the link pointing at it; NULL: not on the list */
    struct vgic_vcpu *vgic;
    bool lrs_synced;       /* traps.c: vgic_sync done during the exit being handled */
    bool vserror_pending;  /* serror.c: a virtual SError it has not taken yet */
    bool psci_on_pending;  /* PSCI CPU_ON gave it an entry point it has not started at */
    bool psci_kernel_boot; /* ... which is the kernel's (a reboot), not a CPU_ON's */
    uint64_t psci_entry, psci_context_id; /* ... and these (applied on its own CPU) */
    /* guest_memory.c: the RAM page its last hypercall argument was in (gen 0: none yet). */
    struct {
        uint64_t gen, ipa_page;
        paddr_t pa_page;
    } last_arg;
};

static inline struct arm_domain *arm_domain(const struct domain *d)
{
    return (struct arm_domain *)d->arch;
}

static inline struct arm_vcpu *arm_vcpu(const struct vcpu *v)
{
    return (struct arm_vcpu *)v->arch;
}

#endif
