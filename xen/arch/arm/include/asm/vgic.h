/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtual GIC (vgic.c: common to v2 and v3; vgic_v2.c / vgic_v3.c: the distributor,
 * redistributor and list-register back ends, chosen at run time from the host GIC).
 *
 * Interrupts are virtual INTIDs of one vCPU: SGIs 0-15, PPIs 16-31 (31 is the event
 * upcall, 27 the virtual timer), SPIs 32+ (only the vPL011's so far). A pending interrupt
 * reaches the guest through a list register; when a vCPU has more pending than it has
 * list registers, the rest wait on a spill list ordered by priority and the maintenance
 * interrupt (underflow) brings them in as list registers free up.
 */
#ifndef MINIXEN_ARM_ASM_VGIC_H
#define MINIXEN_ARM_ASM_VGIC_H

#include <asm/arm64.h>
#include <xen/domain.h>

struct vgic_domain; /* behind struct arm_domain.vgic */
struct vgic_vcpu;   /* behind struct arm_vcpu.vgic */

/* Per host: probe list registers (after gic_init). */
void vgic_init(void);

/*
 * Domain set-up: emulated distributor (+ redistributors for v3) registered with mmio.h
 * at the guest_memmap.h addresses, and for v2 the host GICV mapped at GUEST_GICC_BASE.
 */
int vgic_domain_init(struct domain *d);
void vgic_domain_destroy(struct domain *d);
int vgic_vcpu_init(struct vcpu *v);

/*
 * SPI intid of d stands for a host interrupt (host_spis.c): list registers holding it ask
 * for a maintenance interrupt when the guest ends it, and the vGIC then calls
 * host_spi_guest_eoi(). -ENOSPC for an INTID past the vGIC's SPIs.
 */
int vgic_bind_hw_spi(struct domain *d, unsigned int intid);

/* Make intid pending for v (edge semantics), then vcpu_wake(v). Any CPU, any context. */
void vgic_inject_irq(struct vcpu *v, unsigned int intid);
/* The same without the wake-up: returns the vCPU to wake (it is enabled there), or NULL. */
struct vcpu *vgic_mark_irq(struct vcpu *v, unsigned int intid);

/*
 * The fast way for PPI intid of v when v is the vCPU whose list registers
 * this CPU holds (inside one of its traps, interrupts masked): straight into a list
 * register, so that the exit has nothing to flush and no reason to ask the scheduler.
 * False when that is not simple (see vgic.c): then mark it pending the ordinary way.
 */
bool vgic_raise_here(struct vcpu *v, unsigned int intid);

/*
 * On the way into v (interrupts masked, v's context loaded): re-check the upcall (PPI 31
 * pending while vcpu_info.evtchn_upcall_pending is set), move pending interrupts into the
 * list registers, spill the rest, arm the underflow maintenance interrupt if any spilled.
 */
void vgic_flush(struct vcpu *v);

/* On the way out of v: read list registers back (what the guest acked / ended). */
void vgic_sync(struct vcpu *v);

/*
 * Exit fast path (R): true if vgic_sync(v) + vgic_flush(v) may both be skipped on this exit
 * because nothing has been injected into v since its last flush, and its event upcall is
 * either not pending or waiting in a list register the guest has not taken yet. What the
 * guest EOIed meanwhile is read back on the next exit that does sync.
 */
bool vgic_exit_quiet(struct vcpu *v);

/* Context switch: save/restore the virtual CPU interface (ICH_* / GICH state). */
void vgic_save(struct vcpu *v);
void vgic_restore(struct vcpu *v);

/* Is an enabled interrupt pending for v (ends WFI and SCHEDOP_block)? */
bool vgic_vcpu_pending(struct vcpu *v);

/* The maintenance interrupt fired on this CPU (called from gic_handle_irq). */
void vgic_maintenance_interrupt(unsigned int intid);

/*
 * A trapped system-register access of the guest that belongs to the vGIC (GICv3
 * ICC_SGI1R_EL1 etc.; ESR ISS of EC 0x18). true if handled (*val read/written).
 */
bool vgic_emulate_sysreg(struct vcpu *v, uint32_t iss, uint64_t *val);
/* The GICv3 SGI registers it emulates (an AArch32 kernel's MCRR maps onto these). */
#define ISS_ICC_SGI1R_EL1  ISS_SYSREG(3, 0, 12, 11, 5)
#define ISS_ICC_ASGI1R_EL1 ISS_SYSREG(3, 0, 12, 11, 6)
#define ISS_ICC_SGI0R_EL1  ISS_SYSREG(3, 0, 12, 11, 7)

/* What the guest DT describes (guest_dt.c). */
struct vgic_dt_info {
    unsigned int version; /* 2 or 3 */
    uint64_t dist_base, dist_size;
    uint64_t cpu_base, cpu_size; /* v2: GICC; v3: the redistributor region */
    uint32_t maint_ppi;          /* not given to guests; for completeness */
};
void vgic_dt_info(const struct domain *d, struct vgic_dt_info *info);

/*
 * One guest-visible GIC version's emulation (vgic_v2.c, vgic_v3.c), chosen by the host's
 * GIC back end (struct gic_hw_ops.vgic): the core (vgic.c) asks it instead of testing a
 * version number.
 */
struct vgic_ops {
    unsigned int version; /* 2 or 3: what the guest's DT says */
    uint32_t max_vcpus;   /* vCPUs its interrupt routing can name */
    bool group1;          /* list-register entries are group 1 (v3) or group 0 (v2) */
    /* The domain's distributor and CPU-interface (v3: redistributor) frames, as MMIO. */
    int (*domain_init)(struct domain *d);
    /* Where those frames are, for the guest's DT. */
    void (*dt_info)(const struct domain *d, struct vgic_dt_info *info);
};

extern const struct vgic_ops vgic_v2_ops;
extern const struct vgic_ops vgic_v3_ops;

#endif
