/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AMD SVM: the VMCB (AMD64 APM vol. 2, appendix B), intercept bits, exit codes.
 * Only the SVM back end (svm.c, svm_entry.S) includes this; the rest of the port sees
 * <asm/hvm.h>.
 */
#ifndef MINIXEN_X86_ASM_SVM_H
#define MINIXEN_X86_ASM_SVM_H

#include <asm/x86.h>

struct vmcb_seg {
    uint16_t sel;
    uint16_t attr; /* type:4 S:1 DPL:2 P:1 AVL:1 L:1 DB:1 G:1 */
    uint32_t limit;
    uint64_t base;
};

struct vmcb {
    /* ---- control area (0x000) ---- */
    uint32_t intercept_cr; /* reads: bits 0-15, writes: bits 16-31 */
    uint32_t intercept_dr;
    uint32_t intercept_exceptions;
    uint32_t intercept_misc1;
    uint32_t intercept_misc2;
    uint32_t intercept_misc3;
    uint8_t reserved_018[0x03c - 0x018];
    uint16_t pause_filter_threshold;
    uint16_t pause_filter_count;
    uint64_t iopm_base_pa;
    uint64_t msrpm_base_pa;
    uint64_t tsc_offset;
    uint32_t guest_asid;
    uint8_t tlb_control;
    uint8_t reserved_05d[3];
    uint64_t vintr; /* V_TPR, V_IRQ, V_INTR_MASKING, V_INTR_VECTOR */
    uint64_t interrupt_shadow;
    uint64_t exitcode;
    uint64_t exitinfo1;
    uint64_t exitinfo2;
    uint64_t exitintinfo;
    uint64_t np_enable;
    uint64_t avic_apic_bar;
    uint64_t ghcb_pa;
    uint64_t eventinj;
    uint64_t n_cr3;
    uint64_t virt_ext;
    uint32_t vmcb_clean;
    uint32_t reserved_0c4;
    uint64_t nrip;
    uint8_t guest_ins_len;
    uint8_t guest_ins_bytes[15];
    uint8_t reserved_0e0[0x400 - 0x0e0];

    /* ---- state save area (0x400) ---- */
    struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
    uint8_t reserved_4a0[0x4cb - 0x4a0];
    uint8_t cpl;
    uint32_t reserved_4cc;
    uint64_t efer;
    uint8_t reserved_4d8[0x548 - 0x4d8];
    uint64_t cr4, cr3, cr0, dr7, dr6, rflags, rip;
    uint8_t reserved_580[0x5d8 - 0x580];
    uint64_t rsp;
    uint8_t reserved_5e0[0x5f8 - 0x5e0];
    uint64_t rax;
    uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t cr2;
    uint8_t reserved_648[0x668 - 0x648];
    uint64_t g_pat;
    uint64_t dbgctl, br_from, br_to, last_excp_from, last_excp_to;
    uint8_t reserved_698[4096 - 0x698];
};
_Static_assert(sizeof(struct vmcb) == 4096, "the VMCB is one page");
_Static_assert(__builtin_offsetof(struct vmcb, es) == 0x400, "save area at 0x400");
_Static_assert(__builtin_offsetof(struct vmcb, efer) == 0x4d0, "EFER at 0x4d0");
_Static_assert(__builtin_offsetof(struct vmcb, rax) == 0x5f8, "RAX at 0x5f8");
_Static_assert(__builtin_offsetof(struct vmcb, g_pat) == 0x668, "G_PAT at 0x668");
_Static_assert(__builtin_offsetof(struct vmcb, n_cr3) == 0x0b0, "N_CR3 at 0x0b0");

