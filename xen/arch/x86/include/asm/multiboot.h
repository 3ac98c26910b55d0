/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The parts of the Multiboot (0.6.96) and Multiboot2 (2.0) specifications minixen uses:
 * header magics and flags for head.S, and the information the loader hands over.
 */
#ifndef MINIXEN_X86_ASM_MULTIBOOT_H
#define MINIXEN_X86_ASM_MULTIBOOT_H

#define MB1_HEADER_MAGIC   0x1badb002
#define MB1_LOADER_MAGIC   0x2badb002
#define MB1_HDR_PAGE_ALIGN (1u << 0)  /* modules on page boundaries */
#define MB1_HDR_MEMINFO    (1u << 1)  /* we want the memory map */
#define MB1_HDR_ADDRESSES  (1u << 16) /* the load addresses in the header are valid */

#define MB2_HEADER_MAGIC   0xe85250d6
#define MB2_LOADER_MAGIC   0x36d76289
#define MB2_ARCH_I386      0
#define MB2_HTAG_END       0
#define MB2_HTAG_ADDRESS   2
#define MB2_HTAG_ENTRY     3
#define MB2_HTAG_MOD_ALIGN 6

#ifndef __ASSEMBLY__
#include <xen/types.h>

/* Multiboot 1 information (the fields up to the boot loader name). */
#define MB1_INFO_MEM     (1u << 0)
#define MB1_INFO_CMDLINE (1u << 2)
#define MB1_INFO_MODS    (1u << 3)
#define MB1_INFO_MMAP    (1u << 6)
#define MB1_INFO_LOADER  (1u << 9)

struct mb1_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
};

struct mb1_module {
    uint32_t mod_start, mod_end;
    uint32_t string;
    uint32_t reserved;
};

/* Each entry is preceded by its size, which does not count the size field itself. */
struct mb1_mmap_entry {
    uint32_t size;
    uint64_t base_addr, length;
    uint32_t type;
} __attribute__((packed));

/* Multiboot 2 information: a header, then 8-byte aligned tags until an END tag. */
#define MB2_TAG_END      0
#define MB2_TAG_CMDLINE  1
#define MB2_TAG_LOADER   2
#define MB2_TAG_MODULE   3
#define MB2_TAG_MMAP     6
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15

struct mb2_tag {
    uint32_t type, size;
};

struct mb2_tag_module {
    uint32_t type, size;
    uint32_t mod_start, mod_end;
    char cmdline[];
};

struct mb2_tag_mmap {
    uint32_t type, size;
    uint32_t entry_size, entry_version;
};

struct mb2_mmap_entry {
    uint64_t base_addr, length;
    uint32_t type, reserved;
};

#define MMAP_AVAILABLE 1
#endif

#endif
