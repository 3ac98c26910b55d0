/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Charged allocations (<xen/alloc.h>): what a domain makes the hypervisor allocate counts
 * against that domain's budget, so a guest that asks for page tables, grant frames or
 * ports without end runs out of its own budget, never out of the heap that the other
 * domains and the hypervisor need. The charge is the heap block's real size, taken after
 * the allocation (so the heap's rounding is paid for too) and given back by domain_xfree.
 */
#include <xen/alloc.h>
#include <xen/domain.h>
#include <xen/fence.h>

void *domain_xzalloc_bytes(struct domain *d, size_t size)
{
    void *p = xzalloc_bytes(size);
    size_t charge, before;

    if (p == NULL)
        return NULL;
    charge = xalloc_size(p);
    /*
     * Charge first and look after: two vCPUs allocating at once can never both slip
     * under the budget, because the one that goes over undoes only its own charge.
     */
    before = __atomic_fetch_add(&d->heap_charged, charge, __ATOMIC_RELAXED);
    if (before + charge > READ_ONCE(d->heap_budget) || before + charge < before) {
        __atomic_fetch_sub(&d->heap_charged, charge, __ATOMIC_RELAXED);
        xfree(p);
        return NULL;
    }
    return p;
}

void domain_xfree(struct domain *d, void *p)
{
    if (p == NULL)
        return;
    __atomic_fetch_sub(&d->heap_charged, xalloc_size(p), __ATOMIC_RELAXED);
    xfree(p);
}
