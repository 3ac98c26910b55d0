/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Nested page tables (AMD's format: the long-mode 4-level format, every entry with the
 * User bit since nested walks are user accesses). One tree per domain, 4 KiB pages only
 * (so changing one guest frame never splits a larger mapping), mapping the domain's RAM
 * frames, the hypervisor pages it was given (shared_info, grant frames) and the frames
 * of other domains it mapped by grant (physmap.c through guest_mem.c): any other
 * guest-physical access is a nested page fault (MMIO, or the domain ends). Each leaf
 * says in its software bits 9-11 (ignored by the walk) which of those it is, as an
 * enum physmap_type: the tables are the only record of a domain's map.
 *
 * A guest makes us build tables (XENMEM_add_to_physmap at a gfn of its choosing), so:
 *   - every table page is charged to the domain (domain_xzalloc_bytes): past its heap
 *     budget it gets -ENOMEM, and no other domain loses heap to it;
 *   - updates are serialised by the domain's npt_lock (two vCPUs adding at once would
 *     otherwise both install a table for the same slot and lose one, with its mapping);
 *     lookups walk without it: a table, once linked, stays until the domain is gone or
 *     reboots (npt_reset, with no vCPU of it running; it keeps the RAM's tables, and
 *     npt_query takes the lock above the RAM, where another domain may ask), and entries
 *     are written whole;
 *   - overwriting or clearing a present entry bumps the domain's npt_generation and kicks
 *     the CPUs its vCPUs run on: each vCPU flushes its guest TLB before its next VMRUN
 *     when the generation moved (svm.c), and the change waits until none still runs on
 *     the old translation (npt_flush).
 */
#include <asm/domain.h>
#include <xen/alloc.h>
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/lib.h>

#define NPT_TABLE      (PTE_P | PTE_W | PTE_U)
#define NPT_MAX_GPA    (1ull << 39) /* 512 GiB: one PML4 entry's worth is plenty */
#define NPT_KIND_SHIFT 9            /* bits 9-11: available to software in every level */
#define NPT_KIND_MASK  (7ull << NPT_KIND_SHIFT)

/* A leaf mapping hpa as t: writable unless a read-only grant. */
static uint64_t leaf(paddr_t hpa, enum physmap_type t)
{
    return hpa | PTE_P | PTE_U | (t == PHYSMAP_GRANT_RO ? 0 : PTE_W) |
           ((uint64_t)t << NPT_KIND_SHIFT);
}

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

/*
 * A present translation changed: every vCPU of d flushes before it runs again, and none
 * still runs on the old one when this returns (a grant unmapped here may be the
 * granter's to reuse at once). A vCPU in guest mode says with which generation
 * (x86_vcpu.npt_in_guest, svm.c); the kick makes it exit, which it always does on a
 * physical interrupt, so the wait is bounded by one world switch, whatever the guest
 * does. The generation is written before the marks are read, as svm.c writes its mark
 * before it reads the generation (both sequentially consistent): either we see the vCPU
 * in guest mode and wait for it, or it sees the new generation and flushes.
 */
static void npt_flush(struct domain *d)
{
    uint64_t gen = __atomic_add_fetch(&x86_dom(d)->npt_generation, 1, __ATOMIC_SEQ_CST);

    for (uint32_t i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i] != NULL)
            arch_cpu_kick(d->vcpu[i]->processor); /* ends its run; a no-op for ourselves */
    for (uint32_t i = 0; i < d->max_vcpus; i++) {
        const struct x86_vcpu *xv = d->vcpu[i] != NULL ? x86_vcpu(d->vcpu[i]) : NULL;
        uint64_t mark;

        if (xv == NULL)
            continue;
        /* Our own vCPU is out of guest mode: its mark is 0. */
        while ((mark = __atomic_load_n(&xv->npt_in_guest, __ATOMIC_SEQ_CST)) & NPT_IN_GUEST &&
               (mark & ~NPT_IN_GUEST) < gen)
            arch_cpu_relax();
    }
}

