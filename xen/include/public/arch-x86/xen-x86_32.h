/* SPDX-License-Identifier: MIT */
/*
 * Layout of the per-architecture parts of vcpu_info/shared_info for a
 * 32-bit x86 guest (PV32, or HVM/PVH latched as 32-bit).
 *
 * Always defined, whatever the compiler's target: a 64-bit hypervisor
 * serves 32-bit guests with exactly these layouts ("compat" shared info).
 * xen_ulong_t and xen_pfn_t are 4 bytes for these guests.
 *
 * Hypercall registers (32-bit): nr in EAX, args EBX ECX EDX ESI EDI,
 * result in EAX.
 */
#ifndef MINIXEN_PUBLIC_ARCH_X86_XEN_X86_32_H
#define MINIXEN_PUBLIC_ARCH_X86_XEN_X86_32_H

#include <stdint.h>

/* Bits in one word of the 2-level bitmaps (xen_ulong_t is 4 bytes). */
#define XEN_ULONG_BITS_X86_32 32

/* 24 bytes */
struct arch_vcpu_info_x86_32 {
    uint32_t cr2;
    uint32_t pad[5];
};

/* 28 bytes */
struct arch_shared_info_x86_32 {
    uint32_t max_pfn;
    uint32_t pfn_to_mfn_frame_list_list; /* xen_pfn_t */
    uint32_t nmi_reason;
    uint32_t p2m_cr3;
    uint32_t p2m_vaddr;
    uint32_t p2m_generation;
    uint32_t wc_sec_hi; /* 32-bit x86 keeps it here, not in shared_info */
};

#define XEN_VCPU_INFO_X86_32_MEMBERS                                                               \
    uint8_t evtchn_upcall_pending;                                                                 \
    uint8_t evtchn_upcall_mask;                                                                    \
    uint8_t _pad0[2]; /* Xen leaves an implicit hole here */                                       \
    uint32_t evtchn_pending_sel;                                                                   \
    struct arch_vcpu_info_x86_32 arch;                                                             \
    struct vcpu_time_info time;

#define XEN_SHARED_INFO_X86_32_MEMBERS(vcpu_info_type)                                             \
    vcpu_info_type vcpu_info[XEN_LEGACY_MAX_VCPUS_X86];                                            \
    uint32_t evtchn_pending[XEN_ULONG_BITS_X86_32];                                                \
    uint32_t evtchn_mask[XEN_ULONG_BITS_X86_32];                                                   \
    uint32_t wc_version;                                                                           \
    uint32_t wc_sec;                                                                               \
    uint32_t wc_nsec;                                                                              \
    struct arch_shared_info_x86_32 arch;

#endif /* MINIXEN_PUBLIC_ARCH_X86_XEN_X86_32_H */
