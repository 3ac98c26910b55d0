/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest kernel images (see asm/kernel_image.h).
 *
 * arm64 Image (Linux Documentation/arch/arm64/booting.rst): "ARM\x64" at offset 56,
 * text_offset at 8, image_size at 16, flags at 24 (bit 0: big-endian); it runs at a 2 MiB
 * aligned RAM base + text_offset and spans image_size bytes.
 *
 * ARM zImage (Linux Documentation/arch/arm/booting.rst): magic 0x016f2818 at offset 0x24,
 * its start and end link addresses at 0x28 and 0x2c, and 0x04030201 at 0x30 when it is
 * little-endian. One linked at 0 is position independent: like Xen, it goes as high as it
 * can below RAM base + 128 MiB, 2 MiB aligned, where its decompressor (which writes the
 * kernel at RAM base + 32 KiB) will not run over it.
 *
 * DT and ramdisk: as Xen places them (its place_modules), one region of the DT's 2 MiB
 * block and the ramdisk rounded up to 2 MiB, just above RAM base + 128 MiB when the RAM
 * goes that far and the kernel ends below it (what Linux's ARM booting document
 * recommends: out of the decompressor's way, inside the kernel's low memory), else at the
 * top of RAM above the kernel, else just below the kernel.
 */
#include "include/asm/kernel_image.h"
#include <xen/errno.h>

#define SZ_2M   (2ull << 20)
#define SZ_128M (128ull << 20)

#define IMAGE_MAGIC       0x644d5241u /* "ARM\x64" */
#define IMAGE_MAGIC_OFF   56
#define IMAGE_HEADER_SIZE 64
#define IMAGE_FLAG_BE     (1ull << 0)
#define IMAGE_OLD_OFFSET  0x80000 /* kernels before 3.17: text_offset, size unknown */

#define ZIMAGE_MAGIC       0x016f2818u
#define ZIMAGE_MAGIC_OFF   0x24
#define ZIMAGE_START_OFF   0x28
#define ZIMAGE_END_OFF     0x2c
#define ZIMAGE_ENDIAN_OFF  0x30
#define ZIMAGE_LE          0x04030201u
#define ZIMAGE_HEADER_SIZE 0x34

static uint64_t rd_le(const uint8_t *p, unsigned int bytes)
{
    uint64_t v = 0;

    for (unsigned int i = bytes; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static uint64_t round_2m(uint64_t v)
{
    return (v + SZ_2M - 1) & ~(SZ_2M - 1);
}

static int bad(const char **why, const char *what)
{
    *why = what;
    return -EINVAL;
}

int kernel_image_probe(const void *image, uint64_t size, struct kernel_image *k, const char **why)
{
    const uint8_t *h = image;

    *k = (struct kernel_image){.file_size = size};
    if (size >= IMAGE_HEADER_SIZE && rd_le(h + IMAGE_MAGIC_OFF, 4) == IMAGE_MAGIC) {
        k->text_offset = rd_le(h + 8, 8);
        k->mem_size = rd_le(h + 16, 8);
        if (rd_le(h + 24, 8) & IMAGE_FLAG_BE)
            return bad(why, "a big-endian arm64 Image");
        if (k->mem_size == 0) {
            k->text_offset = IMAGE_OLD_OFFSET;
            k->mem_size = size;
        }
        if (k->mem_size < size)
            k->mem_size = size;
        return 0;
    }
    if (size >= ZIMAGE_HEADER_SIZE && rd_le(h + ZIMAGE_MAGIC_OFF, 4) == ZIMAGE_MAGIC) {
        uint32_t start = (uint32_t)rd_le(h + ZIMAGE_START_OFF, 4);
        uint32_t end = (uint32_t)rd_le(h + ZIMAGE_END_OFF, 4);

        if (rd_le(h + ZIMAGE_ENDIAN_OFF, 4) != ZIMAGE_LE)
            return bad(why, "a big-endian ARM zImage");
        if (end < start || end - start > size)
            return bad(why, "an ARM zImage longer than its file");
        k->aarch32 = true;
        k->link_addr = start;
        k->mem_size = size; /* a DTB appended to it comes along */
        return 0;
    }
    return bad(why, "neither an arm64 Image nor an ARM zImage");
}

int kernel_image_place(const struct kernel_image *k, uint64_t ram_base, uint64_t ram_size,
                       uint64_t initrd_size, struct guest_image *img, const char **why)
{
    uint64_t ram_end = ram_base + ram_size, mods = KERNEL_DT_REGION + round_2m(initrd_size);
    uint64_t at_128m = ram_base + SZ_128M, mod_base;

    if (k->aarch32 && k->link_addr != 0) {
        img->kernel_gpa = k->link_addr;
    } else if (k->aarch32) {
        uint64_t top = ram_size < SZ_128M ? ram_end : at_128m;

        if (k->mem_size > top - ram_base)
            return bad(why, "the zImage does not fit its RAM");
        img->kernel_gpa = (top - k->mem_size) & ~(SZ_2M - 1);
    } else {
        img->kernel_gpa = ram_base + k->text_offset;
    }
    img->kernel_end = img->kernel_gpa + k->mem_size;
    if (img->kernel_gpa < ram_base || img->kernel_end > ram_end ||
        img->kernel_end < img->kernel_gpa)
        return bad(why, "the kernel does not fit its RAM");
    if (mods > ram_size || round_2m(img->kernel_end) - img->kernel_gpa > ram_size - mods)
        return bad(why, "kernel, DT and ramdisk do not fit its RAM");

    if (ram_end >= at_128m + mods && img->kernel_end <= at_128m)
        mod_base = at_128m;
    else if (ram_end - mods >= round_2m(img->kernel_end))
        mod_base = ram_end - mods;
    else if (img->kernel_gpa - ram_base >= mods)
        mod_base = (img->kernel_gpa - mods) & ~(SZ_2M - 1);
    else
        return bad(why, "no room for the DT and ramdisk beside the kernel");
    img->dt_gpa = mod_base;
    img->initrd_gpa = initrd_size != 0 ? mod_base + KERNEL_DT_REGION : 0;
    return 0;
}