/* intercept_misc1 */
#define SVM_INTERCEPT_INTR     BIT(0)
#define SVM_INTERCEPT_NMI      BIT(1)
#define SVM_INTERCEPT_SMI      BIT(2)
#define SVM_INTERCEPT_INIT     BIT(3)
#define SVM_INTERCEPT_VINTR    BIT(4)
#define SVM_INTERCEPT_CPUID    BIT(18)
#define SVM_INTERCEPT_INVD     BIT(22)
#define SVM_INTERCEPT_HLT      BIT(24)
#define SVM_INTERCEPT_INVLPGA  BIT(26)
#define SVM_INTERCEPT_IOIO     BIT(27)
#define SVM_INTERCEPT_MSR      BIT(28)
#define SVM_INTERCEPT_TASKSW   BIT(29)
#define SVM_INTERCEPT_SHUTDOWN BIT(31)
/* intercept_misc2 */
#define SVM_INTERCEPT_VMRUN    BIT(0) /* required by VMRUN's consistency checks */
#define SVM_INTERCEPT_VMMCALL  BIT(1)
#define SVM_INTERCEPT_VMLOAD   BIT(2)
#define SVM_INTERCEPT_VMSAVE   BIT(3)
#define SVM_INTERCEPT_STGI     BIT(4)
#define SVM_INTERCEPT_CLGI     BIT(5)
#define SVM_INTERCEPT_SKINIT   BIT(6)
#define SVM_INTERCEPT_ICEBP    BIT(8)
#define SVM_INTERCEPT_WBINVD   BIT(9)
#define SVM_INTERCEPT_MONITOR  BIT(10)
#define SVM_INTERCEPT_MWAIT    BIT(11)
#define SVM_INTERCEPT_XSETBV   BIT(13)

/* vintr */
#define V_IRQ            BIT64(8)
#define V_INTR_PRIO(p)   ((uint64_t)(p) << 16)
#define V_IGN_TPR        BIT64(20)
#define V_INTR_MASKING   BIT64(24)
#define V_INTR_VECTOR(v) ((uint64_t)(v) << 32)

/* eventinj / exitintinfo */
#define EVENT_VALID     BIT64(31)
#define EVENT_ERR_VALID BIT64(11)
#define EVENT_TYPE_INTR (0ull << 8)
#define EVENT_TYPE_NMI  (2ull << 8)
#define EVENT_TYPE_EXC  (3ull << 8)

/* Exit codes. */
#define VMEXIT_CR4_WRITE 0x14
#define VMEXIT_EXC_BASE  0x40
#define VMEXIT_INTR      0x60
#define VMEXIT_NMI       0x61
#define VMEXIT_SMI       0x62
#define VMEXIT_INIT      0x63
#define VMEXIT_VINTR     0x64
#define VMEXIT_CPUID     0x72
#define VMEXIT_INVD      0x76
#define VMEXIT_HLT       0x78
#define VMEXIT_INVLPGA   0x7a
#define VMEXIT_IOIO      0x7b
#define VMEXIT_MSR       0x7c
#define VMEXIT_TASKSW    0x7d
#define VMEXIT_SHUTDOWN  0x7f
#define VMEXIT_VMRUN     0x80
#define VMEXIT_VMMCALL   0x81
#define VMEXIT_VMLOAD    0x82
#define VMEXIT_VMSAVE    0x83
#define VMEXIT_STGI      0x84
#define VMEXIT_CLGI      0x85
#define VMEXIT_SKINIT    0x86
#define VMEXIT_ICEBP     0x88
#define VMEXIT_WBINVD    0x89
#define VMEXIT_MONITOR   0x8a
#define VMEXIT_MWAIT     0x8b
#define VMEXIT_XSETBV    0x8d
#define VMEXIT_NR_CODES  0x8e /* codes below this are looked up in the exit table */
#define VMEXIT_NPF       0x400
#define VMEXIT_INVALID   ((uint64_t)-1)

/* IOIO exitinfo1 */
#define IOIO_IN                   BIT64(0)
#define IOIO_STR                  BIT64(2)
#define IOIO_REP                  BIT64(3)
#define IOIO_SIZE_SHIFT           4 /* one-hot: 1, 2, 4 bytes at bits 4, 5, 6 */
#define IOIO_PORT_SHIFT           16
#define SVM_INTERCEPT_CR_WRITE(n) BIT(16 + (n))

/* CPUID Fn8000_0001 ECX and Fn8000_000A EDX */
#define CPUID_80000001_ECX_SVM BIT(2)
#define CPUID_8000000A_EDX_NP  BIT(0)

#endif
