/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Emulated MMIO: a stage-2 translation fault at an address a domain has a handler for.
 *
 * The syndrome (ESR_EL2.ISS with ISV = 1) already describes the access: size, register,
 * sign extension, direction. We never fetch and decode the guest's instruction; an access
 * without a valid syndrome (load/store pair, writeback forms) is not emulated and the guest
 * gets a data abort, as Xen does for such accesses to emulated devices.
 */
#include <asm/domain.h>
#include <asm/guest_insn.h>
#include <asm/setup.h>
#include <asm/vcpu.h>
#include <xen/errno.h>

/* ESR_EL2.ISS of a data abort (Arm ARM D17.2.40). */
#define ISS_ISV        (1u << 24)
#define ISS_SAS_SHIFT  22
#define ISS_SSE        (1u << 21)
#define ISS_SRT_SHIFT  16
#define ISS_SF         (1u << 15)
#define ISS_CM         (1u << 8)
#define ISS_S1PTW      (1u << 7)
#define ISS_WNR        (1u << 6)
#define ISS_DFSC_MASK  0x3fu
#define DFSC_TRANS_ANY 0x04u /* 0b0001LL: translation fault, level LL */

int mmio_register(struct domain *d, uint64_t base, uint64_t size, mmio_handler_t fn, void *priv)
{
    struct arm_domain *ad = arm_domain(d);

    if (ad == NULL || fn == NULL || size == 0 || base + size < base)
        return -EINVAL;
    for (unsigned int i = 0; i < ad->nr_mmio; i++) {
        const struct mmio_region *r = &ad->mmio[i];

        if (base < r->base + r->size && r->base < base + size)
            return -EEXIST;
    }
    if (ad->nr_mmio == MMIO_MAX_REGIONS)
        return -ENOSPC;
    ad->mmio[ad->nr_mmio] = (struct mmio_region){base, size, fn, priv};
    ad->nr_mmio++;
    return 0;
}

static const struct mmio_region *find_region(const struct arm_domain *ad, uint64_t gpa)
{
    for (unsigned int i = 0; i < ad->nr_mmio; i++) {
        if (gpa - ad->mmio[i].base < ad->mmio[i].size)
            return &ad->mmio[i];
    }
    return NULL;
}

void arm_mmio_abort(struct vcpu *v, struct cpu_regs *regs, uint32_t esr)
{
    const struct arm_domain *ad = arm_domain(v->domain);
    uint64_t far = READ_SYSREG(far_el2);
    uint32_t iss = esr & ESR_ISS_MASK;
    const struct mmio_region *r;
    struct mmio_access a;
    unsigned int rt;

    if ((iss & ISS_CM) != 0) {
        /* Cache maintenance by VA on an unbacked address: nothing to maintain. */
        arm_skip_insn(regs, esr);
        return;
    }
    if ((iss & ISS_ISV) == 0 || (iss & ISS_S1PTW) != 0 ||
        (iss & ISS_DFSC_MASK & ~3u) != DFSC_TRANS_ANY) {
        arm_inject_dabt(regs, far);
        return;
    }
    /* HPFAR_EL2.FIPA (bits [43:4]) holds IPA[51:12]; the page offset comes from FAR. */
    a.gpa = (READ_SYSREG(hpfar_el2) & 0xfffffffffff0ull) << 8 | (far & 0xfff);
    r = find_region(ad, a.gpa);
    if (r == NULL) {
        arm_inject_dabt(regs, far);
        return;
    }
    a.offset = a.gpa - r->base;
    a.size = 1u << ((iss >> ISS_SAS_SHIFT) & 3);
    a.write = (iss & ISS_WNR) != 0;
    rt = (iss >> ISS_SRT_SHIFT) & 0x1f;
    a.data = 0;
    if (a.write && rt != 31) {
        a.data = regs->x[rt];
        if (a.size < 8)
            a.data &= (1ull << (a.size * 8)) - 1;
    }
    if (!r->fn(v, &a, r->priv)) {
        arm_inject_dabt(regs, far);
        return;
    }
    if (!a.write && rt != 31) {
        uint64_t val = a.data;

        if (a.size < 8) {
            unsigned int bits = a.size * 8;

            val &= (1ull << bits) - 1;
            if ((iss & ISS_SSE) && (val >> (bits - 1)) != 0)
                val |= ~0ull << bits;
        }
        if ((iss & ISS_SF) == 0)
            val &= 0xffffffffull; /* a W register: the upper half reads as zero */
        regs->x[rt] = val;
    }
    arm_skip_insn(regs, esr);
}
