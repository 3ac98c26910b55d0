/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Nested page tables (AMD's format: the long-mode 4-level format, every entry with the
 * User bit since nested walks are user accesses). One tree per domain, 4 KiB pages,
 * mapping exactly the domain's RAM and the hypervisor pages it was given
 * (shared_info): any other guest-physical access is a nested page fault that ends the
 * domain. Table pages come from the heap and live as long as the domain.
 */
#include <asm/domain.h>
#include <xen/alloc.h>
#include <xen/errno.h>
#include <xen/lib.h>

#define NPT_TABLE (PTE_P | PTE_W | PTE_U)
#define NPT_PAGE  (PTE_P | PTE_W | PTE_U)
#define NPT_MAX_GPA (1ull << 39) /* 512 GiB: one PML4 entry's worth is plenty */

static unsigned int index_at(uint64_t gpa, unsigned int level)
{
    return (unsigned int)(gpa >> (12 + 9 * level)) & 511;
}

/* The level-0 entry for gpa, creating tables on the way if create; NULL if absent/no memory. */
static uint64_t *npt_walk(struct domain *d, uint64_t gpa, bool create)
{
    struct x86_domain *xd = x86_dom(d);
    uint64_t *table;

    if (xd->npt_root == NULL) {
        if (!create || (xd->npt_root = xzalloc_bytes(PAGE_SIZE)) == NULL)
            return NULL;
        xd->npt_pages = 1;
    }
    table = xd->npt_root;
    for (unsigned int level = 3; level > 0; level--) {
        uint64_t *e = &table[index_at(gpa, level)];

        if (!(*e & PTE_P)) {
            uint64_t *next;

            if (!create || (next = xzalloc_bytes(PAGE_SIZE)) == NULL)
                return NULL;
            xd->npt_pages++;
            *e = virt_to_phys(next) | NPT_TABLE;
        }
        table = phys_to_virt(*e & PTE_ADDR);
    }
    return &table[index_at(gpa, 0)];
}

int npt_map(struct domain *d, uint64_t gpa, paddr_t hpa, uint64_t size)
{
    if ((gpa | hpa | size) & (PAGE_SIZE - 1) || gpa + size > NPT_MAX_GPA || gpa + size < gpa)
        return -EINVAL;
    for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
        uint64_t *pte = npt_walk(d, gpa + off, true);

        if (pte == NULL)
            return -ENOMEM;
        *pte = (hpa + off) | NPT_PAGE;
    }
    return 0;
}

paddr_t npt_lookup(struct domain *d, uint64_t gpa, bool *writable)
{
    uint64_t *pte;

    if (gpa >= NPT_MAX_GPA || (pte = npt_walk(d, gpa, false)) == NULL || !(*pte & PTE_P))
        return 0;
    if (writable != NULL)
        *writable = (*pte & PTE_W) != 0;
    return (*pte & PTE_ADDR) | (gpa & (PAGE_SIZE - 1));
}

paddr_t npt_root_pa(struct domain *d)
{
    struct x86_domain *xd = x86_dom(d);

    if (xd->npt_root == NULL)
        npt_walk(d, 0, true);
    return xd->npt_root != NULL ? virt_to_phys(xd->npt_root) : 0;
}
