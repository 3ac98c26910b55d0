/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL2 stage-1 translation: an identity map (VA = PA) with a 39-bit address space, 4 KiB
 * granule, lookup from level 1. Built once on the boot CPU with the MMU off, from what
 * the host DT says, then shared by every CPU:
 *
 *   hypervisor text + rodata   Normal WB, read-only, executable
 *   hypervisor data/bss/heap   Normal WB, read-write, never executable
 *   the rest of RAM            Normal WB, read-write, never executable
 *   UART, GIC, RTC             Device-nGnRnE, never executable
 *
 * Anything else (flash, PCI, unused address space) is unmapped, so a stray pointer faults
 * instead of reaching a device. SCTLR_EL2.WXN makes every writable page non-executable
 * whatever a descriptor says.
 */
#include <asm/setup.h>
#include <xen/lib.h>

#define VA_BITS    39
#define PT_ENTRIES 512
#define PT_POOL    16 /* 1 L1 + L2/L3 tables for the image and devices; QEMU virt uses 7 */

/* Descriptor bits (VMSAv8-64 stage 1). */
#define PTE_VALID   (1ull << 0)
#define PTE_TABLE   (1ull << 1) /* level 1/2: table; level 3: must be set for a page */
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define PTE_AP_RO   (1ull << 7)
#define PTE_AP_RES1 (1ull << 6) /* AP[1]: RES1 in the EL2 regime, which has no EL0 */
#define PTE_SH_IS   (3ull << 8)
#define PTE_AF      (1ull << 10)
#define PTE_XN      (1ull << 54)
#define PTE_ADDR    0x0000fffffffff000ull

#define PROT_TEXT   (PTE_ATTR(MT_NORMAL_WB) | PTE_SH_IS | PTE_AP_RO)
#define PROT_RO     (PTE_ATTR(MT_NORMAL_WB) | PTE_SH_IS | PTE_AP_RO | PTE_XN)
#define PROT_RW     (PTE_ATTR(MT_NORMAL_WB) | PTE_SH_IS | PTE_XN)
#define PROT_DEVICE (PTE_ATTR(MT_DEVICE_nGnRnE) | PTE_XN)

/* MAIR_EL2: attr0 Device-nGnRnE (0x00), attr1 Normal inner/outer WB RW-allocate (0xff). */
#define MAIR_VALUE (0x00ull << (8 * MT_DEVICE_nGnRnE) | 0xffull << (8 * MT_NORMAL_WB))

/* TCR_EL2 (non-VHE): T0SZ, WBWA walks, inner shareable, 4K granule; PS set at run time. */
#define TCR_T0SZ     (64 - VA_BITS)
#define TCR_IRGN0    (1ull << 8)
#define TCR_ORGN0    (1ull << 10)
#define TCR_SH0_IS   (3ull << 12)
#define TCR_PS_SHIFT 16
#define TCR_RES1     ((1ull << 23) | (1ull << 31))

static uint64_t pt_pool[PT_POOL][PT_ENTRIES] __attribute__((aligned(4096)));
static unsigned int pt_used = 1; /* pt_pool[0] is the level-1 root */
static uint64_t tcr_value;

static uint64_t *pt_alloc(void)
{
    if (pt_used >= PT_POOL)
        panic("mm: out of page-table pages");
    return pt_pool[pt_used++]; /* .bss: already zero */
}

/* Bytes mapped by one entry at level lvl (1: 1 GiB, 2: 2 MiB, 3: 4 KiB). */
static uint64_t level_size(unsigned int lvl)
{
    return 1ull << (12 + 9 * (3 - lvl));
}

static unsigned int level_index(uint64_t va, unsigned int lvl)
{
    return (unsigned int)(va >> (12 + 9 * (3 - lvl))) & (PT_ENTRIES - 1);
}

/*
 * Map [pa, pa + size) identity with prot, page-aligned, using the largest block that
 * fits. The first mapping of an address wins: a range that meets an existing block or
 * page leaves it alone, and one that meets a table descends into it. So callers map the
 * finest, strictest regions (the image's text) first and RAM around them afterwards.
 */