/* Map [gpa, gpa + size) to [hpa, ...) as t, one 4 KiB leaf at a time (npt_lock taken). */
static int map_range(struct domain *d, uint64_t gpa, paddr_t hpa, uint64_t size,
                     enum physmap_type t)
{
    struct x86_domain *xd = x86_dom(d);
    unsigned long flags;
    bool flush = false;
    int rc = 0;

    if ((gpa | hpa | size) & (PAGE_SIZE - 1) || gpa + size > NPT_MAX_GPA || gpa + size < gpa ||
        hpa + size > (1ull << 52))
        return -EINVAL;
    flags = spin_lock_irqsave(&xd->npt_lock);
    for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
        uint64_t *pte = npt_walk(d, gpa + off, true);
        uint64_t old, new = leaf(hpa + off, t);

        if (pte == NULL) {
            rc = -ENOMEM;
            break;
        }
        old = __atomic_exchange_n(pte, new, __ATOMIC_RELEASE);
        if ((old & PTE_P) && old != new)
            flush = true;
    }
    spin_unlock_irqrestore(&xd->npt_lock, flags);
    if (flush)
        npt_flush(d);
    return rc;
}

int npt_map(struct domain *d, uint64_t gpa, paddr_t hpa, uint64_t size)
{
    return map_range(d, gpa, hpa, size, PHYSMAP_RAM);
}

int npt_set(struct domain *d, uint64_t gpa, paddr_t hpa, enum physmap_type t)
{
    if (t == PHYSMAP_NONE || t == PHYSMAP_OTHER || (unsigned int)t > PHYSMAP_OTHER)
        return -EINVAL;
    return map_range(d, gpa, hpa, PAGE_SIZE, t);
}

int npt_clear(struct domain *d, uint64_t gpa)
{
    struct x86_domain *xd = x86_dom(d);
    unsigned long flags;
    uint64_t *pte, old = 0;

    if ((gpa & (PAGE_SIZE - 1)) || gpa >= NPT_MAX_GPA)
        return -EINVAL;
    flags = spin_lock_irqsave(&xd->npt_lock);
    /* No table: nothing mapped there, and none is made just to say so. */
    if ((pte = npt_walk(d, gpa, false)) != NULL)
        old = __atomic_exchange_n(pte, 0, __ATOMIC_RELEASE);
    spin_unlock_irqrestore(&xd->npt_lock, flags);
    if (old & PTE_P)
        npt_flush(d);
    return 0;
}

enum physmap_type npt_query(struct domain *d, uint64_t gpa, paddr_t *hpa)
{
    struct x86_domain *xd = x86_dom(d);
    /* Above RAM, npt_reset() may free the tables: another domain asking (a grant's
     * granter, dom0 for a domU) waits for it. RAM's tables stay: no lock for the RAM. */
    bool locked = gpa >= xd->ram_size;
    unsigned long flags = locked ? spin_lock_irqsave(&xd->npt_lock) : 0;
    enum physmap_type t = PHYSMAP_NONE;
    uint64_t *pte, entry;

    *hpa = 0;
    if (gpa < NPT_MAX_GPA && (pte = npt_walk(d, gpa, false)) != NULL) {
        entry = __atomic_load_n(pte, __ATOMIC_ACQUIRE);
        if (entry & PTE_P) {
            *hpa = entry & PTE_ADDR;
            t = (enum physmap_type)((entry & NPT_KIND_MASK) >> NPT_KIND_SHIFT);
        }
    }
    if (locked)
        spin_unlock_irqrestore(&xd->npt_lock, flags);
    return t;
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
 * built: leaves inside RAM map RAM again, each frame at its first place (a guest may
 * have put shared_info, a grant frame or a grant mapping over one, or given it back and
 * populated it elsewhere), everything at or above ram_size is cleared, and a table whose whole
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
            __atomic_store_n(&table[i],
                             gpa < xd->ram_size ? leaf(xd->ram_pa + gpa, PHYSMAP_RAM) : 0,
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
