/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A guest kernel's image and where it goes in the guest's RAM (kernel_image.c): Linux's
 * arm64 Image (EL1 in AArch64) or Linux's ARM zImage (EL1 in AArch32), told apart by their
 * headers as Xen tells them, and laid out as Xen lays them out. Kept free of other port
 * headers so tests/host/test_kernel_image.c builds it.
 */
#ifndef MINIXEN_ARM_ASM_KERNEL_IMAGE_H
#define MINIXEN_ARM_ASM_KERNEL_IMAGE_H

#include <xen/types.h>

struct kernel_image {
    bool aarch32;         /* a zImage: the domain's EL1 runs AArch32 */
    uint64_t file_size;   /* bytes to copy */
    uint64_t text_offset; /* arm64: from a 2 MiB aligned RAM base */
    uint64_t mem_size;    /* bytes it spans once loaded (arm64: image_size, its .bss) */
    uint32_t link_addr;   /* zImage: where it must run, or 0 (position independent) */
};

/* Where each part goes, guest physical. */
struct guest_image {
    uint64_t kernel_gpa, kernel_end; /* [kernel_gpa, kernel_end): what it spans */
    uint64_t dt_gpa;                 /* the DT's 2 MiB block */
    uint64_t initrd_gpa;             /* 0: none */
};

#define KERNEL_DT_REGION (2ull << 20) /* the DT's own block */

/* Read the image's header: 0, or -EINVAL with *why set. */
int kernel_image_probe(const void *image, uint64_t size, struct kernel_image *k, const char **why);

/*
 * Lay out kernel, DT block and ramdisk (initrd_size 0: none) in RAM [ram_base,
 * ram_base + ram_size): 0, or -EINVAL with *why set when they do not fit.
 */
int kernel_image_place(const struct kernel_image *k, uint64_t ram_base, uint64_t ram_size,
                       uint64_t initrd_size, struct guest_image *img, const char **why);

#endif
