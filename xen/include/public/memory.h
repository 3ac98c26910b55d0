/* SPDX-License-Identifier: MIT */
/*
 * Memory operations: HYPERVISOR_memory_op(cmd, arg).
 *
 * xen_add_to_physmap depends on the guest's width (xen_ulong_t idx and
 * xen_pfn_t gpfn): 16 bytes for 32-bit x86 guests, 24 bytes for every
 * other guest. Both layouts are always defined:
 *   struct xen_add_to_physmap_x86_32  32-bit x86 guests;
 *   struct xen_add_to_physmap_64      x86_64, arm32, arm64 guests;
 * struct xen_add_to_physmap is the compiling target's layout. The same holds for
 * xen_memory_reservation (20 / 32 bytes) and xen_remove_from_physmap (8 / 16 bytes).
 */
#ifndef MINIXEN_PUBLIC_MEMORY_H
#define MINIXEN_PUBLIC_MEMORY_H

#include <stdint.h>

#include "xen.h"

#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_maximum_ram_page     2
#define XENMEM_current_reservation  3
#define XENMEM_maximum_reservation  4
#define XENMEM_machphys_mfn_list    5
#define XENMEM_populate_physmap     6
#define XENMEM_add_to_physmap       7
#define XENMEM_memory_map           9
#define XENMEM_machine_memory_map   10
#define XENMEM_exchange             11
#define XENMEM_machphys_mapping     12
#define XENMEM_set_memory_map       13
#define XENMEM_maximum_gpfn         14
#define XENMEM_remove_from_physmap  15
#define XENMEM_add_to_physmap_batch 23

/* What XENMEM_add_to_physmap maps at gpfn. */
#define XENMAPSPACE_shared_info  0 /* the domain's shared_info page (idx 0) */
#define XENMAPSPACE_grant_table  1 /* grant-table frame idx */
#define XENMAPSPACE_gmfn         2 /* another gfn of the same domain */
#define XENMAPSPACE_gmfn_range   3 /* size gfns starting at idx */
#define XENMAPSPACE_gmfn_foreign 4 /* a gfn of another domain */
#define XENMAPSPACE_dev_mmio     5 /* device MMIO (ARM, control domain) */

/* In idx with XENMAPSPACE_grant_table: a v2 status frame. */
#define XENMAPIDX_grant_table_status (1U << 31)

#define XEN_ADD_TO_PHYSMAP_MEMBERS(ulong_t, pfn_t)                                                 \
    domid_t domid;  /* IN: DOMID_SELF, or a domain the caller controls */                          \
    uint16_t size;  /* IN: number of pages, XENMAPSPACE_gmfn_range only */                         \
    uint32_t space; /* IN: XENMAPSPACE_* */                                                        \
    ulong_t idx;    /* IN: index into the space */                                                 \
    pfn_t gpfn;     /* IN: guest frame where it appears */

/* 16 bytes */
struct xen_add_to_physmap_x86_32 {
    XEN_ADD_TO_PHYSMAP_MEMBERS(uint32_t, uint32_t)
};

/* 24 bytes */
struct xen_add_to_physmap_64 {
    XEN_ADD_TO_PHYSMAP_MEMBERS(uint64_t, uint64_t)
};

struct xen_add_to_physmap {
    XEN_ADD_TO_PHYSMAP_MEMBERS(xen_ulong_t, xen_pfn_t)
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;

/* ---- increase_reservation, decrease_reservation, populate_physmap ------ */

/*
 * nr_extents extents of 2^extent_order pages each, for domid. extent_start lists the
 * guest frames (decrease: the frames to give up; populate: where to put the new ones;
 * increase: may be null for auto-translated guests). The return value is the number of
 * extents done.
 */
#define XEN_MEMORY_RESERVATION_TAIL                                                                \
    uint32_t extent_order; /* IN: each extent is 2^extent_order pages */                           \
    uint32_t mem_flags;    /* IN: XENMEMF_* (address width, NUMA node) */                          \
    domid_t domid;         /* IN: DOMID_SELF, or a domain the caller controls */

/* 32 bytes */
struct xen_memory_reservation_64 {
    XEN_GUEST_HANDLE_64(xen_pfn_t) extent_start;
    uint64_t nr_extents;
    XEN_MEMORY_RESERVATION_TAIL
    uint16_t _pad0;
    uint32_t _pad1;
};

/* 20 bytes */
struct xen_memory_reservation_x86_32 {
    XEN_GUEST_HANDLE_32(xen_pfn_t) extent_start;
    uint32_t nr_extents;
    XEN_MEMORY_RESERVATION_TAIL
    uint16_t _pad0;
};

#if defined(__i386__)
struct xen_memory_reservation {
    XEN_GUEST_HANDLE_32(xen_pfn_t) extent_start;
    uint32_t nr_extents;
    XEN_MEMORY_RESERVATION_TAIL
    uint16_t _pad0;
};
#else
struct xen_memory_reservation {
    XEN_GUEST_HANDLE_64(xen_pfn_t) extent_start;
    uint64_t nr_extents;
    XEN_MEMORY_RESERVATION_TAIL
    uint16_t _pad0;
    uint32_t _pad1;
};
#endif
typedef struct xen_memory_reservation xen_memory_reservation_t;

/* mem_flags: bits 0-7 the highest address bit the pages may have (0: any). */
#define XENMEMF_address_bits(x)     (x)
#define XENMEMF_get_address_bits(x) ((x)&0xffu)

/* ---- current_reservation, maximum_reservation, maximum_gpfn ------------ */

/* The argument is a pointer to a domid_t (DOMID_SELF or a domain the caller controls). */

/* ---- remove_from_physmap ---------------------------------------------- */

/* Unmap whatever is at gpfn of domid (a page, shared_info, a grant frame). */
/* 16 bytes */
struct xen_remove_from_physmap_64 {
    domid_t domid; /* IN */
    uint16_t _pad0;
    uint32_t _pad1;
    uint64_t gpfn; /* IN */
};

/* 8 bytes */
struct xen_remove_from_physmap_x86_32 {
    domid_t domid; /* IN */
    uint16_t _pad0;
    uint32_t gpfn; /* IN */
};

struct xen_remove_from_physmap {
    domid_t domid; /* IN */
    uint16_t _pad0;
#if defined(__i386__)
    xen_pfn_t gpfn; /* IN */
#else
    uint32_t _pad1;
    xen_pfn_t gpfn; /* IN */
#endif
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;

/* Pages freed / shared by memory sharing (no argument). */
#define XENMEM_get_sharing_freed_pages  18
#define XENMEM_get_sharing_shared_pages 19

#endif /* MINIXEN_PUBLIC_MEMORY_H */
