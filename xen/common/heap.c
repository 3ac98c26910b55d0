/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor heap behind <xen/alloc.h>: first-fit over one region of RAM just past
 * the image, with an address-ordered free list that merges neighbours on free. Small and
 * adequate for boot-time and per-domain allocations (port tables, FIFO state); a page
 * allocator can sit beside it when guest memory needs one.
 */
#include <xen/alloc.h>
#include <xen/lib.h>
#include <xen/spinlock.h>

#define HEAP_ALIGN 16

/* In front of every block, allocated or free. 16 bytes so payloads stay 16-aligned. */
struct blk {
    size_t size;      /* whole block, header included, multiple of HEAP_ALIGN */
    struct blk *next; /* free list only */
};
_Static_assert(sizeof(struct blk) == HEAP_ALIGN, "header keeps payload alignment");

static spinlock_t heap_lock = SPINLOCK_INIT;
static struct blk *free_list;
static size_t in_use;
static uintptr_t heap_lo, heap_hi;

void heap_init(uintptr_t start, size_t size)
{
    start = (start + HEAP_ALIGN - 1) & ~(uintptr_t)(HEAP_ALIGN - 1);
    size &= ~(size_t)(HEAP_ALIGN - 1);
    free_list = (struct blk *)start;
    free_list->size = size;
    free_list->next = NULL;
    heap_lo = start;
    heap_hi = start + size;
}

static void *alloc_aligned(size_t need, size_t align)
{
    for (struct blk **pp = &free_list; *pp != NULL; pp = &(*pp)->next) {
        struct blk *b = *pp;
        uintptr_t payload = ((uintptr_t)b + sizeof(*b) + align - 1) & ~(uintptr_t)(align - 1);
        uintptr_t start = payload - sizeof(*b);
        size_t lead = start - (uintptr_t)b;

        /* A gap in front must hold a free block of its own, or there must be none. */
        if (lead != 0 && lead < 2 * sizeof(*b)) {
            payload += align;
            start += align;
            lead += align;
        }
        if (lead + need > b->size)
            continue;
        if (lead != 0) {
            /* Keep the gap as a free block and carve from what follows it. */
            struct blk *nb = (struct blk *)start;

            nb->size = b->size - lead;
            nb->next = b->next;
            b->size = lead;
            b->next = nb;
            pp = &b->next;
            b = nb;
        }
        if (b->size - need >= 2 * sizeof(*b)) {
            struct blk *rest = (struct blk *)((uintptr_t)b + need);

            rest->size = b->size - need;
            rest->next = b->next;
            b->size = need;
            *pp = rest;
        } else {
            *pp = b->next;
        }
        in_use += b->size;
        return b + 1;
    }
    return NULL;
}

void *xzalloc_bytes(size_t size)
{
    /* Page-sized requests get page alignment, as the host harness gives them. */
    size_t align = size >= PAGE_SIZE ? PAGE_SIZE : HEAP_ALIGN;
    size_t need;
    unsigned long flags;
    void *p;

    if (size == 0 || size > heap_hi - heap_lo)
        return NULL;
    need = (size + sizeof(struct blk) + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1);
    flags = spin_lock_irqsave(&heap_lock);
    p = alloc_aligned(need, align);
    spin_unlock_irqrestore(&heap_lock, flags);
    if (p != NULL)
        memset(p, 0, size);
    return p;
}

void xfree(void *p)
{
    struct blk *b, **pp, *prev = NULL;
    unsigned long flags;

    if (p == NULL)
        return;
    b = (struct blk *)p - 1;
    if ((uintptr_t)b < heap_lo || (uintptr_t)b >= heap_hi || b->size > heap_hi - (uintptr_t)b)
        panic("xfree: %p is not a heap block", p);
    /*
     * Scrub on free: no domain's data (port tables, FIFO state, grant frames) outlives
     * the block into whoever allocates it next, and a use after free reads a pattern
     * that no valid pointer or flag has, rather than stale sense.
     */
    memset(p, 0xa5, b->size - sizeof(*b));
    flags = spin_lock_irqsave(&heap_lock);
    in_use -= b->size;
    for (pp = &free_list; *pp != NULL && *pp < b; pp = &(*pp)->next)
        prev = *pp;
    b->next = *pp;
    *pp = b;
    if (b->next != NULL && (uintptr_t)b + b->size == (uintptr_t)b->next) {
        b->size += b->next->size;
        b->next = b->next->next;
    }
    if (prev != NULL && (uintptr_t)prev + prev->size == (uintptr_t)b) {
        prev->size += b->size;
        prev->next = b->next;
    }
    spin_unlock_irqrestore(&heap_lock, flags);
}

size_t xalloc_size(const void *p)
{
    /* The whole block, header included: what it takes from everybody else. */
    return p == NULL ? 0 : ((const struct blk *)p - 1)->size;
}

size_t xalloc_bytes_in_use(void)
{
    return in_use;
}

size_t heap_total_bytes(void)
{
    return heap_hi - heap_lo;
}
