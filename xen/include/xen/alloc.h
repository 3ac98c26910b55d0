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

/* Bytes the block at p holds (at least what was asked): what a domain is charged for it. */
size_t xalloc_size(const void *p);

/*
 * Allocations a domain causes (its page tables, grant frames, port storage, FIFO and
 * 3-level state, ...) are charged to it (xen/common/domain_alloc.c): past its budget
 * (d->heap_budget) the allocation fails and that domain alone gets -ENOMEM, so no domain
 * can take the heap another one needs. Free them with domain_xfree() on the same d.
 */
struct domain;
void *domain_xzalloc_bytes(struct domain *d, size_t size);
void domain_xfree(struct domain *d, void *p);

#define domain_xzalloc(d, type)          ((type *)domain_xzalloc_bytes((d), sizeof(type)))
#define domain_xzalloc_array(d, type, n) ((type *)domain_xzalloc_bytes((d), sizeof(type) * (n)))

/* The hypervisor gives the heap its one region at boot (xen/common/heap.c). */
void heap_init(uintptr_t start, size_t size);

/* Bytes currently allocated: the benchmark reports port-table memory with it. */
size_t xalloc_bytes_in_use(void);

#endif
