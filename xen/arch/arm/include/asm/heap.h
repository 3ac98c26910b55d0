/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The size of the hypervisor heap, which setup.c carves right behind the image (or the
 * DTB). Plain preprocessor, no C: xen.lds.in includes it too, so that the Image header's
 * image_size covers the heap and a boot loader keeps its modules out of it.
 * 8 MiB: per-domain state is charged against budgets (1 MiB each by default,
 * <xen/alloc.h>), so a few domains at their full budget and the hypervisor's own boot
 * allocations fit.
 */
#ifndef MINIXEN_ARM_ASM_HEAP_H
#define MINIXEN_ARM_ASM_HEAP_H

#define HEAP_BYTES 0x800000

#endif
