/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host RAM for guests: a short list of free ranges, cut from the host DT's RAM banks.
 * Reservations split ranges; allocations come from the top of the highest range that
 * fits, so guests land away from the image, the heap and the boot modules, which loaders
 * put low. Called on the boot CPU only, before secondaries run: no lock.
 */
#include <asm/guest_ram.h>
#include <xen/lib.h>

#define GUEST_RAM_RANGES 32

static struct {
    paddr_t start, end; /* [start, end), page aligned */
} ranges[GUEST_RAM_RANGES];
static unsigned int nr_ranges;

static void remove_at(unsigned int i)
{
    for (; i + 1 < nr_ranges; i++)
        ranges[i] = ranges[i + 1];
    nr_ranges--;
}

static void insert_at(unsigned int i, paddr_t start, paddr_t end)
{
    if (nr_ranges == GUEST_RAM_RANGES) {
        /* Dropping the piece only loses usable RAM, never hands out used RAM. */
        printk("guest ram: more than %u free ranges; 0x%llx-0x%llx left unused\n", GUEST_RAM_RANGES,
               (unsigned long long)start, (unsigned long long)end);
        return;
    }
    for (unsigned int j = nr_ranges; j > i; j--)
        ranges[j] = ranges[j - 1];
    ranges[i].start = start;
    ranges[i].end = end;
    nr_ranges++;
}

void guest_ram_init(const struct host_dt *dt)
{
    nr_ranges = 0;
    for (unsigned int i = 0; i < dt->nr_mem; i++) {
        paddr_t s = (dt->mem[i].base + PAGE_SIZE - 1) & ~(paddr_t)(PAGE_SIZE - 1);
        paddr_t e = (dt->mem[i].base + dt->mem[i].size) & ~(paddr_t)(PAGE_SIZE - 1);

        if (e > s)
            insert_at(nr_ranges, s, e);
    }
}

void guest_ram_reserve(paddr_t start, uint64_t size)
{
    paddr_t s = start & ~(paddr_t)(PAGE_SIZE - 1);
    paddr_t e = start + size < start ? ~(paddr_t)0 : start + size;

    if (size == 0)
        return;
    e = (e + PAGE_SIZE - 1) & ~(paddr_t)(PAGE_SIZE - 1);
    if (e == 0) /* rounded past the top of the address space */
        e = ~(paddr_t)(PAGE_SIZE - 1);
    /* Each step removes, trims or splits one range: at most 2 * GUEST_RAM_RANGES steps. */
    for (unsigned int i = 0; i < nr_ranges;) {
        paddr_t rs = ranges[i].start, re = ranges[i].end;

        if (e <= rs || s >= re) {
            i++;
        } else if (s <= rs && e >= re) {
            remove_at(i);
        } else if (s <= rs) {
            ranges[i].start = e;
            i++;
        } else if (e >= re) {
            ranges[i].end = s;
            i++;
        } else {
            ranges[i].end = s;
            insert_at(i + 1, e, re);
            i += 2;
        }
    }
}

paddr_t guest_ram_alloc(uint64_t size, uint64_t align)
{
    paddr_t best = 0;

    if (size == 0 || (size & (PAGE_SIZE - 1)) != 0 || align < PAGE_SIZE ||
        (align & (align - 1)) != 0)
        return 0;
    /* The highest fit over all ranges (the DT need not list its banks in order). */
    for (unsigned int i = 0; i < nr_ranges; i++) {
        paddr_t start;

        if (ranges[i].end - ranges[i].start < size)
            continue;
        start = (ranges[i].end - size) & ~(paddr_t)(align - 1);
        if (start >= ranges[i].start && start > best)
            best = start;
    }
    if (best != 0)
        guest_ram_reserve(best, size);
    return best;
}

uint64_t guest_ram_free_bytes(void)
{
    uint64_t total = 0;

    for (unsigned int i = 0; i < nr_ranges; i++)
        total += ranges[i].end - ranges[i].start;
    return total;
}
