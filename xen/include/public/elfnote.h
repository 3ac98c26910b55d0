/* SPDX-License-Identifier: MIT */
/*
 * ELF notes of type XEN_ELFNOTE_* (name "Xen") in a guest kernel image,
 * read by the domain builder. For PVH only PHYS32_ENTRY is required.
 */
#ifndef MINIXEN_PUBLIC_ELFNOTE_H
#define MINIXEN_PUBLIC_ELFNOTE_H

#define XEN_ELFNOTE_INFO               0
#define XEN_ELFNOTE_ENTRY              1 /* PV entry point (virtual) */
#define XEN_ELFNOTE_HYPERCALL_PAGE     2 /* PV: where to put the hypercall page */
#define XEN_ELFNOTE_VIRT_BASE          3
#define XEN_ELFNOTE_PADDR_OFFSET       4
#define XEN_ELFNOTE_XEN_VERSION        5
#define XEN_ELFNOTE_GUEST_OS           6
#define XEN_ELFNOTE_GUEST_VERSION      7
#define XEN_ELFNOTE_LOADER             8
#define XEN_ELFNOTE_PAE_MODE           9
#define XEN_ELFNOTE_FEATURES           10
#define XEN_ELFNOTE_BSD_SYMTAB         11
#define XEN_ELFNOTE_HV_START_LOW       12
#define XEN_ELFNOTE_L1_MFN_VALID       13
#define XEN_ELFNOTE_SUSPEND_CANCEL     14
#define XEN_ELFNOTE_INIT_P2M           15
#define XEN_ELFNOTE_MOD_START_PFN      16
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17
/*
 * 32-bit physical entry point of a PVH kernel: entered in 32-bit protected
 * mode, paging off, EBX = physical address of struct hvm_start_info.
 */
#define XEN_ELFNOTE_PHYS32_ENTRY       18

/* Name field of these notes. */
#define XEN_ELFNOTE_NAME "Xen"

#endif /* MINIXEN_PUBLIC_ELFNOTE_H */
