/* SPDX-License-Identifier: MIT */
/*
 * x86 guest ABI: both guest widths are always visible under explicit
 * names (see xen-x86_32.h, xen-x86_64.h). When the compiler targets x86,
 * this header also selects the compiling target's xen_ulong_t/xen_pfn_t
 * and vcpu_info/shared_info member lists.
 */
#ifndef MINIXEN_PUBLIC_ARCH_X86_XEN_H
#define MINIXEN_PUBLIC_ARCH_X86_XEN_H

#include <stdint.h>

#include "xen-x86_32.h"
#include "xen-x86_64.h"

/* shared_info embeds this many vcpu_info; more need VCPUOP_register_vcpu_info. */
#define XEN_LEGACY_MAX_VCPUS_X86 32

#if defined(__x86_64__) || defined(__i386__)

#define XEN_LEGACY_MAX_VCPUS    XEN_LEGACY_MAX_VCPUS_X86
/* x86 vcpu_info carries evtchn_upcall_mask (ARM has pad0 instead). */
#define XEN_HAVE_PV_UPCALL_MASK 1

#if defined(__x86_64__)
typedef uint64_t xen_ulong_t;
typedef uint64_t xen_pfn_t;
#define XEN_VCPU_INFO_MEMBERS      XEN_VCPU_INFO_X86_64_MEMBERS
#define XEN_SHARED_INFO_MEMBERS(t) XEN_SHARED_INFO_X86_64_MEMBERS(t)
#define XEN_ARCH_LAYOUT_NAME       "x86_64"
#else
typedef uint32_t xen_ulong_t;
typedef uint32_t xen_pfn_t;
#define XEN_VCPU_INFO_MEMBERS      XEN_VCPU_INFO_X86_32_MEMBERS
#define XEN_SHARED_INFO_MEMBERS(t) XEN_SHARED_INFO_X86_32_MEMBERS(t)
#define XEN_ARCH_LAYOUT_NAME       "x86_32"
#endif

#endif /* __x86_64__ || __i386__ */

#endif /* MINIXEN_PUBLIC_ARCH_X86_XEN_H */
