/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stage-2 translation (guest physical -> host physical) of each domain.
 *
 * 4 KiB granule, 39-bit IPA (T0SZ = 25), walk starting at level 1 from one 4 KiB root
 * table: no concatenated roots, three levels. 39 bits (512 GiB) hold the whole guest map
 * of guest_memmap.h (GIC at 48 MiB, grant table at 896 MiB, RAM at 1 GiB up to 4 GiB).
 * Mappings use 2 MiB blocks where address and size allow, 4 KiB pages otherwise; a block
 * is split into pages when a page inside it changes (a guest mapping shared_info over
 * one of its RAM pages, as Linux does).
 *
 * Each domain has its own VMID (domain id + 1, 8-bit VMIDs), so a domain switch needs
 * no TLB maintenance; changing a live mapping invalidates that VMID's entries for the
 * address on every CPU (break-before-make). The p2m type lives in descriptor bits the
 * hardware ignores (58:55), so lookups need no shadow structure.
 *
 * Table pages come from the hypervisor heap (page-sized allocations are page aligned),
 * charged to the domain's heap budget and returned to it when the tables go.
 */
#include <asm/domain.h>
#include <asm/p2m.h>
#include <xen/alloc.h>
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/spinlock.h>

#define P2M_ENTRIES 512

/* VTCR_EL2 fields (4 KiB granule). */
#define VTCR_T0SZ     (64 - P2M_IPA_BITS)
#define VTCR_SL0_L1   (1ull << 6) /* start at level 1 */
#define VTCR_IRGN0_WB (1ull << 8)
#define VTCR_ORGN0_WB (1ull << 10)
#define VTCR_SH0_IS   (3ull << 12)
#define VTCR_TG0_4K   (0ull << 14)
#define VTCR_PS_SHIFT 16
#define VTCR_RES1     (1ull << 31)

/* Stage-2 descriptor bits. */
#define S2_VALID      (1ull << 0)
#define S2_TABLE      (1ull << 1) /* levels 1-2: table; level 3: page */
#define S2_MEMATTR(x) ((uint64_t)(x) << 2)
#define S2_MEM_NORMAL S2_MEMATTR(0xf) /* Normal, inner and outer write-back */
#define S2_MEM_DEVICE S2_MEMATTR(0x1) /* Device-nGnRE */
#define S2_AP_RO      (1ull << 6)
#define S2_AP_RW      (3ull << 6)
#define S2_SH_IS      (3ull << 8)
#define S2_AF         (1ull << 10)
#define S2_XN         (1ull << 54)
#define S2_TYPE_SHIFT 55 /* software bits 58:55: our p2m_type_t */
#define S2_TYPE_MASK  (0xfull << S2_TYPE_SHIFT)
#define S2_ADDR       0x0000fffffffff000ull

struct p2m {
    spinlock_t lock;
    uint64_t *root; /* level-1 table */
    uint16_t vmid;
    uint64_t vttbr; /* root | vmid << 48: what VTTBR_EL2 holds while the domain runs */
};

static uint64_t vtcr_value;

/*
 * Bumped after every change to any p2m is written (and when one is freed): a translation
 * remembered under an older value may be stale (guest_memory.c's cache reads it before
 * its walk, so a change racing the walk leaves the walk's result unremembered).
 */
static uint64_t generation = 1; /* a vCPU's zeroed entry (gen 0) never matches */

uint64_t p2m_generation(void)
{
    return __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
}

static void changed(void)
{
    __atomic_fetch_add(&generation, 1, __ATOMIC_RELEASE);
}

static uint64_t level_shift(unsigned int lvl)
{
    return 12 + 9 * (3 - lvl);
}

static unsigned int level_index(uint64_t gpa, unsigned int lvl)
{
    return (unsigned int)(gpa >> level_shift(lvl)) & (P2M_ENTRIES - 1);
}

static uint64_t type_bits(p2m_type_t t)
{
    uint64_t common = S2_AF | S2_VALID | (uint64_t)t << S2_TYPE_SHIFT;

    switch (t) {
    case P2M_RAM_RW:
        return common | S2_MEM_NORMAL | S2_AP_RW | S2_SH_IS;
    case P2M_RAM_RO:
        return common | S2_MEM_NORMAL | S2_AP_RO | S2_SH_IS | S2_XN;
    case P2M_MMIO_DEV:
        return common | S2_MEM_DEVICE | S2_AP_RW | S2_XN;
    case P2M_HYP_PAGE:
    case P2M_GRANT_RW:
        return common | S2_MEM_NORMAL | S2_AP_RW | S2_SH_IS | S2_XN;
    case P2M_GRANT_RO:
        return common | S2_MEM_NORMAL | S2_AP_RO | S2_SH_IS | S2_XN;
    default:
        return 0;
    }
}

