/* SPDX-License-Identifier: MIT */
/*
 * PVH boot: the structure whose physical address is in EBX at the 32-bit
 * entry point named by XEN_ELFNOTE_PHYS32_ENTRY (elfnote.h). All of it is
 * placed below 4 GiB; an address of 0 means "not present". Layouts are
 * the same for every guest (only uint32_t/uint64_t at natural offsets).
 */
#ifndef MINIXEN_PUBLIC_HVM_START_INFO_H
#define MINIXEN_PUBLIC_HVM_START_INFO_H

#include <stdint.h>

/* "xEn3" with bit 7 set on 'E'. */
#define XEN_HVM_START_MAGIC_VALUE 0x336ec578U

/* Version 1 added memmap_paddr/memmap_entries. */
#define XEN_HVM_START_INFO_VERSION 1

/* 56 bytes */
struct hvm_start_info {
    uint32_t magic;         /* XEN_HVM_START_MAGIC_VALUE */
    uint32_t version;       /* >= 1 for the memory map fields */
    uint32_t flags;         /* SIF_* (xen.h) */
    uint32_t nr_modules;    /* entries at modlist_paddr */
    uint64_t modlist_paddr; /* struct hvm_modlist_entry[nr_modules] */
    uint64_t cmdline_paddr; /* NUL-terminated command line */
    uint64_t rsdp_paddr;    /* ACPI RSDP, if any */
    uint64_t memmap_paddr;  /* struct hvm_memmap_table_entry[memmap_entries] */
    uint32_t memmap_entries;
    uint32_t reserved; /* must be 0 */
};

/* 32 bytes */
struct hvm_modlist_entry {
    uint64_t paddr;         /* module start */
    uint64_t size;          /* module size in bytes */
    uint64_t cmdline_paddr; /* module command line, or 0 */
    uint64_t reserved;
};

#define XEN_HVM_MEMMAP_TYPE_RAM      1
#define XEN_HVM_MEMMAP_TYPE_RESERVED 2
#define XEN_HVM_MEMMAP_TYPE_ACPI     3
#define XEN_HVM_MEMMAP_TYPE_NVS      4
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE 5
#define XEN_HVM_MEMMAP_TYPE_DISABLED 6
#define XEN_HVM_MEMMAP_TYPE_PMEM     7

/* 24 bytes */
struct hvm_memmap_table_entry {
    uint64_t addr; /* start of the range */
    uint64_t size; /* bytes */
    uint32_t type; /* XEN_HVM_MEMMAP_TYPE_* (E820 numbering) */
    uint32_t reserved;
};

#endif /* MINIXEN_PUBLIC_HVM_START_INFO_H */
