/* SPDX-License-Identifier: Apache-2.0 */
/* The x86 port's own domain and vCPU state (behind struct domain/vcpu's `arch`). */
#ifndef MINIXEN_X86_ASM_DOMAIN_H
#define MINIXEN_X86_ASM_DOMAIN_H

#include <asm/hvm.h>

struct x86_domain {
    /* Guest RAM: guest-physical [0, ram_size) is host-physical [ram_pa, ram_pa + ram_size). */
    uint8_t *ram;
    paddr_t ram_pa;
    uint64_t ram_size;
    /* Nested page tables (npt.c). */
    uint64_t *npt_root;
    unsigned int npt_pages;
    uint32_t asid;
    /* HVM_PARAM_CALLBACK_IRQ with the vector type: one vector for every vCPU (0: none). */
    uint8_t callback_vector;
    uint64_t entry; /* PVH entry point (XEN_ELFNOTE_PHYS32_ENTRY) */
    uint64_t start_info_gpa;
};

struct x86_vcpu {
    struct guest_regs regs;
    void *hvm_state; /* the back end's (SVM: the VMCB) */
    /*
     * HVMOP_set_evtchn_upcall_vector: this vCPU's upcall vector (0: none). It goes
     * through a minimal virtual LAPIC: once injected it is in service until the guest
     * writes the EOI register, and is not injected again meanwhile.
     */
    uint8_t upcall_vector;
    bool upcall_in_service;
    bool halted;      /* HLT or SCHEDOP_block: waits for an interrupt */
    bool interrupt_window_requested;
};

static inline struct x86_domain *x86_dom(const struct domain *d)
{
    return d->arch;
}

static inline struct x86_vcpu *x86_vcpu(const struct vcpu *v)
{
    return v->arch;
}

/* npt.c: map [gpa, gpa + size) of d to host [hpa, ...), 4 KiB pages, RWX. */
int npt_map(struct domain *d, uint64_t gpa, paddr_t hpa, uint64_t size);
/* Host physical address of gpa in d, or 0 if unmapped (or outside 4 KiB-mapped RAM). */
paddr_t npt_lookup(struct domain *d, uint64_t gpa, bool *writable);
paddr_t npt_root_pa(struct domain *d);

/* The vCPU running on this CPU (NULL: none). */
struct vcpu *x86_current(void);

#endif
