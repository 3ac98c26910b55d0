/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stage-2 translation of a domain: guest physical (IPA) -> host physical (p2m.c).
 * 4 KiB granule, 40-bit IPA, concatenation-free 3-level walk from a 4 KiB root (or as
 * the implementation documents), 2 MiB blocks where the range allows. Each domain has
 * its own VMID, so switching domains needs no TLB flush.
 */
#ifndef MINIXEN_ARM_ASM_P2M_H
#define MINIXEN_ARM_ASM_P2M_H

#include <asm/arm64.h>
#include <xen/domain.h>

typedef enum {
    P2M_INVALID = 0,
    P2M_RAM_RW,   /* normal memory, guest read/write/execute */
    P2M_RAM_RO,   /* normal memory, read-only (e.g. a DTB) */
    P2M_MMIO_DEV, /* device memory passed through (GICV for the GICv2 CPU interface) */
    P2M_HYP_PAGE, /* a hypervisor page shared with the guest (shared_info, grant frames) */
    P2M_GRANT_RW, /* another domain's frame mapped by grant, read/write, never executable */
    P2M_GRANT_RO, /* ... read-only */
} p2m_type_t;

struct p2m; /* behind struct arm_domain.p2m */

#define P2M_IPA_BITS  39 /* guest physical addresses below 512 GiB (p2m.c) */
#define P2M_IPA_LIMIT (1ull << P2M_IPA_BITS)

/* Per-CPU stage-2 controls (VTCR_EL2); every CPU before it runs a guest. */
void p2m_init_cpu(void);

int p2m_domain_init(struct domain *d);     /* root table + VMID */
void p2m_domain_destroy(struct domain *d); /* frees tables, flushes the VMID's TLB */

/* Map [gpa, gpa + size) to [pa, pa + size) (page aligned). 0, -EINVAL, -ENOMEM. */
int p2m_map(struct domain *d, uint64_t gpa, paddr_t pa, uint64_t size, p2m_type_t t);
int p2m_unmap(struct domain *d, uint64_t gpa, uint64_t size);

/* Host address of gpa (keeps the page offset) and its type; P2M_INVALID if unmapped. */
paddr_t p2m_lookup(struct domain *d, uint64_t gpa, p2m_type_t *t);

/* VTTBR_EL2 value for d (root table | VMID << 48): loaded when d's vCPU runs. */
uint64_t p2m_vttbr(const struct domain *d);

/* Changes with every change to any p2m (see p2m.c): a cache of lookups checks it. */
uint64_t p2m_generation(void);

#endif
