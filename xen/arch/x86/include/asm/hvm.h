/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The seam between the port and a hardware virtualization back end. SVM (svm.c) is the
 * only one; a VMX back end would supply another struct hvm_ops and decode its exits into
 * the same struct hvm_exit, and everything above this header (exit handlers, PVH loader,
 * run loop, hypercalls, upcalls) would serve it unchanged. Nested paging tables are per
 * back end too: npt.c builds AMD's format (EPT's differs), reached only through p2m_*().
 */
#ifndef MINIXEN_X86_ASM_HVM_H
#define MINIXEN_X86_ASM_HVM_H

#include <asm/x86.h>
#include <xen/domain.h>

/* Guest general registers. rax/rsp/rip/rflags live here too, synced by the back end. */
struct guest_regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags;
};

/* Why the guest stopped, in vendor-neutral terms. */
enum hvm_exit_reason {
    HVM_EXIT_NONE, /* nothing for the port (e.g. a physical interrupt: taken already) */
    HVM_EXIT_CPUID,
    HVM_EXIT_HLT,
    HVM_EXIT_IO,
    HVM_EXIT_MSR_READ,
    HVM_EXIT_MSR_WRITE,
    HVM_EXIT_HYPERCALL,    /* VMMCALL (VMX: VMCALL) */
    HVM_EXIT_TRIPLE_FAULT, /* shutdown */
    HVM_EXIT_NPF,          /* nested page fault */
    HVM_EXIT_INTR_WINDOW,  /* the guest can take an interrupt now */
    HVM_EXIT_UD,           /* an instruction the guest may not use: inject #UD */
    HVM_EXIT_XSETBV,       /* XCR0 write: validated, then loaded (xstate.c) */
    HVM_EXIT_CACHE_FLUSH,  /* WBINVD or INVD: nothing to flush for a guest without devices */
    HVM_EXIT_CR4_WRITE,    /* MOV to CR4: checked against the CPUID policy (cr4.c) */
    HVM_EXIT_ICEBP,        /* INT1: reflected as #DB, as Xen does */
    HVM_EXIT_FAILED,       /* the CPU refused the guest state; the domain ends */
    HVM_NR_EXITS
};

struct hvm_exit {
    enum hvm_exit_reason reason;
    uint64_t raw;         /* the back end's own code, for messages */
    unsigned int ins_len; /* bytes of the exiting instruction (to step over it) */
    union {
        struct {
            uint16_t port;
            uint8_t size; /* 1, 2, 4 */
            bool in, string, rep;
        } io;
        uint32_t msr;
        struct {
            uint64_t gpa;
            bool write, fetch;
            bool table_walk;  /* faulted on the guest's own page tables, not the access */
            bool in_delivery; /* while delivering an event (IDT, stack), not for RIP's insn */
        } npf;
    };
};

/* Segment attributes in the 12-bit form (Xen's `_ar`, SVM's VMCB attr). */
#define SEG_AR_CODE32 0xc9b /* G, D/B, P, S, type 11 (exec/read, accessed) */
#define SEG_AR_CODE64 0xa9b /* G, L, P, S, type 11 */
#define SEG_AR_DATA   0xc93 /* G, D/B, P, S, type 3 (read/write, accessed) */
#define SEG_AR_TSS32  0x08b /* P, type 11 (busy 32-bit TSS) */
#define SEG_AR_P      BIT(7)
#define SEG_AR_S      BIT(4)
#define SEG_AR_CODE   BIT(3) /* type bit 3 with S: a code segment */
#define SEG_AR_L      BIT(9)
#define SEG_AR_G      BIT(11)

/* A segment register as the guest's start state gives it (attributes in the 12-bit form). */
struct hvm_seg {
    uint16_t sel;
    uint16_t ar; /* type [3:0], S, DPL [6:5], P, AVL, L, D/B, G [11] */
    uint32_t limit;
    uint64_t base;
};

/*
 * A vCPU's whole start state: PVH's 32-bit entry (pvh.c) and VCPUOP_initialise
 * (vcpu_context.c) both come here, already validated by the port.
 */
struct hvm_start_state {
    struct guest_regs regs;
    uint64_t cr0, cr3, cr4, efer;
    struct hvm_seg cs, ds, es, ss, fs, gs, tr;
};

/* What a guest-virtual address walk needs. */
struct hvm_paging {
    uint64_t cr0, cr3, cr4, efer;
    uint64_t cr2; /* the last page fault's address: for crash reports */
};

struct hvm_ops {
    const char *name;
    int (*cpu_init)(unsigned int cpu);    /* on every CPU before its first guest */
    int (*domain_init)(struct domain *d); /* ASID; nested tables are built by npt.c */
    int (*vcpu_init)(struct vcpu *v);     /* control block, intercepts */
    /* Its domain reboots (v runs nowhere): the control block as vcpu_init left it. */
    void (*vcpu_reset)(struct vcpu *v);
    /* Load a validated start state (the vCPU is down: not running anywhere). */
    void (*vcpu_set_start_state)(struct vcpu *v, const struct hvm_start_state *s);
    /* Run v until it exits; the CPU's interrupts are masked on entry and return. */
    void (*vcpu_run)(struct vcpu *v, struct hvm_exit *exit);
    /* Can v take an external interrupt now (IF set, no interrupt shadow, none pending)? */
    bool (*can_inject_interrupt)(struct vcpu *v);
    void (*inject_interrupt)(struct vcpu *v, uint8_t vector);
    void (*inject_exception)(struct vcpu *v, uint8_t vector, int error_code); /* -1: none */
    /* Exit as soon as v can take an interrupt (HVM_EXIT_INTR_WINDOW). */
    void (*request_interrupt_window)(struct vcpu *v, bool on);
    void (*get_paging)(struct vcpu *v, struct hvm_paging *p);
    bool (*set_efer)(struct vcpu *v, uint64_t efer); /* false: reserved bits (#GP) */
    void (*set_cr4)(struct vcpu *v, uint64_t cr4);   /* already checked (cr4.c) */
    bool (*is_64bit)(struct vcpu *v);                /* long mode with a 64-bit code segment */
    unsigned int (*cpl)(struct vcpu *v);             /* the guest's privilege level now */
    /* The code segment now (base and attributes: instruction fetches by mmio.c). */
    void (*get_cs)(struct vcpu *v, struct hvm_seg *cs);
    /* An event (exception, interrupt) is already queued for the next entry. */
    bool (*event_pending)(struct vcpu *v);
    /* Print the guest state a crash report needs (RIP, RSP, CRs, IDT, events in flight). */
    void (*dump_state)(struct vcpu *v);
};

/* The back end in use (hvm_probe), and SVM's. */
extern const struct hvm_ops *hvm;
extern const struct hvm_ops svm_ops;

bool svm_probe(void);

/* Pick the back end; false (with the reason on the console) if this CPU has none usable. */
bool hvm_probe(void);

#endif
