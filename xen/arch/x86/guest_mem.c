/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest memory for common code (<xen/arch_hooks.h>): frames by gfn, and hypercall
 * arguments by the calling vCPU's virtual address, walked through its own page tables
 * (none, 32-bit, PAE or 4-level, as its CR0/CR4/EFER say) and then the domain's nested
 * tables. Every table the walk reads is itself a guest-physical page that must be the
 * domain's RAM; the walk has at most four steps.
 */
#include <asm/vcpu.h>
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>

#define CR4_PSE BIT(4)

/*
 * Host pointer to the RAM byte at gpa of d, or NULL unless the nested tables map one of
 * d's own RAM frames there: a frame may have been given back (decrease_reservation),
 * populated at another gfn, or covered by shared_info or a grant mapping, so the tables
 * and not gpa's place in the block say which frame it is.
 */
static void *ram_ptr(struct domain *d, uint64_t gpa)
{
    struct x86_domain *xd = x86_dom(d);
    paddr_t hpa;

    /* RAM is only ever mapped below ram_size (arch_guest_physmap_set). */
    if (xd == NULL || gpa >= xd->ram_size ||
        npt_query(d, gpa & ~(uint64_t)(PAGE_SIZE - 1), &hpa) != PHYSMAP_RAM || hpa < xd->ram_pa ||
        hpa - xd->ram_pa >= xd->ram_size)
        return NULL;
    return xd->ram + (hpa - xd->ram_pa) + (gpa & (PAGE_SIZE - 1));
}

static bool read_entry(struct domain *d, uint64_t gpa, bool wide, uint64_t *e)
{
    void *p = ram_ptr(d, gpa);

    if (p == NULL || (wide && (gpa & 7)) || (!wide && (gpa & 3)))
        return false;
    *e = wide ? *(volatile uint64_t *)p : *(volatile uint32_t *)p;
    return true;
}

/*
 * A crash report's line: built whole and printed once, so that another CPU's console
 * output (a guest's TAP line) cannot land in the middle of it.
 */
struct walk_report {
    char line[320];
    size_t len;
};

static void report_add(struct walk_report *r, const char *fmt, unsigned long long a,
                       unsigned long long b)
{
    if (r->len < sizeof(r->line))
        r->len += (size_t)xen_snprintf(r->line + r->len, sizeof(r->line) - r->len, fmt, a, b);
    r->len = MIN(r->len, sizeof(r->line) - 1);
}

/* read_entry(); when reporting, also the entry and where the NPT puts its page if not RAM. */
static bool walk_entry(struct domain *d, uint64_t gpa, bool wide, uint64_t *e,
                       struct walk_report *report)
{
    bool ok = read_entry(d, gpa, wide, e);

    if (report != NULL) {
        paddr_t hpa = npt_lookup(d, gpa, NULL);

        report_add(report, ok ? " [%llx]=%llx" : " [%llx: not RAM]", gpa, *e);
        if (ok && hpa != x86_dom(d)->ram_pa + gpa)
            report_add(report, " (NPT: %llx)", hpa, 0); /* replaced or unmapped */
    }
    return ok;
}

static int walk(struct vcpu *v, uint64_t va, uint64_t *gpa, struct walk_report *report)
{
    struct domain *d = v->domain;
    struct hvm_paging p;
    uint64_t e = 0, table;
    int levels;

    hvm->get_paging(v, &p);
    if (!(p.cr0 & CR0_PG)) {
        *gpa = va & 0xffffffffull;
        return 0;
    }
    if (!(p.cr4 & CR4_PAE)) {
        /* 32-bit paging: two levels of 4-byte entries, 4 MiB pages with PSE. */
        if (!walk_entry(d, (p.cr3 & 0xfffff000) + ((va >> 22) & 0x3ff) * 4, false, &e, report) ||
            !(e & PTE_P))
            return -EFAULT;
        if ((e & PTE_PS) && (p.cr4 & CR4_PSE)) {
            *gpa = (e & 0xffc00000) | (va & 0x3fffff);
            return 0;
        }
        if (!walk_entry(d, (e & 0xfffff000) + ((va >> 12) & 0x3ff) * 4, false, &e, report) ||
            !(e & PTE_P))
            return -EFAULT;
        *gpa = (e & 0xfffff000) | (va & 0xfff);
        return 0;
    }
    if (p.efer & EFER_LMA) {
        levels = 4;
        table = p.cr3 & PTE_ADDR;
    } else {
        /* PAE: CR3 points at four 8-byte PDPTEs. */
        if (!walk_entry(d, (p.cr3 & 0xffffffe0) + ((va >> 30) & 3) * 8, true, &e, report) ||
            !(e & PTE_P))
            return -EFAULT;
        levels = 2;
        table = e & PTE_ADDR;
        va &= 0xffffffffull;
    }
    for (int level = levels - 1; level >= 0; level--) {
        unsigned int shift = 12 + 9 * (unsigned int)level;

        if (!walk_entry(d, table + ((va >> shift) & 511) * 8, true, &e, report) || !(e & PTE_P))
            return -EFAULT;
        if (level > 0 && level < 3 && (e & PTE_PS)) {
            uint64_t size = 1ull << shift;

            *gpa = (e & PTE_ADDR & ~(size - 1)) | (va & (size - 1));
            return 0;
        }
        table = e & PTE_ADDR;
    }
    *gpa = table | (va & 0xfff);
    return 0;
}

int guest_va_to_gpa(struct vcpu *v, uint64_t va, uint64_t *gpa)
{
    return walk(v, va, gpa, NULL);
}

