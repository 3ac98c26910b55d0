/* SPDX-License-Identifier: MIT */
/*
 * vCPU operations: HYPERVISOR_vcpu_op(cmd, vcpuid, arg).
 *
 * Two of Xen's layouts here depend on the guest's width, because a 32-bit
 * x86 guest aligns uint64_t to 4 bytes: vcpu_runstate_info (44 vs 48
 * bytes) and vcpu_set_singleshot_timer (12 vs 16). Both layouts are
 * always defined under explicit names:
 *   *_x86_32  32-bit x86 guests;
 *   *_64      every other guest (x86_64, arm32, arm64);
 * and the plain struct name is the compiling target's layout.
 */
#ifndef MINIXEN_PUBLIC_VCPU_H
#define MINIXEN_PUBLIC_VCPU_H

#include <stdint.h>

#include "xen.h"

#define VCPUOP_initialise                     0
#define VCPUOP_up                             1
#define VCPUOP_down                           2
#define VCPUOP_is_up                          3
#define VCPUOP_get_runstate_info              4
#define VCPUOP_register_runstate_memory_area  5
#define VCPUOP_set_periodic_timer             6
#define VCPUOP_stop_periodic_timer            7
#define VCPUOP_set_singleshot_timer           8
#define VCPUOP_stop_singleshot_timer          9
#define VCPUOP_register_vcpu_info             10
#define VCPUOP_send_nmi                       11
#define VCPUOP_get_physid                     12
#define VCPUOP_register_vcpu_time_memory_area 13

/* ---- Runstate --------------------------------------------------------- */

#define RUNSTATE_running  0 /* running on a physical CPU */
#define RUNSTATE_runnable 1 /* runnable, waiting for a physical CPU */
#define RUNSTATE_blocked  2 /* waiting for an event */
#define RUNSTATE_offline  3 /* down, or preempted by the hypervisor */

/*
 * Set in state_entry_time while the hypervisor updates the area, if the
 * guest enabled VMASST_TYPE_runstate_update_flag.
 */
#define XEN_RUNSTATE_UPDATE (1ULL << 63)

/* 48 bytes: state_entry_time is 8-aligned. */
#define XEN_VCPU_RUNSTATE_INFO_64_MEMBERS                                                          \
    int32_t state; /* RUNSTATE_* */                                                                \
    uint32_t _pad;                                                                                 \
    uint64_t state_entry_time; /* system time (ns) the state was entered */                        \
    uint64_t time[4];          /* ns spent in each RUNSTATE_* */

/* 48 bytes */
struct vcpu_runstate_info_64 {
    XEN_VCPU_RUNSTATE_INFO_64_MEMBERS
};

/*
 * 44 bytes: a 32-bit x86 guest puts state_entry_time at offset 4. Stored
 * here as little-endian 32-bit halves [0] = low, [1] = high, so that the
 * layout is the same for every compiler.
 * Size: 44 bytes.
 */
struct vcpu_runstate_info_x86_32 {
    int32_t state;
    uint32_t state_entry_time[2];
    uint32_t time[4][2];
};

#if defined(__i386__)
/* Native i386 alignment gives exactly the x86_32 layout above. */
struct vcpu_runstate_info {
    int32_t state;
    uint64_t state_entry_time;
    uint64_t time[4];
};
#else
struct vcpu_runstate_info {
    XEN_VCPU_RUNSTATE_INFO_64_MEMBERS
};
#endif
typedef struct vcpu_runstate_info vcpu_runstate_info_t;
XEN_DEFINE_GUEST_HANDLE_64(vcpu_runstate_info_t);

/*
 * VCPUOP_register_runstate_memory_area: the hypervisor keeps a
 * vcpu_runstate_info up to date at this guest virtual address (HVM/PVH and
 * ARM: the guest's current address space at registration). An 8-byte union
 * for every guest, but a 32-bit x86 guest's handle h is its low 4 bytes and
 * only those count: Xen reads just the handle from such a guest, and a guest
 * that sets h alone leaves the upper half as it was (uninitialised stack, in
 * Linux), so reading p would take garbage for the address.
 * Size: 8 bytes.
 */
XEN_DEFINE_GUEST_HANDLE_32(vcpu_runstate_info_t);

#define XEN_VCPU_REGISTER_RUNSTATE_MEMORY_AREA_MEMBERS(handle)                                     \
    union {                                                                                        \
        handle h;                                                                                  \
        uint64_t p;                                                                                \
    } addr;

struct vcpu_register_runstate_memory_area_64 {
    XEN_VCPU_REGISTER_RUNSTATE_MEMORY_AREA_MEMBERS(XEN_GUEST_HANDLE_64(vcpu_runstate_info_t))
};

struct vcpu_register_runstate_memory_area_x86_32 {
    XEN_VCPU_REGISTER_RUNSTATE_MEMORY_AREA_MEMBERS(XEN_GUEST_HANDLE_32(vcpu_runstate_info_t))
};

#if defined(__i386__)
struct vcpu_register_runstate_memory_area {
    XEN_VCPU_REGISTER_RUNSTATE_MEMORY_AREA_MEMBERS(XEN_GUEST_HANDLE_32(vcpu_runstate_info_t))
};
#else
struct vcpu_register_runstate_memory_area {
    XEN_VCPU_REGISTER_RUNSTATE_MEMORY_AREA_MEMBERS(XEN_GUEST_HANDLE_64(vcpu_runstate_info_t))
};
#endif
typedef struct vcpu_register_runstate_memory_area vcpu_register_runstate_memory_area_t;

/* ---- Timers ----------------------------------------------------------- */

/* VCPUOP_set_periodic_timer: VIRQ_TIMER every period_ns; 8 bytes. */
struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;

/* VCPUOP_set_singleshot_timer: VIRQ_TIMER once at system time timeout_abs_ns. */
#define VCPU_SSHOTTMR_future (1U << 0) /* fail with -XEN_ETIME if already past */

#define XEN_VCPU_SET_SINGLESHOT_TIMER_64_MEMBERS                                                   \
    uint64_t timeout_abs_ns;                                                                       \
    uint32_t flags; /* VCPU_SSHOTTMR_* */                                                          \
    uint32_t _pad;  /* Xen: tail padding */

/* 16 bytes */
struct vcpu_set_singleshot_timer_64 {
    XEN_VCPU_SET_SINGLESHOT_TIMER_64_MEMBERS
};

/* 12 bytes */
struct vcpu_set_singleshot_timer_x86_32 {
    uint32_t timeout_abs_ns[2]; /* little-endian halves: low, high */
    uint32_t flags;
};

#if defined(__i386__)
struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;
    uint32_t flags;
};
#else
struct vcpu_set_singleshot_timer {
    XEN_VCPU_SET_SINGLESHOT_TIMER_64_MEMBERS
};
#endif
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;

/* ---- vcpu_info placement ---------------------------------------------- */

/*
 * VCPUOP_register_vcpu_info: move this vCPU's vcpu_info out of shared_info
 * to byte <offset> of guest frame <mfn> (a gfn for HVM/PVH/ARM guests).
 * Allowed once per vCPU. The area must be aligned to xen_ulong_t and must
 * not cross a page (-XEN_ENXIO otherwise). Pending state moves with it.
 * Size: 16 bytes.
 */
struct vcpu_register_vcpu_info {
    uint64_t mfn;
    uint32_t offset;
    uint32_t rsvd; /* must be 0 */
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;

#endif /* MINIXEN_PUBLIC_VCPU_H */
