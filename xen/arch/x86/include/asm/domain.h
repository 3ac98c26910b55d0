/* SPDX-License-Identifier: Apache-2.0 */
/* The x86 port's own domain and vCPU state (behind struct domain/vcpu's `arch`). */
#ifndef MINIXEN_X86_ASM_DOMAIN_H
#define MINIXEN_X86_ASM_DOMAIN_H

#include <asm/hvm.h>
#include <asm/msr_policy.h>
#include <asm/vioapic.h>
#include <asm/vlapic.h>
#include <asm/xstate.h>
#include <xen/arch_hooks.h>
#include <xen/spinlock.h>

struct boot_domain;

struct x86_domain {
    /* Guest RAM: guest-physical [0, ram_size) is host-physical [ram_pa, ram_pa + ram_size). */
    uint8_t *ram;
    paddr_t ram_pa;
    uint64_t ram_size;
    /* Nested page tables (npt.c): every table is charged to the domain's heap budget. */
    uint64_t *npt_root;
    unsigned int npt_pages;
    spinlock_t npt_lock;     /* serialises updates (lookups walk without it) */
    uint64_t npt_generation; /* bumped when a present entry changes: vCPUs flush */
    uint32_t asid;
    uint64_t entry; /* PVH entry point (XEN_ELFNOTE_PHYS32_ENTRY) */
    uint64_t start_info_gpa;
    spinlock_t context_lock;          /* VCPUOP_initialise: one writer of a vCPU's start state */
    const struct boot_domain *config; /* what it was built from: a reboot loads it again */
    /* reboot.c: bytes of RAM claimed and done by the chunked reboot scrub */
    uint64_t scrub_next, scrub_done;
    bool scrub_active;
    /* mmio.c: the hardware domain's I/O APIC, and whether a refused MMIO access was logged */
    struct vioapic vioapic;
    spinlock_t vioapic_lock;
    bool mmio_refusal_logged;
};

struct x86_vcpu {
    struct guest_regs regs;
    void *hvm_state; /* the back end's (SVM: the VMCB) */
    struct vlapic vlapic;
    struct x86_xstate xstate; /* FPU/SIMD, XCR0, DR0-DR3: switched by the run loop */
    struct msr_state msrs;    /* MTRRs, PAT (msr_policy.c) */
    bool has_context;         /* a start state was loaded (vCPU 0 at build, others by initialise) */
    bool interrupt_window_requested;
    uint64_t irq_injected_at; /* guest RIP of the last interrupt injection (exit_hlt) */
    /* While in guest mode: NPT_IN_GUEST | the npt_generation its TLB holds; else 0 (npt.c). */
    uint64_t npt_in_guest;
};

#define NPT_IN_GUEST BIT64(63)

static inline struct x86_domain *x86_dom(const struct domain *d)
{
    return d->arch;
}

static inline struct x86_vcpu *x86_vcpu(const struct vcpu *v)
{
    return v->arch;
}

/*
 * Guest-physical pages above its RAM that a domain may still map hypervisor pages at
 * (XENMEM_add_to_physmap: shared_info, grant frames), as Xen bounds them by its p2m's
 * size: 4 GiB, so a guest can place them in a hole of its own choosing, while what the
 * tables for them cost is bounded by the domain's heap budget.
 */
#define PHYSMAP_WINDOW_BYTES (4ull << 30)

/* npt.c: map [gpa, gpa + size) of d to host [hpa, ...), 4 KiB pages, RWX. 0, -EINVAL,
 * -ENOMEM (the domain's heap budget is spent; what was mapped before stays). */
int npt_map(struct domain *d, uint64_t gpa, paddr_t hpa, uint64_t size);
/* Host physical address of gpa in d, or 0 if unmapped (or outside 4 KiB-mapped RAM). */
paddr_t npt_lookup(struct domain *d, uint64_t gpa, bool *writable);
paddr_t npt_root_pa(struct domain *d);
/*
 * One 4 KiB page of d's map (guest_mem.c's physmap hooks): map gpa to hpa as t (RAM,
 * HYP_PAGE, GRANT_RW, GRANT_RO: read-only for the last), or unmap it; when either returns,
 * no vCPU of d uses the old translation. 0, -EINVAL, -ENOMEM (tables past the domain's
 * heap budget: nothing changed). The bounds on gpa are the caller's.
 */
int npt_set(struct domain *d, uint64_t gpa, paddr_t hpa, enum physmap_type t);
int npt_clear(struct domain *d, uint64_t gpa);
/* What gpa's page is in d's tables (PHYSMAP_NONE if unmapped) and its host address. */
enum physmap_type npt_query(struct domain *d, uint64_t gpa, paddr_t *hpa);
/* d reboots and none of its vCPUs runs: its tables as its build left them (its RAM at 0,
 * nothing above it, tables built only for add_to_physmap freed), then every vCPU flushes. */
void npt_reset(struct domain *d);

#endif
