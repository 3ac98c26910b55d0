/* SPDX-License-Identifier: MIT */
/*
 * minixen guest ABI: core definitions (hypercall numbers, domain ids,
 * VIRQs, vcpu_info, shared_info). Numbers and layouts are Xen's, so that
 * unmodified Xen guests run; the text is minixen's own.
 *
 * Rules for every public header (see docs/abi.md):
 *  - fixed-width <stdint.h> types only: no long, no raw pointers;
 *  - explicit padding: no implicit hole, no tail padding;
 *  - guest memory addresses in structs are 64-bit handles
 *    (XEN_GUEST_HANDLE_64) so layouts do not depend on the guest's width.
 *
 * Which guest gets which vcpu_info/shared_info layout:
 *  - 32-bit x86 guest (PV32, HVM/PVH latched 32-bit): struct vcpu_info_x86_32
 *    (64 B), struct shared_info_x86_32 (2344 B), 4-byte xen_ulong_t;
 *  - 64-bit x86 guest: struct vcpu_info_x86_64 (64 B),
 *    struct shared_info_x86_64 (3136 B), 8-byte xen_ulong_t;
 *  - ARM guest, AArch64 or AArch32: struct vcpu_info_arm (48 B),
 *    struct shared_info_arm (1088 B), 8-byte xen_ulong_t.
 * These explicit names are always defined. struct vcpu_info and struct
 * shared_info are the layout of the compiler's own target (chosen from
 * __x86_64__/__i386__/__aarch64__/__arm__) and are built from the same
 * member lists, so they are identical to the matching explicit layout.
 *
 * Alignment caveat: vcpu_info_x86_32 holds uint64_t fields (time), so a
 * 64-bit compiler aligns it to 8, but a 32-bit guest may register its
 * vcpu_info at any 4-byte boundary. Hypervisor code must reach such guest
 * memory through byte offsets and guest accessors, not by dereferencing a
 * possibly misaligned struct pointer.
 */
#ifndef MINIXEN_PUBLIC_XEN_H
#define MINIXEN_PUBLIC_XEN_H

#include <stdint.h>

/* ---- Guest handles ---------------------------------------------------- */

/*
 * A guest virtual address inside a hypercall argument struct. Always 8
 * bytes, so a struct has one layout for 32- and 64-bit guests. The type
 * name only documents what the address points to.
 */
#define XEN_DEFINE_GUEST_HANDLE_64(name)                                                           \
    typedef union {                                                                                \
        uint64_t p;                                                                                \
    } xen_guest_handle_64_##name##_t
#define XEN_GUEST_HANDLE_64(name)          xen_guest_handle_64_##name##_t
/* Store a guest address: set_xen_guest_handle_64(h, (uintptr_t)ptr). */
#define set_xen_guest_handle_64(hnd, addr) ((hnd).p = (uint64_t)(uintptr_t)(addr))

/*
 * A 32-bit x86 guest's native handle (4 bytes). Used only by the
 * explicitly named *_x86_32 layouts of the few structs whose Xen layout
 * depends on the guest's width.
 */
#define XEN_DEFINE_GUEST_HANDLE_32(name)                                                           \
    typedef union {                                                                                \
        uint32_t p;                                                                                \
    } xen_guest_handle_32_##name##_t
#define XEN_GUEST_HANDLE_32(name) xen_guest_handle_32_##name##_t

XEN_DEFINE_GUEST_HANDLE_64(void);
XEN_DEFINE_GUEST_HANDLE_64(char);
XEN_DEFINE_GUEST_HANDLE_64(uint8_t);
XEN_DEFINE_GUEST_HANDLE_64(uint32_t);
XEN_DEFINE_GUEST_HANDLE_64(uint64_t);
XEN_DEFINE_GUEST_HANDLE_32(uint32_t);

/* ---- Hypercall numbers ------------------------------------------------ */

