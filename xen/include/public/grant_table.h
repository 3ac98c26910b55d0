/* SPDX-License-Identifier: MIT */
/*
 * Grant tables: HYPERVISOR_grant_table_op(cmd, arg, count). This is the
 * subset a guest needs at boot: discover and map its table, version 1
 * entries.
 *
 * gnttab_setup_table carries a guest address, so Xen's layout depends on
 * the guest's width. Both layouts are always defined:
 *   struct gnttab_setup_table_64      x86_64, arm32, arm64: 24 bytes;
 *   struct gnttab_setup_table_x86_32  32-bit x86 guests: 16 bytes;
 * struct gnttab_setup_table is the compiling target's layout.
 *
 * Mapping and copying (map_grant_ref, unmap_grant_ref, copy) follow. Map and
 * unmap carry only fixed-width fields: one layout for every guest. gnttab_copy
 * holds a xen_pfn_t: 40 bytes (x86_64, arm32, arm64) or 24 (32-bit x86).
 */
#ifndef MINIXEN_PUBLIC_GRANT_TABLE_H
#define MINIXEN_PUBLIC_GRANT_TABLE_H

#include <stdint.h>

#include "xen.h"

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t; /* names one mapping made by map_grant_ref */

#define GNTTABOP_map_grant_ref     0
#define GNTTABOP_unmap_grant_ref   1
#define GNTTABOP_setup_table       2
#define GNTTABOP_dump_table        3
#define GNTTABOP_transfer          4
#define GNTTABOP_copy              5
#define GNTTABOP_query_size        6
#define GNTTABOP_unmap_and_replace 7
#define GNTTABOP_set_version       8
#define GNTTABOP_get_status_frames 9
#define GNTTABOP_get_version       10
#define GNTTABOP_swap_grant_ref    11
#define GNTTABOP_cache_flush       12

/* Status codes in the status fields (not errno values). */
#define GNTST_okay              0
#define GNTST_general_error     (-1)
#define GNTST_bad_domain        (-2)
#define GNTST_bad_gntref        (-3)
#define GNTST_bad_handle        (-4)
#define GNTST_bad_virt_addr     (-5)
#define GNTST_bad_dev_addr      (-6)
#define GNTST_no_device_space   (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page          (-9)
#define GNTST_bad_copy_arg      (-10)
#define GNTST_address_too_big   (-11)
#define GNTST_eagain            (-12)
#define GNTST_no_space          (-13)

/* Entries 0-7 are reserved for the toolstack. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0
#define GNTTAB_RESERVED_XENSTORE   1

/* ---- Version 1 entries ------------------------------------------------ */

/*
 * One entry: the granting domain fills domid and frame, then sets flags
 * last (after a write barrier).
 * Size: 8 bytes.
 */
struct grant_entry_v1 {
    uint16_t flags; /* GTF_* */
    domid_t domid;  /* domain being granted access */
    uint32_t frame; /* gfn being shared */
};
typedef struct grant_entry_v1 grant_entry_v1_t;

#define GTF_invalid         0
#define GTF_permit_access   1
#define GTF_accept_transfer 2
#define GTF_transitive      3
#define GTF_type_mask       3
#define GTF_readonly        (1U << 2) /* grantee may only read */
#define GTF_reading         (1U << 3) /* set by the hypervisor while mapped for read */
#define GTF_writing         (1U << 4) /* set by the hypervisor while mapped for write */
#define GTF_PWT             (1U << 5)
#define GTF_PCD             (1U << 6)
#define GTF_PAT             (1U << 7)
#define GTF_sub_page        (1U << 8)

/* ---- GNTTABOP_setup_table --------------------------------------------- */

/*
 * Grow <dom>'s table to nr_frames frames and write their frame numbers to
 * frame_list (PV guests; auto-translated guests map frames with
 * XENMEM_add_to_physmap(XENMAPSPACE_grant_table) instead).
 */
#define XEN_GNTTAB_SETUP_TABLE_HEAD                                                                \
    domid_t dom; /* IN */                                                                          \
    uint16_t _pad0;                                                                                \
    uint32_t nr_frames; /* IN */                                                                   \
    int16_t status;     /* OUT: GNTST_* */                                                         \
    uint16_t _pad1;

/* 24 bytes */
struct gnttab_setup_table_64 {
    XEN_GNTTAB_SETUP_TABLE_HEAD
    uint32_t _pad2;
    XEN_GUEST_HANDLE_64(xen_pfn_t) frame_list; /* OUT: 64-bit frames */
};

/* 16 bytes */
struct gnttab_setup_table_x86_32 {
    XEN_GNTTAB_SETUP_TABLE_HEAD
    XEN_GUEST_HANDLE_32(xen_pfn_t) frame_list; /* OUT: 32-bit frames */
};

#if defined(__i386__)
struct gnttab_setup_table {
    XEN_GNTTAB_SETUP_TABLE_HEAD
    XEN_GUEST_HANDLE_32(xen_pfn_t) frame_list;
};
#else
struct gnttab_setup_table {
    XEN_GNTTAB_SETUP_TABLE_HEAD
    uint32_t _pad2;
    XEN_GUEST_HANDLE_64(xen_pfn_t) frame_list;
};
#endif
typedef struct gnttab_setup_table gnttab_setup_table_t;

