/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hypervisor heap. Provided by xen/common's allocator in the hypervisor and by libc in
 * host tests. Every allocation may fail: callers return -ENOMEM and undo what they did.
 */
#ifndef MINIXEN_ALLOC_H
#define MINIXEN_ALLOC_H

#include <xen/types.h>

void *xzalloc_bytes(size_t size); /* zeroed, aligned to 16 bytes; NULL on failure */
void xfree(void *p);              /* NULL is fine */

#define xzalloc(type)          ((type *)xzalloc_bytes(sizeof(type)))
#define xzalloc_array(type, n) ((type *)xzalloc_bytes(sizeof(type) * (n)))

/* The hypervisor gives the heap its one region at boot (xen/common/heap.c). */
void heap_init(uintptr_t start, size_t size);

/* Bytes currently allocated: the benchmark reports port-table memory with it. */
size_t xalloc_bytes_in_use(void);

#endif