void p2m_init_cpu(void)
{
    uint64_t parange = READ_SYSREG(id_aa64mmfr0_el1) & 0xf;

    /* PS: what this CPU can address, capped at 48 bits (encoding 5) for a 4 KiB granule. */
    if (parange > 5)
        parange = 5;
    vtcr_value = VTCR_T0SZ | VTCR_SL0_L1 | VTCR_IRGN0_WB | VTCR_ORGN0_WB | VTCR_SH0_IS |
                 VTCR_TG0_4K | parange << VTCR_PS_SHIFT | VTCR_RES1;
    WRITE_SYSREG(vtcr_value, vtcr_el2);
    isb();
}

/*
 * Invalidate d's stage-1+2 TLB entries for [gpa, gpa + size) on every CPU. The TLBI
 * acts on the VMID in VTTBR_EL2, so d's is loaded for the duration (interrupts masked:
 * nothing may enter a guest with it), then whatever was there is put back.
 */
static void flush_range(const struct domain *d, uint64_t gpa, uint64_t size)
{
    unsigned long flags = arch_local_irq_save();
    uint64_t saved = READ_SYSREG(vttbr_el2);

    WRITE_SYSREG(p2m_vttbr(d), vttbr_el2);
    isb();
    __asm__ __volatile__("dsb ishst" ::: "memory");
    if (size > (64ull << PAGE_SHIFT)) {
        __asm__ __volatile__("tlbi vmalls12e1is" ::: "memory");
    } else {
        for (uint64_t a = gpa; a < gpa + size; a += PAGE_SIZE)
            __asm__ __volatile__("tlbi ipas2e1is, %0" ::"r"(a >> PAGE_SHIFT) : "memory");
        /* Stage-1 entries may hold the combined translation: drop those too. */
        __asm__ __volatile__("dsb ish\n tlbi vmalle1is" ::: "memory");
    }
    __asm__ __volatile__("dsb ish" ::: "memory");
    WRITE_SYSREG(saved, vttbr_el2);
    isb();
    arch_local_irq_restore(flags);
}

/*
 * Charged to d (xen/common/domain_alloc.c): a guest that splits block after block
 * (add_to_physmap over its RAM) runs into its own budget, not the hypervisor's heap.
 */
static uint64_t *table_alloc(struct domain *d)
{
    return domain_xzalloc_bytes(d, PAGE_SIZE); /* page aligned, zeroed: every entry invalid */
}

/* Publish a descriptor the table walker may read at any moment. */
static void write_pte(uint64_t *e, uint64_t v)
{
    __atomic_store_n(e, v, __ATOMIC_RELEASE);
    __asm__ __volatile__("dsb ishst" ::: "memory");
}

/*
 * The level lvl+1 table under *e (lvl 1 or 2), creating it, or splitting a block into
 * the same mapping one level finer. NULL when out of memory.
 */
static uint64_t *next_table(struct domain *d, uint64_t *e, unsigned int lvl, uint64_t gpa)
{
    uint64_t old = *e, *t;

    if ((old & (S2_VALID | S2_TABLE)) == (S2_VALID | S2_TABLE))
        return (uint64_t *)(old & S2_ADDR);
    t = table_alloc(d);
    if (t == NULL)
        return NULL;
    if (old & S2_VALID) {
        /* A block: the new table maps the same range with the same attributes. */
        uint64_t step = 1ull << level_shift(lvl + 1);
        uint64_t attrs = old & ~S2_ADDR & ~S2_TABLE;

        for (unsigned int i = 0; i < P2M_ENTRIES; i++)
            t[i] = ((old & S2_ADDR) + i * step) | attrs | (lvl + 1 == 3 ? S2_TABLE : 0);
        /* Break-before-make: the walker must never see both the block and the table. */
        write_pte(e, 0);
        flush_range(d, gpa & ~((1ull << level_shift(lvl)) - 1), 1ull << level_shift(lvl));
    }
    write_pte(e, (uint64_t)t | S2_TABLE | S2_VALID);
    return t;
}

static int map_one(struct domain *d, uint64_t gpa, paddr_t pa, uint64_t left, p2m_type_t t,
                   uint64_t *mapped)
{
    struct p2m *p2m = arm_domain(d)->p2m;
    uint64_t *table = p2m->root;

    for (unsigned int lvl = 1; lvl <= 3; lvl++) {
        uint64_t *e = &table[level_index(gpa, lvl)];
        uint64_t sz = 1ull << level_shift(lvl);
        bool leaf = lvl == 3 || (lvl == 2 && (gpa & (sz - 1)) == 0 && (pa & (sz - 1)) == 0 &&
                                 left >= sz && !(*e & S2_VALID && *e & S2_TABLE));

        if (leaf) {
            uint64_t v = pa | type_bits(t) | (lvl == 3 ? S2_TABLE : 0);

            if (t == P2M_INVALID)
                v = 0;
            if (*e & S2_VALID) {
                write_pte(e, 0);
                flush_range(d, gpa, sz);
            }
            if (v != 0)
                write_pte(e, v);
            *mapped = sz;
            return 0;
        }
        if (t == P2M_INVALID && !(*e & S2_VALID)) {
            /* Nothing mapped here at any finer level: skip to the next entry. */
            *mapped = MIN(left, sz - (gpa & (sz - 1)));
            return 0;
        }
        table = next_table(d, e, lvl, gpa);
        if (table == NULL)
            return -ENOMEM;
    }
    return -EINVAL; /* not reached */
}