#define __HYPERVISOR_set_trap_table                0
#define __HYPERVISOR_mmu_update                    1
#define __HYPERVISOR_set_gdt                       2
#define __HYPERVISOR_stack_switch                  3
#define __HYPERVISOR_set_callbacks                 4
#define __HYPERVISOR_fpu_taskswitch                5
#define __HYPERVISOR_sched_op_compat               6
#define __HYPERVISOR_platform_op                   7
#define __HYPERVISOR_set_debugreg                  8
#define __HYPERVISOR_get_debugreg                  9
#define __HYPERVISOR_update_descriptor             10
#define __HYPERVISOR_memory_op                     12
#define __HYPERVISOR_multicall                     13
#define __HYPERVISOR_update_va_mapping             14
#define __HYPERVISOR_set_timer_op                  15
#define __HYPERVISOR_event_channel_op_compat       16 /* takes struct evtchn_op */
#define __HYPERVISOR_xen_version                   17
#define __HYPERVISOR_console_io                    18
#define __HYPERVISOR_physdev_op_compat             19
#define __HYPERVISOR_grant_table_op                20
#define __HYPERVISOR_vm_assist                     21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                          23 /* x86 PV only */
#define __HYPERVISOR_vcpu_op                       24
#define __HYPERVISOR_set_segment_base              25 /* x86_64 PV only */
#define __HYPERVISOR_mmuext_op                     26
#define __HYPERVISOR_xsm_op                        27
#define __HYPERVISOR_nmi_op                        28
#define __HYPERVISOR_sched_op                      29
#define __HYPERVISOR_callback_op                   30
#define __HYPERVISOR_xenoprof_op                   31
#define __HYPERVISOR_event_channel_op              32
#define __HYPERVISOR_physdev_op                    33
#define __HYPERVISOR_hvm_op                        34
#define __HYPERVISOR_sysctl                        35
#define __HYPERVISOR_domctl                        36
#define __HYPERVISOR_kexec_op                      37
#define __HYPERVISOR_tmem_op                       38
#define __HYPERVISOR_argo_op                       39
#define __HYPERVISOR_xenpmu_op                     40
#define __HYPERVISOR_dm_op                         41
#define __HYPERVISOR_hypfs_op                      42

/* Architecture-specific hypercalls. */
#define __HYPERVISOR_arch_0 48
#define __HYPERVISOR_arch_1 49
#define __HYPERVISOR_arch_2 50
#define __HYPERVISOR_arch_3 51
#define __HYPERVISOR_arch_4 52
#define __HYPERVISOR_arch_5 53
#define __HYPERVISOR_arch_6 54
#define __HYPERVISOR_arch_7 55

/* ---- console_io ------------------------------------------------------- */

/* HYPERVISOR_console_io(cmd, count, guest buffer) */
#define CONSOLEIO_write 0
#define CONSOLEIO_read  1

/* ---- vm_assist -------------------------------------------------------- */

#define VMASST_CMD_enable                0
#define VMASST_CMD_disable               1
/* Guest wants XEN_RUNSTATE_UPDATE in vcpu_runstate_info.state_entry_time. */
#define VMASST_TYPE_runstate_update_flag 5

/* ---- Virtual IRQs (bound with EVTCHNOP_bind_virq) --------------------- */

#define VIRQ_TIMER      0  /* per vCPU: timer_op / singleshot timer fired */
#define VIRQ_DEBUG      1  /* per vCPU: debug key request */
#define VIRQ_CONSOLE    2  /* global: console input (control domain) */
#define VIRQ_DOM_EXC    3  /* global: a domain exited or crashed */
#define VIRQ_TBUF       4  /* global: trace buffer */
#define VIRQ_DEBUGGER   6  /* global: a domain hit a debugger trap */
#define VIRQ_XENOPROF   7  /* per vCPU */
#define VIRQ_CON_RING   8  /* global: hypervisor console ring */
#define VIRQ_PCPU_STATE 9  /* global */
#define VIRQ_MEM_EVENT  10 /* global */
#define VIRQ_ARGO       11 /* per domain */
#define VIRQ_ENOMEM     12 /* global: hypervisor low on memory */
#define VIRQ_XENPMU     13 /* per vCPU */

#define VIRQ_ARCH_0 16
#define VIRQ_ARCH_1 17
#define VIRQ_ARCH_2 18
#define VIRQ_ARCH_3 19
#define VIRQ_ARCH_4 20
#define VIRQ_ARCH_5 21
#define VIRQ_ARCH_6 22
#define VIRQ_ARCH_7 23

#define NR_VIRQS 24

/* ---- Domain ids -------------------------------------------------------- */

typedef uint16_t domid_t;

#define DOMID_FIRST_RESERVED 0x7FF0U
#define DOMID_SELF           0x7FF0U /* the calling domain */
#define DOMID_IO             0x7FF1U
#define DOMID_XEN            0x7FF2U
#define DOMID_COW            0x7FF3U
#define DOMID_INVALID        0x7FF4U
#define DOMID_IDLE           0x7FFFU

/* ---- start_info / hvm_start_info flags ------------------------------ */

