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

/* Host pointer to the RAM byte at gpa of d, or NULL if gpa is not d's RAM. */
static void *ram_ptr(struct domain *d, uint64_t gpa)
{
    struct x86_domain *xd = x86_dom(d);

    if (xd == NULL || gpa >= xd->ram_size)
        return NULL;
    return xd->ram + gpa;
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
    bool writable = false; /* npt_lookup leaves it unset for an unmapped gpa */
    paddr_t hpa;
    uint64_t gpa = gfn << PAGE_SHIFT;

    /* Only RAM that is still mapped as RAM: not a frame replaced by shared_info. */
    if (gfn >= (1ull << (52 - PAGE_SHIFT)) || ram_ptr(d, gpa) == NULL)
        return NULL;
    hpa = npt_lookup(d, gpa, &writable);
    if (hpa != x86_dom(d)->ram_pa + gpa || !writable)
        return NULL;
    return ram_ptr(d, gpa);
}

void arch_unmap_guest_frame(struct domain *d, void *va)
{
    (void)d;
    (void)va; /* the identity map keeps every frame mapped */
}

/*
 * The guest-physical map hooks: this port builds a domain's RAM map once and copies
 * through it directly (ram_ptr), so it offers no RAM changes (0 frames: ballooning and
 * grant mappings are -ENOSYS here) and only places hypervisor pages.
 */
uint64_t arch_guest_ram_frames(const struct domain *d)
{
    (void)d;
    return 0;
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
    (void)d;
    (void)idx;
    return NULL;
}

int64_t arch_guest_ram_index(const struct domain *d, const void *page)
{
    (void)d;
    (void)page;
    return -1;
}

uint64_t arch_page_maddr(const void *page)
{
    return virt_to_phys(page);
}

enum physmap_type arch_guest_physmap_query(struct domain *d, gfn_t gfn, void **page)
{
    (void)d;
    (void)gfn;
    *page = NULL;
    return PHYSMAP_OTHER; /* never asked: only the RAM and grant ops look, and they are off */
}

int arch_guest_physmap_set(struct domain *d, gfn_t gfn, void *page, enum physmap_type t)
{
    const struct x86_domain *xd = x86_dom(d);

    /* Its RAM and the window above it (asm/domain.h); nothing a guest names beyond. */
    if (xd == NULL || t != PHYSMAP_HYP_PAGE ||
        gfn >= (xd->ram_size + PHYSMAP_WINDOW_BYTES) >> PAGE_SHIFT)
        return -EINVAL;
    return npt_map(d, gfn << PAGE_SHIFT, virt_to_phys(page), PAGE_SIZE);
}

int arch_guest_physmap_clear(struct domain *d, gfn_t gfn)
{
    (void)d;
    (void)gfn;
    return -EINVAL;
}