void x86_dump_guest_walk(struct vcpu *v, uint64_t va)
{
    struct walk_report r = {.len = 0};
    uint64_t gpa = 0;

    report_add(&r, "  walk %llx:", va, 0);
    if (walk(v, va, &gpa, &r) == 0)
        report_add(&r, " -> %llx (NPT: %llx)", gpa, npt_lookup(v->domain, gpa, NULL));
    else
        report_add(&r, " -> not mapped", 0, 0);
    printk("%s\n", r.line);
}

void *arch_guest_va_to_ptr(struct domain *d, gpaddr_t va, size_t len, bool write)
{
    struct vcpu *v = sched_current();
    uint64_t gpa;

    (void)write; /* the walk checks presence only: all of d's RAM is d's to write */
    if (v == NULL || v->domain != d || guest_va_to_gpa(v, va, &gpa) != 0 ||
        ram_ptr(d, gpa + len - 1) == NULL)
        return NULL;
    return ram_ptr(d, gpa);
}

void *arch_map_guest_frame(struct domain *d, gfn_t gfn)
{
    /* Only RAM that is still mapped as RAM: not a frame given back or covered. */
    if (gfn >= (1ull << (52 - PAGE_SHIFT)))
        return NULL;
    return ram_ptr(d, gfn << PAGE_SHIFT);
}

void arch_unmap_guest_frame(struct domain *d, void *va)
{
    (void)d;
    (void)va; /* the identity map keeps every frame mapped */
}

/*
 * The guest-physical map hooks: d's RAM is one contiguous host block, frame i at host
 * ram_pa + i pages, placed at gfn i when it was built; its nested tables (npt.c) say
 * what is at each gfn now. A page is named by its identity-mapped address
 * (phys_to_virt), so the same frame always has the same pointer whichever domain's map
 * it is found in (a grant mapping is compared with the frame the grant named).
 */
uint64_t arch_guest_ram_frames(const struct domain *d)
{
    return d == NULL || x86_dom(d) == NULL ? 0 : x86_dom(d)->ram_size >> PAGE_SHIFT;
}

gfn_t arch_guest_ram_first_gfn(const struct domain *d)
{
    (void)d;
    return 0;
}

bool arch_domain_direct_mapped(const struct domain *d)
{
    (void)d;
    return false; /* nested paging maps every domain's RAM from guest address 0 */
}

void *arch_guest_ram_frame(struct domain *d, uint64_t idx)
{
    if (idx >= arch_guest_ram_frames(d))
        return NULL;
    return phys_to_virt(x86_dom(d)->ram_pa + (idx << PAGE_SHIFT));
}

int64_t arch_guest_ram_index(const struct domain *d, const void *page)
{
    paddr_t pa = virt_to_phys(page);

    if (d == NULL || x86_dom(d) == NULL || pa < x86_dom(d)->ram_pa ||
        pa - x86_dom(d)->ram_pa >= x86_dom(d)->ram_size || (pa & (PAGE_SIZE - 1)) != 0)
        return -1;
    return (int64_t)((pa - x86_dom(d)->ram_pa) >> PAGE_SHIFT);
}

uint64_t arch_page_maddr(const void *page)
{
    return virt_to_phys(page);
}

/* The gfns a guest may change: its RAM and the window above it (asm/domain.h). */
static bool in_map(const struct x86_domain *xd, gfn_t gfn)
{
    return gfn < (xd->ram_size + PHYSMAP_WINDOW_BYTES) >> PAGE_SHIFT;
}

enum physmap_type arch_guest_physmap_query(struct domain *d, gfn_t gfn, void **page)
{
    enum physmap_type t;
    paddr_t hpa;

    *page = NULL;
    if (d == NULL || x86_dom(d) == NULL || !in_map(x86_dom(d), gfn))
        return PHYSMAP_NONE; /* nothing can be mapped there */
    t = npt_query(d, gfn << PAGE_SHIFT, &hpa);
    if (t == PHYSMAP_NONE)
        return t;
    *page = phys_to_virt(hpa);
    /* Only its own frames are RAM (the leaf says RAM only for those: checked anyway). */
    if (t == PHYSMAP_RAM && arch_guest_ram_index(d, *page) < 0)
        t = PHYSMAP_OTHER;
    if (t == PHYSMAP_OTHER)
        *page = NULL;
    return t;
}

int arch_guest_physmap_set(struct domain *d, gfn_t gfn, void *page, enum physmap_type t)
{
    const struct x86_domain *xd = d != NULL ? x86_dom(d) : NULL;

    if (xd == NULL || page == NULL || ((uintptr_t)page & (PAGE_SIZE - 1)) != 0 || !in_map(xd, gfn))
        return -EINVAL;
    switch (t) {
    case PHYSMAP_RAM:
        /* Its own frames, inside its RAM range (ram_ptr relies on it). */
        if (gfn >= arch_guest_ram_frames(d) || arch_guest_ram_index(d, page) < 0)
            return -EINVAL;
        break;
    case PHYSMAP_HYP_PAGE:
    case PHYSMAP_GRANT_RW:
    case PHYSMAP_GRANT_RO:
        /* Over its RAM or in the window: Linux maps grants at ballooned-out RAM gfns or
         * at unpopulated ranges above its RAM. */
        break;
    default:
        return -EINVAL;
    }
    return npt_set(d, gfn << PAGE_SHIFT, virt_to_phys(page), t);
}

int arch_guest_physmap_clear(struct domain *d, gfn_t gfn)
{
    if (d == NULL || x86_dom(d) == NULL || !in_map(x86_dom(d), gfn))
        return -EINVAL;
    return npt_clear(d, gfn << PAGE_SHIFT);
}