static void map_range(uint64_t *table, unsigned int lvl, uint64_t pa, uint64_t end, uint64_t prot)
{
    uint64_t sz = level_size(lvl);

    while (pa < end) {
        uint64_t *e = &table[level_index(pa, lvl)];
        uint64_t next = (pa & ~(sz - 1)) + sz;
        uint64_t stop = next < end ? next : end;
        bool whole = (pa & (sz - 1)) == 0 && stop == next;
        bool valid = (*e & PTE_VALID) != 0;
        bool is_table = lvl < 3 && valid && (*e & PTE_TABLE) != 0;

        if (valid && !is_table) {
            /* already mapped by an earlier, stricter call */
        } else if (lvl == 3) {
            *e = pa | prot | PTE_AF | PTE_VALID | PTE_TABLE;
        } else if (whole && !is_table) {
            *e = pa | prot | PTE_AF | PTE_VALID;
        } else {
            if (!is_table)
                *e = (uint64_t)pt_alloc() | PTE_VALID | PTE_TABLE;
            map_range((uint64_t *)(*e & PTE_ADDR), lvl + 1, pa, stop, prot);
        }
        pa = stop;
    }
}

static void map(uint64_t pa, uint64_t size, uint64_t prot)
{
    uint64_t start = pa & ~(uint64_t)(PAGE_SIZE - 1);
    uint64_t end = (pa + size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);

    if (size == 0)
        return;
    if (end > (1ull << VA_BITS) || end < start)
        panic("mm: 0x%llx+0x%llx is outside the %u-bit identity map", (unsigned long long)pa,
              (unsigned long long)size, VA_BITS);
    map_range(pt_pool[0], 1, start, end, prot);
}

/* Discard whatever the caches hold for [start, end): we wrote it with the MMU off. */
static void dcache_inval_range(uint64_t start, uint64_t end)
{
    uint64_t ctr = READ_SYSREG(ctr_el0);
    uint64_t line = 4ull << ((ctr >> 16) & 0xf); /* DminLine, in words */

    for (uint64_t a = start & ~(line - 1); a < end; a += line)
        __asm__ __volatile__("dc ivac, %0" ::"r"(a) : "memory");
    __asm__ __volatile__("dsb sy" ::: "memory");
}

static void mmu_on(void)
{
    WRITE_SYSREG(MAIR_VALUE, mair_el2);
    WRITE_SYSREG(tcr_value, tcr_el2);
    WRITE_SYSREG((uint64_t)pt_pool[0], ttbr0_el2);
    isb();
    __asm__ __volatile__("tlbi alle2\n dsb nsh\n ic iallu\n dsb nsh\n isb" ::: "memory");
    WRITE_SYSREG(SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA | SCTLR_WXN, sctlr_el2);
    isb();
}

void mm_init(const struct host_dt *dt, paddr_t heap_start, size_t heap_size)
{
    uint64_t parange = READ_SYSREG(id_aa64mmfr0_el1) & 0xf;
    uint64_t text = (uint64_t)_start, etext = (uint64_t)_etext, end = (uint64_t)_end;

    /* PS: the CPU's physical range, capped at 48 bits (encoding 5), what a 4K granule uses. */
    if (parange > 5)
        parange = 5;
    tcr_value = TCR_T0SZ | TCR_IRGN0 | TCR_ORGN0 | TCR_SH0_IS | parange << TCR_PS_SHIFT | TCR_RES1;

    /* Finest first: the image, then RAM around it (map_range keeps existing tables). */
    map(text, etext - text, PROT_TEXT);
    map(etext, end - etext, PROT_RW);
    map(heap_start, heap_size, PROT_RW);
    for (unsigned int i = 0; i < dt->nr_mem; i++)
        map(dt->mem[i].base, dt->mem[i].size, PROT_RW);
    if (dt->uart_drv != NULL)
        map(dt->uart.base, PAGE_SIZE, PROT_DEVICE);
    if (dt->rtc_base != 0)
        map(dt->rtc_base, PAGE_SIZE, PROT_DEVICE);
    map(dt->gicd_base, dt->gicd_size, PROT_DEVICE);
    map(dt->gicr_base, dt->gicr_size, PROT_DEVICE);
    map(dt->gicc_base, dt->gicc_size, PROT_DEVICE);
    map(dt->gich_base, dt->gich_size, PROT_DEVICE);

    dcache_inval_range(text, end);
    dcache_inval_range(heap_start, heap_start + heap_size);
    mmu_on();
}

void mm_enable_secondary(void)
{
    mmu_on();
}

unsigned int mm_tables_used(void)
{
    return pt_used;
}
