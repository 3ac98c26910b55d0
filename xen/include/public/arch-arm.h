/* SPDX-License-Identifier: MIT */
/*
 * ARM guest ABI (AArch64 and AArch32 guests share one layout).
 *
 * Hypercalls: "HVC #0xEA1"; nr in x16 (AArch64) / r12 (AArch32); args in
 * x0-x4 / r0-r4; result in x0 / r0. Any other HVC immediate is UNDEF.
 * Structures follow AAPCS64 even for 32-bit guests, little endian, and
 * xen_ulong_t is 64 bits even on AArch32 so that both widths share the
 * shared_info layout.
 *
 * Xen's arch_vcpu_info and arch_shared_info are empty on ARM. ISO C has no
 * empty structs, so minixen omits the "arch" member on ARM instead: the
 * layout (offsets, sizes) is the same as Xen's zero-size member.
 *
 * The explicitly named layout is always defined, whatever the compiler's
 * target, so that host tools and common code can see it.
 */
#ifndef MINIXEN_PUBLIC_ARCH_ARM_H
#define MINIXEN_PUBLIC_ARCH_ARM_H

#include <stdint.h>

/* Immediate of the HVC instruction that makes a hypercall. */
#define XEN_HYPERCALL_TAG 0xEA1U

/* Only vcpu_info[0] lives in shared_info; all other vCPUs must register. */
#define XEN_LEGACY_MAX_VCPUS_ARM 1

/* Bits in one word of the 2-level bitmaps (xen_ulong_t is 8 bytes). */
#define XEN_ULONG_BITS_ARM 64

#define XEN_VCPU_INFO_ARM_MEMBERS                                                                  \
    uint8_t evtchn_upcall_pending;                                                                 \
    uint8_t pad0;                                                                                  \
    uint8_t _pad1[6]; /* Xen leaves an implicit hole here */                                       \
    uint64_t evtchn_pending_sel;                                                                   \
    struct vcpu_time_info time;

#define XEN_SHARED_INFO_ARM_MEMBERS(vcpu_info_type)                                                \
    vcpu_info_type vcpu_info[XEN_LEGACY_MAX_VCPUS_ARM];                                            \
    uint64_t evtchn_pending[XEN_ULONG_BITS_ARM];                                                   \
    uint64_t evtchn_mask[XEN_ULONG_BITS_ARM];                                                      \
    uint32_t wc_version;                                                                           \
    uint32_t wc_sec;                                                                               \
    uint32_t wc_nsec;                                                                              \
    uint32_t wc_sec_hi;

#if defined(__aarch64__) || defined(__arm__)

typedef uint64_t xen_ulong_t;
typedef uint64_t xen_pfn_t;
#define XEN_LEGACY_MAX_VCPUS       XEN_LEGACY_MAX_VCPUS_ARM
#define XEN_VCPU_INFO_MEMBERS      XEN_VCPU_INFO_ARM_MEMBERS
#define XEN_SHARED_INFO_MEMBERS(t) XEN_SHARED_INFO_ARM_MEMBERS(t)
#define XEN_ARCH_LAYOUT_NAME       "arm"

/*
 * HVM_PARAM_CALLBACK_IRQ as Xen sets it for an ARM domU: type PPI, flag
 * active-low level, PPI 31.
 */
#define GUEST_EVTCHN_PPI 31

#endif /* __aarch64__ || __arm__ */

#endif /* MINIXEN_PUBLIC_ARCH_ARM_H */
