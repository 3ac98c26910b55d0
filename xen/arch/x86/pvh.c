/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PVH guests as Xen starts them: an ELF (32- or 64-bit) whose XEN_ELFNOTE_PHYS32_ENTRY
 * note names a 32-bit physical entry point; its PT_LOAD segments are copied to their
 * physical addresses in the domain's RAM, and vCPU 0 starts at that entry in 32-bit
 * protected mode, paging off, with EBX = the guest-physical address of struct
 * hvm_start_info (command line, memory map, and the ramdisk as its one module).
 *
 * Class and machine are independent: the entry is 32-bit code whatever the container, so
 * an ELF32 holding x86-64 code (what `objcopy -O elf32-x86-64` makes of a 64-bit kernel,
 * and what Xen boots) loads like an ELF64, and an ELF64 holding i386 code too.
 *
 * The ELF comes from a boot module: it is trusted as much as the DT that named it, but
 * every offset and size is still checked against the file and the domain's RAM.
 *
 * Guest-physical layout: RAM at [0, size); its last page holds the start info, the
 * memory map, the module list and the command line, and the map reports that page as
 * reserved; the page below it holds the domain's ACPI tables (guest_acpi.c: what Linux
 * finds its CPUs and local APICs in), reported as ACPI; below that, for a domain whose
 * configuration asks for one, the PV console ring (arch_pv_console_gfn), reported as
 * reserved, as Xen's toolstack keeps a PVH domU's magic pages at the top of its low
 * memory. A ramdisk goes right below the lowest of those pages,
 * page-aligned, above every segment (as Xen's PVH builder puts the initrd after the kernel); it
 * stays RAM in the map: the kernel finds it through the module list and reserves it itself (Linux's
 * PVH entry passes the first module on as its initrd).
 */
#include <asm/guest_acpi.h>
#include <asm/pvh.h>
#include <xen/arch_hooks.h>
#include <xen/boot_config.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <public/elfnote.h>
#include <public/hvm/start_info.h>
#include <public/xen.h>

#define EI_CLASS   4
#define ELFCLASS32 1
#define ELFCLASS64 2
#define EM_386     3
#define EM_X86_64  62
#define PT_LOAD    1
#define PT_NOTE    4
#define MAX_PHDRS  32

struct elf_seg {
    uint64_t type, offset, paddr, filesz, memsz;
};

static uint64_t rd(const uint8_t *p, unsigned int n)
{
    uint64_t v = 0;

    for (unsigned int i = n; i > 0; i--)
        v = v << 8 | p[i - 1];
    return v;
}

/* Program header i, in either class. False if it lies outside the file. */
static bool elf_phdr(const uint8_t *elf, size_t size, unsigned int i, struct elf_seg *s)
{
    bool is64 = elf[EI_CLASS] == ELFCLASS64;
    uint64_t phoff = is64 ? rd(elf + 32, 8) : rd(elf + 28, 4);
    uint64_t phentsize = rd(elf + (is64 ? 54 : 42), 2);
    const uint8_t *ph;

    if (phentsize < (is64 ? 56u : 32u) || phoff > size || i * phentsize > size - phoff ||
        phentsize > size - phoff - i * phentsize)
        return false;
    ph = elf + phoff + i * phentsize;
    if (is64)
        *s = (struct elf_seg){rd(ph, 4), rd(ph + 8, 8), rd(ph + 24, 8), rd(ph + 32, 8),
                              rd(ph + 40, 8)};
    else
        *s = (struct elf_seg){rd(ph, 4), rd(ph + 4, 4), rd(ph + 12, 4), rd(ph + 16, 4),
                              rd(ph + 20, 4)};
    return true;
}

/* Walk the notes of one PT_NOTE segment for "Xen" PHYS32_ENTRY. */
static bool find_entry(const uint8_t *notes, uint64_t len, uint64_t *entry)
{
    uint64_t off = 0;

    while (off + 12 <= len) {
        uint32_t namesz = (uint32_t)rd(notes + off, 4), descsz = (uint32_t)rd(notes + off + 4, 4);
        uint32_t type = (uint32_t)rd(notes + off + 8, 4);
        uint64_t name = off + 12, desc = name + ((namesz + 3ull) & ~3ull);
        uint64_t next = desc + ((descsz + 3ull) & ~3ull);

        if (next > len || next <= off)
            return false;
        if (type == XEN_ELFNOTE_PHYS32_ENTRY && namesz == 4 &&
            memcmp(notes + name, "Xen", 4) == 0 && (descsz == 4 || descsz == 8)) {
            *entry = rd(notes + desc, 4);
            return true;
        }
        off = next;
    }
    return false;
}

int pvh_load(struct domain *d, const void *image, size_t size, const void *ramdisk,
             size_t ramdisk_size, const char *cmdline, const char **why)
{
    struct x86_domain *xd = x86_dom(d);
    const uint8_t *elf = image;
    uint64_t top = xd->ram_size - PAGE_SIZE, acpi = top - PAGE_SIZE;
    /* The lowest page kept from the guest: the console ring's, or else the ACPI tables'. */
    uint64_t low = arch_pv_console_gfn(d) != 0 ? acpi - PAGE_SIZE : acpi;
    uint64_t entry = 0, seg_end = 0, rd_gpa = 0;
    unsigned int nr_map = 0;
    unsigned int phnum, loaded = 0;
    bool have_entry = false;
    struct elf_seg s;

    if (size < 64 || memcmp(elf, "\177ELF", 4) != 0) {
        *why = "not an ELF file";
        return -EINVAL;
    }
    if ((elf[EI_CLASS] != ELFCLASS64 && elf[EI_CLASS] != ELFCLASS32) ||
        (rd(elf + 18, 2) != EM_X86_64 && rd(elf + 18, 2) != EM_386)) {
        *why = "not an x86 ELF";
        return -EINVAL;
    }
    phnum = (unsigned int)rd(elf + (elf[EI_CLASS] == ELFCLASS64 ? 56 : 44), 2);
    if (phnum > MAX_PHDRS) {
        *why = "too many program headers";
        return -EINVAL;
    }
    for (unsigned int i = 0; i < phnum; i++) {
        if (!elf_phdr(elf, size, i, &s)) {
            *why = "program header outside the file";
            return -EINVAL;
        }
        if (s.offset > size || s.filesz > size - s.offset) {
            *why = "segment outside the file";
            return -EINVAL;
        }
        if (s.type == PT_NOTE && !have_entry)
            have_entry = find_entry(elf + s.offset, s.filesz, &entry);
        if (s.type != PT_LOAD || s.memsz == 0)
            continue;
        if (s.filesz > s.memsz || s.paddr > low || s.memsz > low - s.paddr) {
            *why = "segment outside the domain's memory";
            return -EINVAL;
        }
        memcpy(xd->ram + s.paddr, elf + s.offset, s.filesz);
        memset(xd->ram + s.paddr + s.filesz, 0, s.memsz - s.filesz);
        seg_end = MAX(seg_end, s.paddr + s.memsz);
        loaded++;
    }
    if (!have_entry) {
        *why = "no XEN_ELFNOTE_PHYS32_ENTRY note (not a PVH kernel)";
        return -EINVAL;
    }
    if (loaded == 0 || entry >= low) {
        *why = "no loadable segment, or the entry point is outside memory";
        return -EINVAL;
    }
    if (ramdisk_size != 0) {
        if (ramdisk_size > low - seg_end) {
            *why = "the ramdisk does not fit between the kernel and the reserved pages";
            return -EINVAL;
        }
        rd_gpa = (low - ramdisk_size) & ~(uint64_t)(PAGE_SIZE - 1);
        if (rd_gpa < seg_end) {
            *why = "the ramdisk does not fit between the kernel and the reserved pages";
            return -EINVAL;
        }
        memcpy(xd->ram + rd_gpa, ramdisk, ramdisk_size);
    }

    /* Start info (at 0), memory map (64: up to 4 entries of 24 bytes), module list (160:
     * one of 32) and command line (256) in the last page. */
    {
        uint64_t base = top;
        struct hvm_start_info *si = (void *)(xd->ram + base);
        struct hvm_memmap_table_entry *mm = (void *)(xd->ram + base + 64);
        struct hvm_modlist_entry *mod = (void *)(xd->ram + base + 160);
        char *cl = (char *)(xd->ram + base + 256);
        size_t n = MIN(strlen(cmdline), (size_t)PAGE_SIZE - 256 - 1);

        memset(si, 0, PAGE_SIZE);
        mm[nr_map++] = (struct hvm_memmap_table_entry){0, low, XEN_HVM_MEMMAP_TYPE_RAM, 0};
        if (low != acpi)
            mm[nr_map++] =
                (struct hvm_memmap_table_entry){low, PAGE_SIZE, XEN_HVM_MEMMAP_TYPE_RESERVED, 0};
        mm[nr_map++] =
            (struct hvm_memmap_table_entry){acpi, PAGE_SIZE, XEN_HVM_MEMMAP_TYPE_ACPI, 0};
        mm[nr_map++] =
            (struct hvm_memmap_table_entry){top, PAGE_SIZE, XEN_HVM_MEMMAP_TYPE_RESERVED, 0};
        memcpy(cl, cmdline, n);
        cl[n] = '\0';
        si->magic = XEN_HVM_START_MAGIC_VALUE;
        si->version = XEN_HVM_START_INFO_VERSION;
        si->cmdline_paddr = base + 256;
        si->memmap_paddr = base + 64;
        si->memmap_entries = nr_map;
        if (guest_acpi_build(xd->ram + acpi, acpi, d->max_vcpus) == 0)
            si->rsdp_paddr = acpi;
        if (ramdisk_size != 0) {
            *mod = (struct hvm_modlist_entry){rd_gpa, ramdisk_size, 0, 0};
            si->modlist_paddr = base + 160;
            si->nr_modules = 1;
        }
        /* As Xen's PVH dom0: a guest without SIF_INITDOMAIN takes the domU path and
         * looks for a xenstore and PV console ring that dom0 does not have. */
        if (d->is_privileged)
            si->flags = SIF_PRIVILEGED | SIF_INITDOMAIN;
        xd->start_info_gpa = base;
    }
    xd->entry = entry;
    return 0;
}

/*
 * The PV console ring (xen/common/pv_console.c) of a domain whose configuration asks for
 * one: the page below the ACPI tables, the third-to-last of its RAM, reserved in the
 * memory map (pvh_load), as Xen's toolstack puts a PVH domU's magic pages at the top of
 * its low memory.
 */
gfn_t arch_pv_console_gfn(const struct domain *d)
{
    const struct x86_domain *xd = d->arch;

    if (xd == NULL || xd->config == NULL || !xd->config->pv_console || xd->ram_size < 4 * PAGE_SIZE)
        return 0;
    return (xd->ram_size >> PAGE_SHIFT) - 3;
}
