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
 * PAR_EL1 belongs to the guest while its context is loaded: put back what it held.
 */
static bool gva_to_ipa(uint64_t gva, bool write, uint64_t *ipa)
{
    unsigned long flags = arch_local_irq_save();
    uint64_t saved = READ_SYSREG(par_el1), par;

    if (write)
        __asm__ __volatile__("at s1e1w, %0" ::"r"(gva) : "memory");
    else
        __asm__ __volatile__("at s1e1r, %0" ::"r"(gva) : "memory");
    isb();
    par = READ_SYSREG(par_el1);
    WRITE_SYSREG(saved, par_el1);
    arch_local_irq_restore(flags);
    if (par & PAR_F)
        return false;
    *ipa = (par & PAR_PA_MASK) | (gva & (PAGE_SIZE - 1));
    return true;
}

void *arch_guest_va_to_ptr(struct domain *d, gpaddr_t va, size_t len, bool write)
{
    uint64_t ipa;
    p2m_type_t t;
    paddr_t pa;

    (void)len; /* within one page, and a page is RAM or not as a whole */
    if (!is_loaded(d) || !gva_to_ipa(va, write, &ipa))
        return NULL;
    pa = p2m_lookup(d, ipa, &t);
    if (t != P2M_RAM_RW)
        return NULL;
    return (void *)pa;
}

void *arch_map_guest_frame(struct domain *d, gfn_t gfn)
{
    p2m_type_t t;
    paddr_t pa;

    if (d == NULL || d->arch == NULL || gfn >= (1ull << (64 - PAGE_SHIFT)))
        return NULL;
    pa = p2m_lookup(d, gfn << PAGE_SHIFT, &t);
    /* Only the domain's own RAM: never MMIO, never a hypervisor page mapped into it. */
    if (t != P2M_RAM_RW)
        return NULL;
    return (void *)pa;
}

void arch_unmap_guest_frame(struct domain *d, void *va)
{
    /* The identity map of host RAM stays; the domain's RAM lives as long as it does. */
    (void)d;
    (void)va;
}

int arch_guest_physmap_add_page(struct domain *d, gfn_t gfn, void *page)
{
    const struct arm_domain *ad;
    uint64_t gpa;

    if (d == NULL || d->arch == NULL || page == NULL || ((uintptr_t)page & (PAGE_SIZE - 1)) != 0 ||
        gfn >= (1ull << (64 - PAGE_SHIFT)))
        return -EINVAL;
    ad = arm_domain(d);
    gpa = gfn << PAGE_SHIFT;
    /* Over its RAM (Linux puts shared_info there) or in the grant-table window. */
    if (!(gpa >= ad->ram_base && gpa - ad->ram_base < ad->ram_size) &&
        !(gpa >= GUEST_GNTTAB_BASE && gpa - GUEST_GNTTAB_BASE < GUEST_GNTTAB_SIZE))
        return -EINVAL;
    return p2m_map(d, gpa, (paddr_t)page, PAGE_SIZE, P2M_HYP_PAGE);
}
