/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the boot loader told us, copied out of its Multiboot or Multiboot2 structures
 * (bootinfo.c) so that the low memory they live in can be reused and nothing later
 * depends on which protocol booted us.
 */
#ifndef MINIXEN_X86_ASM_BOOTINFO_H
#define MINIXEN_X86_ASM_BOOTINFO_H

#include <asm/x86.h>

#define BOOT_MAX_MODULES 8
#define BOOT_MAX_RANGES  32
#define BOOT_STR_LEN     96

struct loader_module {
    paddr_t start;
    size_t size;
    char cmdline[BOOT_STR_LEN];
};

struct mem_range {
    paddr_t start, end; /* [start, end) */
};

struct boot_info {
    unsigned int protocol; /* 1: Multiboot, 2: Multiboot2 */
    char loader[BOOT_STR_LEN];
    char cmdline[BOOT_STR_LEN];
    unsigned int nr_modules;
    struct loader_module module[BOOT_MAX_MODULES];
    unsigned int nr_ram; /* usable RAM, sorted, from the loader's memory map */
    struct mem_range ram[BOOT_MAX_RANGES];
    uint8_t rsdp[36]; /* a copy of the ACPI RSDP if the loader gave one (Multiboot2) */
    bool have_rsdp;
};

/* Returns 0, or -EINVAL if magic is neither protocol's or the structure is malformed. */
int bootinfo_parse(struct boot_info *bi, uint32_t magic, paddr_t info);
void bootinfo_print(const struct boot_info *bi);
uint64_t bootinfo_ram_total(const struct boot_info *bi);

#endif
