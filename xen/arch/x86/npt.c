/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Nested page tables (AMD's format: the long-mode 4-level format, every entry with the
 * User bit since nested walks are user accesses). One tree per domain, 4 KiB pages,
 * mapping exactly the domain's RAM and the hypervisor pages it was given
 * (shared_info, grant frames): any other guest-physical access is a nested page fault
 * that ends the domain.
 *
 * A guest makes us build tables (XENMEM_add_to_physmap at a gfn of its choosing), so:
 *   - every table page is charged to the domain (domain_xzalloc_bytes): past its heap
 *     budget it gets -ENOMEM, and no other domain loses heap to it;
 *   - updates are serialised by the domain's npt_lock (two vCPUs adding at once would
 *     otherwise both install a table for the same slot and lose one, with its mapping);
 *     lookups walk without it: a table, once linked, stays until the domain is gone or
 *     reboots (npt_reset, with no vCPU of it running; lookups by other domains only ever
 *     walk towards its RAM, whose tables npt_reset keeps), and entries are written whole;
 *   - overwriting a present entry bumps the domain's npt_generation and kicks the CPUs
 *     its vCPUs run on: each vCPU flushes its guest TLB before its next VMRUN when the
 *     generation moved (svm.c), so no vCPU keeps using the old translation.
 */
#include <asm/domain.h>
#include <xen/alloc.h>
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/lib.h>

#define NPT_TABLE   (PTE_P | PTE_W | PTE_U)
#define NPT_PAGE    (PTE_P | PTE_W | PTE_U)
#define NPT_MAX_GPA (1ull << 39) /* 512 GiB: one PML4 entry's worth is plenty */

static unsigned int index_at(uint64_t gpa, unsigned int level)
{
    return (unsigned int)(gpa >> (12 + 9 * level)) & 511;
}

static uint64_t *new_table(struct domain *d)
{
    uint64_t *t = domain_xzalloc_bytes(d, PAGE_SIZE); /* page-aligned, zeroed */

    if (t != NULL)
        x86_dom(d)->npt_pages++;
    return t;
}

/*
 * The level-0 entry for gpa, creating tables on the way if create (then npt_lock is
 * held); NULL if absent or past the domain's budget.
 */
static uint64_t *npt_walk(struct domain *d, uint64_t gpa, bool create)
{
    struct x86_domain *xd = x86_dom(d);
    uint64_t *table = __atomic_load_n(&xd->npt_root, __ATOMIC_ACQUIRE);

    if (table == NULL) {
        if (!create || (table = new_table(d)) == NULL)
            return NULL;
        __atomic_store_n(&xd->npt_root, table, __ATOMIC_RELEASE);
    }
    for (unsigned int level = 3; level > 0; level--) {
        uint64_t *e = &table[index_at(gpa, level)];
        uint64_t entry = __atomic_load_n(e, __ATOMIC_ACQUIRE);

        if (!(entry & PTE_P)) {
            uint64_t *next;

            if (!create || (next = new_table(d)) == NULL)
                return NULL;
            entry = virt_to_phys(next) | NPT_TABLE;
            __atomic_store_n(e, entry, __ATOMIC_RELEASE); /* zeroed before it is seen */
        }
        table = phys_to_virt(entry & PTE_ADDR);
    }
    return &table[index_at(gpa, 0)];
}

/* A present translation changed: every vCPU of d flushes before it runs again. */
static void npt_flush(struct domain *d)
{
    __atomic_add_fetch(&x86_dom(d)->npt_generation, 1, __ATOMIC_SEQ_CST);
    for (uint32_t i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i] != NULL)
            arch_cpu_kick(d->vcpu[i]->processor); /* ends its run; a no-op for ourselves */
}

int npt_map(struct domain *d, uint64_t gpa, paddr_t hpa, uint64_t size)
{
    struct x86_domain *xd = x86_dom(d);
    unsigned long flags;
    bool flush = false;
    int rc = 0;

    if ((gpa | hpa | size) & (PAGE_SIZE - 1) || gpa + size > NPT_MAX_GPA || gpa + size < gpa)
        return -EINVAL;
    flags = spin_lock_irqsave(&xd->npt_lock);
    for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
        uint64_t *pte = npt_walk(d, gpa + off, true);
        uint64_t old;

        if (pte == NULL) {
            rc = -ENOMEM;
            break;
        }
        old = __atomic_exchange_n(pte, (hpa + off) | NPT_PAGE, __ATOMIC_RELEASE);
        if ((old & PTE_P) && old != ((hpa + off) | NPT_PAGE))
            flush = true;
    }
    spin_unlock_irqrestore(&xd->npt_lock, flags);
    if (flush)
        npt_flush(d);
    return rc;
}

paddr_t npt_lookup(struct domain *d, uint64_t gpa, bool *writable)
{
    uint64_t *pte, entry;

    if (gpa >= NPT_MAX_GPA || (pte = npt_walk(d, gpa, false)) == NULL)
        return 0;
    entry = __atomic_load_n(pte, __ATOMIC_ACQUIRE);
    if (!(entry & PTE_P))
        return 0;
    if (writable != NULL)
        *writable = (entry & PTE_W) != 0;
    return (entry & PTE_ADDR) | (gpa & (PAGE_SIZE - 1));
}

/*
 * Put one table (covering [base, base + its span)) back to what npt_map() of the RAM
 * built: leaves inside RAM map RAM again (a guest may have put shared_info or a grant
 * frame over one), everything at or above ram_size is cleared, and a table whose whole
 * span lies above RAM existed only for the guest's add_to_physmap: it is freed, so the
 * domain is charged for exactly the tables of its first build.
 */
static void reset_table(struct domain *d, uint64_t *table, unsigned int level, uint64_t base)
{
    struct x86_domain *xd = x86_dom(d);
    uint64_t span = 1ull << (12 + 9 * level);

    for (unsigned int i = 0; i < 512; i++) {
        uint64_t gpa = base + i * span, entry = table[i];

        if (level == 0) {
            __atomic_store_n(&table[i], gpa < xd->ram_size ? (xd->ram_pa + gpa) | NPT_PAGE : 0,
                             __ATOMIC_RELEASE);
            continue;
        }
        if (!(entry & PTE_P))
            continue;
        reset_table(d, phys_to_virt(entry & PTE_ADDR), level - 1, gpa);
        if (gpa >= xd->ram_size) {
            __atomic_store_n(&table[i], 0, __ATOMIC_RELEASE);
            domain_xfree(d, phys_to_virt(entry & PTE_ADDR));
            xd->npt_pages--;
        }
    }
}

void npt_reset(struct domain *d)
{
    struct x86_domain *xd = x86_dom(d);
    unsigned long flags;

    flags = spin_lock_irqsave(&xd->npt_lock);
    if (xd->npt_root != NULL)
        reset_table(d, xd->npt_root, 3, 0);
    spin_unlock_irqrestore(&xd->npt_lock, flags);
    /* No vCPU of d runs (the caller's contract); the next VMRUN of each flushes. */
    __atomic_add_fetch(&xd->npt_generation, 1, __ATOMIC_SEQ_CST);
}

paddr_t npt_root_pa(struct domain *d)
{
    struct x86_domain *xd = x86_dom(d);
    unsigned long flags;

    flags = spin_lock_irqsave(&xd->npt_lock);
    if (xd->npt_root == NULL)
        npt_walk(d, 0, true);
    spin_unlock_irqrestore(&xd->npt_lock, flags);
    return xd->npt_root != NULL ? virt_to_phys(xd->npt_root) : 0;
}