static int change(struct domain *d, uint64_t gpa, paddr_t pa, uint64_t size, p2m_type_t t)
{
    struct p2m *p2m = arm_domain(d)->p2m;
    unsigned long flags;
    int rc = 0;

    if (p2m == NULL || size == 0 || ((gpa | pa | size) & (PAGE_SIZE - 1)) != 0)
        return -EINVAL;
    if (gpa + size < gpa || gpa + size > (1ull << P2M_IPA_BITS) || pa + size < pa ||
        pa + size > (1ull << 48))
        return -EINVAL;
    flags = spin_lock_irqsave(&p2m->lock);
    /* Each step maps at least one page: the loop runs at most size / 4 KiB times. */
    while (size > 0) {
        uint64_t done = 0;

        rc = map_one(d, gpa, pa, size, t, &done);
        if (rc != 0)
            break;
        gpa += done;
        pa += done;
        size -= done;
    }
    changed();
    spin_unlock_irqrestore(&p2m->lock, flags);
    return rc;
}

int p2m_map(struct domain *d, uint64_t gpa, paddr_t pa, uint64_t size, p2m_type_t t)
{
    if (t == P2M_INVALID || type_bits(t) == 0)
        return -EINVAL;
    return change(d, gpa, pa, size, t);
}

int p2m_unmap(struct domain *d, uint64_t gpa, uint64_t size)
{
    return change(d, gpa, 0, size, P2M_INVALID);
}

paddr_t p2m_lookup(struct domain *d, uint64_t gpa, p2m_type_t *t)
{
    struct p2m *p2m = d->arch != NULL ? arm_domain(d)->p2m : NULL;
    const uint64_t *table;

    *t = P2M_INVALID;
    if (p2m == NULL || gpa >= (1ull << P2M_IPA_BITS))
        return 0;
    /* Lock-free: tables are only ever added while the domain lives, never freed. */
    table = p2m->root;
    for (unsigned int lvl = 1; lvl <= 3; lvl++) {
        uint64_t e = __atomic_load_n(&table[level_index(gpa, lvl)], __ATOMIC_ACQUIRE);
        uint64_t sz = 1ull << level_shift(lvl);

        if (!(e & S2_VALID))
            return 0;
        if (lvl < 3 && (e & S2_TABLE)) {
            table = (const uint64_t *)(e & S2_ADDR);
            continue;
        }
        if (lvl == 1)
            return 0; /* we never make 1 GiB blocks */
        *t = (p2m_type_t)((e & S2_TYPE_MASK) >> S2_TYPE_SHIFT);
        return (e & S2_ADDR & ~(sz - 1)) | (gpa & (sz - 1));
    }
    return 0;
}

uint64_t p2m_vttbr(const struct domain *d)
{
    const struct p2m *p2m = arm_domain(d)->p2m;

    return p2m->vttbr;
}

int p2m_domain_init(struct domain *d)
{
    struct p2m *p2m;

    if (d->domain_id >= 255)
        return -EINVAL; /* 8-bit VMIDs, 0 unused */
    p2m = domain_xzalloc(d, struct p2m);
    if (p2m == NULL)
        return -ENOMEM;
    p2m->root = table_alloc(d);
    if (p2m->root == NULL) {
        domain_xfree(d, p2m);
        return -ENOMEM;
    }
    p2m->lock = (spinlock_t)SPINLOCK_INIT;
    p2m->vmid = (uint16_t)(d->domain_id + 1);
    p2m->vttbr = (uint64_t)p2m->root | (uint64_t)p2m->vmid << 48;
    arm_domain(d)->p2m = p2m;
    /* A VMID reused after a rebuild must not find the old domain's entries. */
    flush_range(d, 0, 1ull << P2M_IPA_BITS);
    return 0;
}

static void free_tables(struct domain *d, uint64_t *table, unsigned int lvl)
{
    for (unsigned int i = 0; lvl < 3 && i < P2M_ENTRIES; i++)
        if ((table[i] & (S2_VALID | S2_TABLE)) == (S2_VALID | S2_TABLE))
            free_tables(d, (uint64_t *)(table[i] & S2_ADDR), lvl + 1);
    domain_xfree(d, table);
}

void p2m_domain_destroy(struct domain *d)
{
    struct p2m *p2m = arm_domain(d)->p2m;

    if (p2m == NULL)
        return;
    /* The domain's vCPUs are off every CPU: drop its TLB entries, then its tables. */
    flush_range(d, 0, 1ull << P2M_IPA_BITS);
    changed();
    free_tables(d, p2m->root, 1);
    domain_xfree(d, p2m);
    arm_domain(d)->p2m = NULL;
}
