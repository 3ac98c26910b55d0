/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_xen_version(cmd, arg). String results are fixed-size,
 * NUL-terminated char arrays written to the guest buffer.
 */
#ifndef MINIXEN_PUBLIC_VERSION_H
#define MINIXEN_PUBLIC_VERSION_H

#include <stdint.h>

#include "xen.h"

/* arg == NULL; returns (major << 16) | minor. */
#define XENVER_version 0

#define XENVER_extraversion 1
typedef char xen_extraversion_t[16];
#define XEN_EXTRAVERSION_LEN (sizeof(xen_extraversion_t))

#define XENVER_compile_info 2
/* 144 bytes */
struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;

#define XENVER_capabilities 3
typedef char xen_capabilities_info_t[1024];
#define XEN_CAPABILITIES_INFO_LEN (sizeof(xen_capabilities_info_t))

#define XENVER_changeset 4
typedef char xen_changeset_info_t[64];
#define XEN_CHANGESET_INFO_LEN (sizeof(xen_changeset_info_t))

#define XENVER_platform_parameters 5

/* Feature bitmap, 32 bits per submap: XENFEAT_* in features.h. */
#define XENVER_get_features 6
/* 8 bytes */
struct xen_feature_info {
    uint32_t submap_idx; /* IN: which 32-bit submap */
    uint32_t submap;     /* OUT: bit n = XENFEAT (submap_idx * 32 + n) */
};
typedef struct xen_feature_info xen_feature_info_t;

/* arg == NULL; returns the page size in bytes. */
#define XENVER_pagesize 7

#define XENVER_guest_handle 8

#define XENVER_commandline 9
typedef char xen_commandline_t[1024];

#define XENVER_build_id 10

#endif /* MINIXEN_PUBLIC_VERSION_H */