/* ---- GNTTABOP_query_size ---------------------------------------------- */

/* 16 bytes */
struct gnttab_query_size {
    domid_t dom; /* IN */
    uint16_t _pad0;
    uint32_t nr_frames;     /* OUT: current size in frames */
    uint32_t max_nr_frames; /* OUT: limit */
    int16_t status;         /* OUT: GNTST_* */
    uint16_t _pad1;
};
typedef struct gnttab_query_size gnttab_query_size_t;

/* ---- GNTTABOP_set_version / get_version ------------------------------- */

/* 4 bytes */
struct gnttab_set_version {
    uint32_t version; /* IN: 1 or 2; OUT: the version in use */
};
typedef struct gnttab_set_version gnttab_set_version_t;

/* 8 bytes */
struct gnttab_get_version {
    domid_t dom; /* IN */
    uint16_t pad;
    uint32_t version; /* OUT */
};
typedef struct gnttab_get_version gnttab_get_version_t;

/* ---- GNTTABOP_map_grant_ref / unmap_grant_ref ------------------------- */

/* flags of map_grant_ref */
#define GNTMAP_device_map      (1U << 0) /* for DMA (not for auto-translated guests) */
#define GNTMAP_host_map        (1U << 1) /* map at host_addr */
#define GNTMAP_readonly        (1U << 2) /* read-only mapping */
#define GNTMAP_application_map (1U << 3) /* PV: a user mapping */
#define GNTMAP_contains_pte    (1U << 4) /* PV: host_addr is a PTE's address */

/*
 * Map grant ref of dom. Auto-translated guests give in host_addr the guest
 * physical address of the page where the granted frame appears.
 * 32 bytes
 */
struct gnttab_map_grant_ref {
    uint64_t host_addr;    /* IN */
    uint32_t flags;        /* IN: GNTMAP_* */
    grant_ref_t ref;       /* IN */
    domid_t dom;           /* IN: the granting domain */
    int16_t status;        /* OUT: GNTST_* */
    grant_handle_t handle; /* OUT: for unmap_grant_ref */
    uint64_t dev_bus_addr; /* OUT: the frame's bus address */
};
typedef struct gnttab_map_grant_ref gnttab_map_grant_ref_t;

/*
 * Undo the mapping named by handle at host_addr (0: leave the host mapping).
 * 24 bytes
 */
struct gnttab_unmap_grant_ref {
    uint64_t host_addr;    /* IN */
    uint64_t dev_bus_addr; /* IN */
    grant_handle_t handle; /* IN */
    int16_t status;        /* OUT: GNTST_* */
    uint16_t _pad0;
};
typedef struct gnttab_unmap_grant_ref gnttab_unmap_grant_ref_t;

/* ---- GNTTABOP_copy ---------------------------------------------------- */

/* flags of gnttab_copy: the side is a grant ref (else a frame of the caller) */
#define GNTCOPY_source_gref (1U << 0)
#define GNTCOPY_dest_gref   (1U << 1)

/* One side of a copy: a grant ref of domid, or (DOMID_SELF) one of its own frames. */
#define XEN_GNTTAB_COPY_PTR(pfn_t, tail)                                                           \
    struct {                                                                                       \
        union {                                                                                    \
            grant_ref_t ref;                                                                       \
            pfn_t gmfn;                                                                            \
        } u;                                                                                       \
        domid_t domid;                                                                             \
        uint16_t offset; /* within the page; offset + len <= page size */                          \
        tail                                                                                       \
    }

#define XEN_GNTTAB_COPY_TAIL                                                                       \
    uint16_t len;   /* IN: bytes */                                                                \
    uint16_t flags; /* IN: GNTCOPY_* */                                                            \
    int16_t status; /* OUT: GNTST_* */

/* 40 bytes */
struct gnttab_copy_64 {
    XEN_GNTTAB_COPY_PTR(uint64_t, uint32_t _pad0;) source, dest;
    XEN_GNTTAB_COPY_TAIL
    uint16_t _pad1;
};

/* 24 bytes */
struct gnttab_copy_x86_32 {
    XEN_GNTTAB_COPY_PTR(uint32_t, ) source, dest;
    XEN_GNTTAB_COPY_TAIL
    uint16_t _pad1;
};

#if defined(__i386__)
struct gnttab_copy {
    XEN_GNTTAB_COPY_PTR(xen_pfn_t, ) source, dest;
    XEN_GNTTAB_COPY_TAIL
    uint16_t _pad1;
};
#else
struct gnttab_copy {
    XEN_GNTTAB_COPY_PTR(xen_pfn_t, uint32_t _pad0;) source, dest;
    XEN_GNTTAB_COPY_TAIL
    uint16_t _pad1;
};
#endif
typedef struct gnttab_copy gnttab_copy_t;

#endif /* MINIXEN_PUBLIC_GRANT_TABLE_H */
