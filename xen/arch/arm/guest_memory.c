/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest-memory hooks of <xen/arch_hooks.h> on ARM.
 *
 * Hypercall arguments are guest *virtual* addresses (as on Xen): the calling vCPU's own
 * stage-1 tables are live on this CPU while its hypercall runs, so the hardware walks
 * them (AT S1E1R / S1E1W from EL2 yields the IPA, or a fault, in PAR_EL1), and our p2m
 * turns the IPA into a host address, accepting only the domain's ordinary RAM. EL2 maps
 * all host RAM one to one (mm.c), so a host address is directly usable.
 */
#include <asm/domain.h>
#include <asm/guest_memmap.h>
#include <asm/p2m.h>
#include <asm/vcpu.h>
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/lib.h>

#define PAR_F       (1ull << 0)
#define PAR_PA_MASK 0x0000fffffffff000ull

/* Is d the domain whose stage-2 (and so whose vCPU's EL1 context) is loaded here? */
static bool is_loaded(const struct domain *d)
{
    return d->arch != NULL && arm_domain(d)->p2m != NULL && READ_SYSREG(vttbr_el2) == p2m_vttbr(d);
}

/*
 * Stage 1 of the running vCPU: guest VA -> IPA, checked for a read or a write at EL1.
 * PAR_EL1 belongs to the guest while its context is loaded: put back what it held. No
 * interrupt can come between the AT and the read: EL2 runs with IRQs masked throughout
 * (entry.S unmasks only SError).
 */
static bool gva_to_ipa(uint64_t gva, bool write, uint64_t *ipa)
{
    uint64_t saved = READ_SYSREG(par_el1), par;

    if (write)
        __asm__ __volatile__("at s1e1w, %0" ::"r"(gva) : "memory");
    else
        __asm__ __volatile__("at s1e1r, %0" ::"r"(gva) : "memory");
    isb();
    par = READ_SYSREG(par_el1);
    WRITE_SYSREG(saved, par_el1);
    if (par & PAR_F)
        return false;
    *ipa = (par & PAR_PA_MASK) | (gva & (PAGE_SIZE - 1));
    return true;
}

/*
 * The RAM page the calling vCPU's last hypercall argument was found in (struct arm_vcpu):
 * a vCPU's arguments sit in a few pages (its stack), and the p2m walk costs more than the
 * rest of a small call (an event send). Stage 1 is walked every time (the guest may change
 * its tables at any moment); only stage 2, which changes through us alone, is remembered,
 * under p2m_generation(): read before the walk, so a change that races the walk leaves the
 * entry stale at once. Only the domain's ordinary RAM is remembered, and only for the vCPU
 * this CPU runs (own: NULL for any other domain).
 */
static paddr_t ipa_to_ram(struct domain *d, struct arm_vcpu *own, uint64_t ipa)
{
    uint64_t gen = p2m_generation(), page = ipa & ~(uint64_t)(PAGE_SIZE - 1);
    p2m_type_t t;
    paddr_t pa;

    if (own != NULL && own->last_arg.ipa_page == page && own->last_arg.gen == gen)
        return own->last_arg.pa_page | (ipa & (PAGE_SIZE - 1));
    pa = p2m_lookup(d, ipa, &t);
    if (t != P2M_RAM_RW)
        return 0;
    if (own != NULL) {
        own->last_arg.gen = gen;
        own->last_arg.ipa_page = page;
        own->last_arg.pa_page = pa & ~(paddr_t)(PAGE_SIZE - 1);
    }
    return pa;
}

void *arch_guest_va_to_ptr(struct domain *d, gpaddr_t va, size_t len, bool write)
{
    struct vcpu *v = arm_current_vcpu();
    /*
     * The domain of the vCPU this CPU runs has its stage 2 loaded: switch_in() writes
     * VTTBR_EL2 right after making the vCPU current, before anything reads guest memory.
     * Any other domain only if its tables happen to be the loaded ones.
     */
    struct arm_vcpu *own = v != NULL && v->domain == d ? arm_vcpu(v) : NULL;
    uint64_t ipa;

    (void)len; /* within one page, and a page is RAM or not as a whole */
    if ((own == NULL && !is_loaded(d)) || !gva_to_ipa(va, write, &ipa))
        return NULL;
    return (void *)ipa_to_ram(d, own, ipa);
}

void *arch_map_guest_frame(struct domain *d, gfn_t gfn)
{
    void *page;

    /* Only the domain's own RAM: never MMIO, a hypervisor page or a grant mapping. */
    return arch_guest_physmap_query(d, gfn, &page) == PHYSMAP_RAM ? page : NULL;
}

void arch_unmap_guest_frame(struct domain *d, void *va)
{
    /* The identity map of host RAM stays; the domain's RAM lives as long as it does. */
    (void)d;
    (void)va;
}

/* ---- The guest-physical map (<xen/arch_hooks.h>): RAM is one contiguous host block ---- */