#define SIF_PRIVILEGED      (1U << 0)    /* privileged domain */
#define SIF_INITDOMAIN      (1U << 1)    /* the initial control domain (dom0) */
#define SIF_MULTIBOOT_MOD   (1U << 2)    /* modules follow the multiboot format */
#define SIF_MOD_START_PFN   (1U << 3)    /* module start is a pfn, not an address */
#define SIF_VIRT_P2M_4TOOLS (1U << 4)    /* virtual p2m list for tools */
#define SIF_PM_MASK         (0xFFU << 8) /* reserved for power-management flags */

/* ---- Time ------------------------------------------------------------- */

/*
 * Per-vCPU time base (same 32-byte layout for every guest). The hypervisor
 * makes version odd while updating and even when done; the guest retries
 * its read while version is odd or changed.
 *   system_time(now) = system_time +
 *       ((tsc_now - tsc_timestamp) << tsc_shift) * tsc_to_system_mul >> 32
 * (a negative tsc_shift shifts right).
 * Size: 32 bytes.
 */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;     /* TSC at the last update of system_time */
    uint64_t system_time;       /* ns since boot at tsc_timestamp */
    uint32_t tsc_to_system_mul; /* 32.32 fixed-point TSC-to-ns factor */
    int8_t tsc_shift;
    uint8_t flags; /* XEN_PVCLOCK_* */
    uint8_t pad1[2];
};
typedef struct vcpu_time_info vcpu_time_info_t;

#define XEN_PVCLOCK_TSC_STABLE_BIT (1U << 0)
#define XEN_PVCLOCK_GUEST_STOPPED  (1U << 1)

/* ---- Architecture layouts --------------------------------------------- */

/* Both always included: every explicit layout is visible on every target. */
#include "arch-x86/xen.h"
#include "arch-arm.h"

#if !defined(XEN_ARCH_LAYOUT_NAME)
#error "minixen public headers: unsupported target (x86_64, i386, aarch64, arm)"
#endif

/* Handles to frame-number arrays (grant tables, memory ops). */
XEN_DEFINE_GUEST_HANDLE_64(xen_pfn_t);
XEN_DEFINE_GUEST_HANDLE_32(xen_pfn_t);

/* ---- vcpu_info -------------------------------------------------------- */

/*
 * Per-vCPU event-channel and time state shared with the guest: embedded in
 * shared_info for the first XEN_LEGACY_MAX_VCPUS vCPUs, or wherever the
 * guest placed it with VCPUOP_register_vcpu_info.
 *
 * evtchn_upcall_pending: set by the hypervisor when it signals an upcall;
 *   the guest clears it *before* scanning evtchn_pending_sel.
 * evtchn_upcall_mask (x86 only): PV-guest "interrupts disabled" flag.
 * evtchn_pending_sel: 2-level selector, bit N = word N of evtchn_pending
 *   may have work. Under minixen's 3-level ABI, bit N = word N of the
 *   vCPU's L2 selector.
 * Size: 64 bytes.
 */
struct vcpu_info_x86_32 {
    XEN_VCPU_INFO_X86_32_MEMBERS
};

/* 64 bytes */
struct vcpu_info_x86_64 {
    XEN_VCPU_INFO_X86_64_MEMBERS
};

/* 48 bytes */
struct vcpu_info_arm {
    XEN_VCPU_INFO_ARM_MEMBERS
};

/* The compiling target's layout (identical to one of the three above). */
struct vcpu_info {
    XEN_VCPU_INFO_MEMBERS
};
typedef struct vcpu_info vcpu_info_t;

/* ---- shared_info ------------------------------------------------------ */

/*
 * One page per domain, mapped by the guest with
 * XENMEM_add_to_physmap(XENMAPSPACE_shared_info). Holds the 2-level
 * pending/mask bitmaps (bit N = port N) and the wall clock. Guests must not
 * rely on the size of this structure: it fits in a page.
 * Size: 2344 bytes.
 */
struct shared_info_x86_32 {
    XEN_SHARED_INFO_X86_32_MEMBERS(struct vcpu_info_x86_32)
};

/* 3136 bytes */
struct shared_info_x86_64 {
    XEN_SHARED_INFO_X86_64_MEMBERS(struct vcpu_info_x86_64)
};

/* 1088 bytes */
struct shared_info_arm {
    XEN_SHARED_INFO_ARM_MEMBERS(struct vcpu_info_arm)
};

/* The compiling target's layout (identical to one of the three above). */
struct shared_info {
    XEN_SHARED_INFO_MEMBERS(struct vcpu_info)
};
typedef struct shared_info shared_info_t;

#endif /* MINIXEN_PUBLIC_XEN_H */
