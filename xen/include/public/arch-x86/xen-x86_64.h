/* SPDX-License-Identifier: MIT */
/*
 * Layout of the per-architecture parts of vcpu_info/shared_info for a
 * 64-bit x86 guest (PV64, or HVM/PVH latched as 64-bit).
 *
 * Everything here is always defined, whatever the compiler's target: the
 * hypervisor is a 64-bit program that must also understand these layouts
 * while talking to 32-bit guests, and host tools inspect any guest.
 * Xen spells these fields "unsigned long"; minixen uses uint64_t so that
 * the layout is the same for every compiler.
 *
 * Hypercall registers (64-bit): nr in RAX, args RDI RSI RDX R10 R8,
 * result in RAX.
 */
#ifndef MINIXEN_PUBLIC_ARCH_X86_XEN_X86_64_H
#define MINIXEN_PUBLIC_ARCH_X86_XEN_X86_64_H

#include <stdint.h>

/* Bits in one word of the 2-level bitmaps (xen_ulong_t is 8 bytes). */
#define XEN_ULONG_BITS_X86_64 64

/* 16 bytes */
struct arch_vcpu_info_x86_64 {
    uint64_t cr2;
    uint64_t pad;
};

/* 48 bytes */
struct arch_shared_info_x86_64 {
    uint64_t max_pfn;                    /* max pfn that appears in table */
    uint64_t pfn_to_mfn_frame_list_list; /* xen_pfn_t */
    uint64_t nmi_reason;
    uint64_t p2m_cr3;        /* cr3 value of the p2m address space */
    uint64_t p2m_vaddr;      /* virtual address of the p2m list */
    uint64_t p2m_generation; /* incremented by the guest on p2m change */
};

/*
 * Member lists, used both for the explicitly named layout and, when the
 * compiler targets x86_64, for the plain "struct vcpu_info": one source of
 * truth makes the two identical by construction.
 */
#define XEN_VCPU_INFO_X86_64_MEMBERS                                                               \
    uint8_t evtchn_upcall_pending;                                                                 \
    uint8_t evtchn_upcall_mask;                                                                    \
    uint8_t _pad0[6]; /* Xen leaves an implicit hole here */                                       \
    uint64_t evtchn_pending_sel;                                                                   \
    struct arch_vcpu_info_x86_64 arch;                                                             \
    struct vcpu_time_info time;

#define XEN_SHARED_INFO_X86_64_MEMBERS(vcpu_info_type)                                             \
    vcpu_info_type vcpu_info[XEN_LEGACY_MAX_VCPUS_X86];                                            \
    uint64_t evtchn_pending[XEN_ULONG_BITS_X86_64];                                                \
    uint64_t evtchn_mask[XEN_ULONG_BITS_X86_64];                                                   \
    uint32_t wc_version;                                                                           \
    uint32_t wc_sec;                                                                               \
    uint32_t wc_nsec;                                                                              \
    uint32_t wc_sec_hi;                                                                            \
    struct arch_shared_info_x86_64 arch;

#endif /* MINIXEN_PUBLIC_ARCH_X86_XEN_X86_64_H */
