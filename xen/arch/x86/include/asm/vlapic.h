/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The minimal virtual local APIC of a PVH vCPU (vlapic.c), reached through the x2APIC
 * MSRs (0x800-0x83f and IA32_TSC_DEADLINE) or the xAPIC page (mmio.c): IRR/ISR with
 * priority classes, TPR, EOI, the timer (one-shot, periodic, TSC-deadline), fixed IPIs
 * between the domain's vCPUs. It carries the per-vCPU upcall vector
 * (HVMOP_set_evtchn_upcall_vector), which needs an EOI, unlike the global callback vector of
 * HVM_PARAM_CALLBACK_IRQ, which bypasses it.
 */
#ifndef MINIXEN_X86_ASM_VLAPIC_H
#define MINIXEN_X86_ASM_VLAPIC_H

#include <xen/types.h>

struct vcpu;

struct vlapic {
    uint32_t irr[8]; /* requested; set from any CPU with atomic ORs */
    uint32_t isr[8]; /* in service; only the vCPU's own CPU touches it */
    uint32_t tpr, svr, esr;
    uint32_t ldr, dfr;          /* xAPIC mode's logical destination (x2APIC derives it) */
    uint32_t icr_low, icr_high; /* xAPIC mode's two ICR halves, as last written */
    uint32_t lvt_timer, lvt[6]; /* thermal, perf, LINT0, LINT1, error, CMCI: stored only */
    uint32_t timer_initial, timer_divide_reg;
    uint64_t timer_period_ns;   /* one-shot / periodic: the programmed interval */
    uint64_t timer_deadline_ns; /* armed timer, arch_now_ns time (0: none) */
    uint64_t timer_parked_ns;   /* periodic timer stopped while its vCPU is away: next due */
    uint64_t tsc_deadline;      /* IA32_TSC_DEADLINE as the guest wrote it */
    uint64_t apic_base;         /* IA32_APIC_BASE */
};

void vlapic_init(struct vcpu *v);
/* v's domain reboots (v runs nowhere): the reset state of vlapic_init, timer stopped first. */
void vlapic_reset(struct vcpu *v);

/* Guest MSR access in 0x800-0x8ff, IA32_TSC_DEADLINE, IA32_APIC_BASE. False: #GP. */
bool vlapic_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val);
bool vlapic_msr_write(struct vcpu *v, uint32_t msr, uint64_t val);

/* A guest access to gpa through v's xAPIC page: false if gpa is not in it, or the page is
 * not there (APIC disabled or in x2APIC mode); true when served (a refused write vanishes). */
bool vlapic_mmio_read(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t *val);
bool vlapic_mmio_write(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t val);

/* Request vector for v (edge, fixed) and wake it; any CPU. Vectors below 16 are dropped. */
void vlapic_set_irq(struct vcpu *v, uint8_t vector);
/* The same without the wake-up: true if the vector was requested (v should be woken). */
bool vlapic_mark_irq(struct vcpu *v, uint8_t vector);

/* The vector the guest would take now (above ISR's and TPR's class), or -1. */
int vlapic_pending(struct vcpu *v);
/* The guest is taking `vector` (from vlapic_pending): IRR -> ISR. */
void vlapic_accept(struct vcpu *v, uint8_t vector);

/* v's timer passed its deadline (time.c, on v's CPU): raise its LVT vector. */
void vlapic_timer_expired(struct vcpu *v, uint64_t now_ns);
/* v is about to run on its CPU: restart a periodic timer parked while it was away. */
void vlapic_timer_resume(struct vcpu *v);

#endif
