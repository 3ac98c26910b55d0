/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Emulated MMIO regions of a domain (mmio.c). A stage-2 data abort at an unmapped guest
 * address with a valid syndrome (ESR.ISV) is decoded into an mmio_access and handed to the
 * handler registered for that range; no handler, or a handler saying no, injects a data
 * abort into the guest.
 */
#ifndef MINIXEN_ARM_ASM_MMIO_H
#define MINIXEN_ARM_ASM_MMIO_H

#include <asm/arm64.h>
#include <xen/domain.h>

struct mmio_access {
    uint64_t gpa;      /* guest physical address accessed */
    uint64_t offset;   /* gpa - region base */
    unsigned int size; /* bytes: 1, 2, 4 or 8 */
    bool write;
    uint64_t data; /* write: the value; read: the handler stores the result */
};

/* true: handled (data filled for reads); false: the guest gets a data abort. */
typedef bool (*mmio_handler_t)(struct vcpu *v, struct mmio_access *a, void *priv);

/* Register [base, base + size) of d. At most MMIO_MAX_REGIONS per domain. */
#define MMIO_MAX_REGIONS 8
int mmio_register(struct domain *d, uint64_t base, uint64_t size, mmio_handler_t fn, void *priv);

/*
 * Data abort from the running guest (ESR_EL2 EC 0x24; called by traps.c): emulate the
 * access through the domain's handler and step over the instruction, or inject a data
 * abort. regs is the guest frame.
 */
void arm_mmio_abort(struct vcpu *v, struct cpu_regs *regs, uint32_t esr);

#endif