uint64_t arch_guest_ram_frames(const struct domain *d)
{
    return d == NULL || d->arch == NULL ? 0 : arm_domain(d)->ram_size >> PAGE_SHIFT;
}

/* No PV console ring on this port yet: a domU's console is the vPL011 (docs/console.md). */
gfn_t arch_pv_console_gfn(const struct domain *d)
{
    (void)d;
    return 0;
}

gfn_t arch_guest_ram_first_gfn(const struct domain *d)
{
    return d == NULL || d->arch == NULL ? 0 : arm_domain(d)->ram_base >> PAGE_SHIFT;
}

bool arch_domain_direct_mapped(const struct domain *d)
{
    return d != NULL && d->arch != NULL && arm_domain(d)->direct_map;
}

void *arch_guest_ram_frame(struct domain *d, uint64_t idx)
{
    if (idx >= arch_guest_ram_frames(d))
        return NULL;
    return (void *)(arm_domain(d)->ram_host + (idx << PAGE_SHIFT));
}

int64_t arch_guest_ram_index(const struct domain *d, const void *page)
{
    paddr_t pa = (paddr_t)page;

    if (d == NULL || d->arch == NULL || pa < arm_domain(d)->ram_host ||
        pa - arm_domain(d)->ram_host >= arm_domain(d)->ram_size || (pa & (PAGE_SIZE - 1)) != 0)
        return -1;
    return (int64_t)((pa - arm_domain(d)->ram_host) >> PAGE_SHIFT);
}

uint64_t arch_page_maddr(const void *page)
{
    return (uint64_t)(uintptr_t)page; /* EL2 maps host RAM one to one */
}

/* Guest frames a guest may change: its RAM range and the grant-table window. */
static bool in_ram(const struct arm_domain *ad, uint64_t gpa)
{
    return gpa >= ad->ram_base && gpa - ad->ram_base < ad->ram_size;
}

static bool in_gnttab_window(uint64_t gpa)
{
    return gpa >= GUEST_GNTTAB_BASE && gpa - GUEST_GNTTAB_BASE < GUEST_GNTTAB_SIZE;
}

enum physmap_type arch_guest_physmap_query(struct domain *d, gfn_t gfn, void **page)
{
    p2m_type_t t;
    paddr_t pa;

    if (d == NULL || d->arch == NULL || gfn >= (1ull << (64 - PAGE_SHIFT)))
        return PHYSMAP_NONE;
    pa = p2m_lookup(d, gfn << PAGE_SHIFT, &t);
    *page = (void *)pa;
    switch (t) {
    case P2M_INVALID:
        return PHYSMAP_NONE;
    case P2M_RAM_RW:
        /* Only its own RAM is RAM_RW: the boot image's RO pages and devices are OTHER. */
        return arch_guest_ram_index(d, (void *)pa) >= 0 ? PHYSMAP_RAM : PHYSMAP_OTHER;
    case P2M_HYP_PAGE:
        return PHYSMAP_HYP_PAGE;
    case P2M_GRANT_RW:
        return PHYSMAP_GRANT_RW;
    case P2M_GRANT_RO:
        return PHYSMAP_GRANT_RO;
    default:
        return PHYSMAP_OTHER;
    }
}

int arch_guest_physmap_set(struct domain *d, gfn_t gfn, void *page, enum physmap_type t)
{
    static const p2m_type_t p2m_type[] = {
        [PHYSMAP_RAM] = P2M_RAM_RW,
        [PHYSMAP_HYP_PAGE] = P2M_HYP_PAGE,
        [PHYSMAP_GRANT_RW] = P2M_GRANT_RW,
        [PHYSMAP_GRANT_RO] = P2M_GRANT_RO,
    };
    const struct arm_domain *ad;
    uint64_t gpa;

    if (d == NULL || d->arch == NULL || page == NULL || ((uintptr_t)page & (PAGE_SIZE - 1)) != 0 ||
        gfn >= (1ull << (64 - PAGE_SHIFT)) || (unsigned int)t >= ARRAY_SIZE(p2m_type) ||
        p2m_type[t] == P2M_INVALID)
        return -EINVAL;
    ad = arm_domain(d);
    gpa = gfn << PAGE_SHIFT;
    /* Over its RAM (Linux puts shared_info and grant mappings there), or hypervisor pages
     * in the grant-table window. */
    if (!in_ram(ad, gpa) && !(t == PHYSMAP_HYP_PAGE && in_gnttab_window(gpa)))
        return -EINVAL;
    return p2m_map(d, gpa, (paddr_t)page, PAGE_SIZE, p2m_type[t]);
}

int arch_guest_physmap_clear(struct domain *d, gfn_t gfn)
{
    uint64_t gpa = gfn << PAGE_SHIFT;

    if (d == NULL || d->arch == NULL || gfn >= (1ull << (64 - PAGE_SHIFT)) ||
        (!in_ram(arm_domain(d), gpa) && !in_gnttab_window(gpa)))
        return -EINVAL;
    return p2m_unmap(d, gpa, PAGE_SIZE);
}
