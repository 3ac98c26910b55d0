/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Copy what a Multiboot or Multiboot2 loader handed over into struct boot_info: command
 * line, loader name, modules, usable RAM, and (Multiboot2) the RSDP. Everything the loader
 * wrote is below 4 GiB and read through the identity map. The loader is trusted not to
 * lie, but every walk is still bounded, so a malformed structure stops the boot with a
 * message instead of a wild read.
 */
#include <asm/bootinfo.h>
#include <asm/multiboot.h>
#include <xen/errno.h>
#include <xen/lib.h>

#define MB2_MAX_INFO (64u << 10) /* a sane bound on the tag list */

static void copy_str(char *dst, paddr_t src)
{
    const char *s = phys_to_virt(src);
    size_t i = 0;

    if (src != 0)
        for (; i < BOOT_STR_LEN - 1 && s[i] != '\0'; i++)
            dst[i] = s[i];
    dst[i] = '\0';
}

/* Keep the usable RAM list sorted; ranges beyond BOOT_MAX_RANGES are dropped (said so). */
static void add_ram(struct boot_info *bi, uint64_t base, uint64_t len)
{
    unsigned int i;

    if (len == 0 || base + len < base)
        return;
    if (bi->nr_ram == BOOT_MAX_RANGES) {
        printk("boot: more than %u RAM ranges; ignoring 0x%llx+0x%llx\n", BOOT_MAX_RANGES,
               (unsigned long long)base, (unsigned long long)len);
        return;
    }
    for (i = bi->nr_ram; i > 0 && bi->ram[i - 1].start > base; i--)
        bi->ram[i] = bi->ram[i - 1];
    bi->ram[i] = (struct mem_range){base, base + len};
    bi->nr_ram++;
}

static void add_module(struct boot_info *bi, uint32_t start, uint32_t end, paddr_t cmdline)
{
    struct loader_module *m;

    if (bi->nr_modules == BOOT_MAX_MODULES || end < start)
        return;
    m = &bi->module[bi->nr_modules++];
    m->start = start;
    m->size = end - start;
    copy_str(m->cmdline, cmdline);
}

static int parse_mb1(struct boot_info *bi, const struct mb1_info *mbi)
{
    bi->protocol = 1;
    if (mbi->flags & MB1_INFO_LOADER)
        copy_str(bi->loader, mbi->boot_loader_name);
    if (mbi->flags & MB1_INFO_CMDLINE)
        copy_str(bi->cmdline, mbi->cmdline);
    if (mbi->flags & MB1_INFO_MODS) {
        const struct mb1_module *mod = phys_to_virt(mbi->mods_addr);

        for (uint32_t i = 0; i < mbi->mods_count && i < BOOT_MAX_MODULES; i++)
            add_module(bi, mod[i].mod_start, mod[i].mod_end, mod[i].string);
    }
    if (mbi->flags & MB1_INFO_MMAP) {
        uintptr_t p = mbi->mmap_addr, end = p + mbi->mmap_length;

        /* Each entry's size field does not count itself; at least the fields we read. */
        while (p + sizeof(struct mb1_mmap_entry) <= end) {
            const struct mb1_mmap_entry *e = phys_to_virt(p);

            if (e->size < sizeof(*e) - sizeof(e->size))
                return -EINVAL;
            if (e->type == MMAP_AVAILABLE)
                add_ram(bi, e->base_addr, e->length);
            p += e->size + sizeof(e->size);
        }
    } else if (mbi->flags & MB1_INFO_MEM) {
        add_ram(bi, 0, (uint64_t)mbi->mem_lower << 10);
        add_ram(bi, 1u << 20, (uint64_t)mbi->mem_upper << 10);
    }
    return 0;
}

static int parse_mb2(struct boot_info *bi, uintptr_t info)
{
    uint32_t total = *(const uint32_t *)phys_to_virt(info);
    uintptr_t p = info + 8, end = info + total;

    bi->protocol = 2;
    if (total < 16 || total > MB2_MAX_INFO)
        return -EINVAL;
    while (p + sizeof(struct mb2_tag) <= end) {
        const struct mb2_tag *t = phys_to_virt(p);

        if (t->size < sizeof(*t) || t->size > end - p)
            return -EINVAL;
        switch (t->type) {
        case MB2_TAG_END:
            return 0;
        case MB2_TAG_CMDLINE:
            copy_str(bi->cmdline, p + 8);
            break;
        case MB2_TAG_LOADER:
            copy_str(bi->loader, p + 8);
            break;
        case MB2_TAG_MODULE: {
            const struct mb2_tag_module *m = (const void *)t;

            if (t->size > sizeof(*m))
                add_module(bi, m->mod_start, m->mod_end, p + sizeof(*m));
            break;
        }
        case MB2_TAG_MMAP: {
            const struct mb2_tag_mmap *mm = (const void *)t;

            if (mm->entry_size < sizeof(struct mb2_mmap_entry))
                return -EINVAL;
            for (uintptr_t e = p + sizeof(*mm); e + mm->entry_size <= p + t->size;
                 e += mm->entry_size) {
                const struct mb2_mmap_entry *me = phys_to_virt(e);

                if (me->type == MMAP_AVAILABLE)
                    add_ram(bi, me->base_addr, me->length);
            }
            break;
        }
        case MB2_TAG_ACPI_OLD:
        case MB2_TAG_ACPI_NEW:
            /* A copy of the RSDP; the first 20 bytes (ACPI 1.0) are all we read. */
            if (!bi->have_rsdp && t->size >= 8 + 20) {
                size_t n = MIN((size_t)t->size - 8, sizeof(bi->rsdp));

                memcpy(bi->rsdp, phys_to_virt(p + 8), n);
                bi->have_rsdp = true;
            }
            break;
        default:
            break;
        }
        p += (t->size + 7) & ~7u;
    }
    return -EINVAL; /* no END tag inside total_size */
}

int bootinfo_parse(struct boot_info *bi, uint32_t magic, paddr_t info)
{
    memset(bi, 0, sizeof(*bi));
    if (magic == MB1_LOADER_MAGIC)
        return parse_mb1(bi, phys_to_virt(info));
    if (magic == MB2_LOADER_MAGIC)
        return parse_mb2(bi, info);
    return -EINVAL;
}

uint64_t bootinfo_ram_total(const struct boot_info *bi)
{
    uint64_t total = 0;

    for (unsigned int i = 0; i < bi->nr_ram; i++)
        total += bi->ram[i].end - bi->ram[i].start;
    return total;
}

void bootinfo_print(const struct boot_info *bi)
{
    printk("boot: %s from %s, cmdline '%s'\n", bi->protocol == 2 ? "Multiboot2" : "Multiboot",
           bi->loader[0] ? bi->loader : "an unnamed loader", bi->cmdline);
    printk("boot: memory total %llu MiB in %u range(s)\n",
           (unsigned long long)(bootinfo_ram_total(bi) >> 20), bi->nr_ram);
    for (unsigned int i = 0; i < bi->nr_ram; i++)
        printk("boot:   ram 0x%llx-0x%llx\n", (unsigned long long)bi->ram[i].start,
               (unsigned long long)bi->ram[i].end);
    for (unsigned int i = 0; i < bi->nr_modules; i++)
        printk("boot: module %u at 0x%llx, %zu bytes, '%s'\n", i,
               (unsigned long long)bi->module[i].start, bi->module[i].size, bi->module[i].cmdline);
}
