/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-vCPU register state that VMRUN does not switch (xstate.c): x87/SSE/AVX (FXSAVE or
 * XSAVE, with the guest's own XCR0) and the debug registers DR0-DR3. Switched eagerly by
 * the run loop whenever a CPU changes vCPU, so no vCPU ever sees another's registers.
 */
#ifndef MINIXEN_X86_ASM_XSTATE_H
#define MINIXEN_X86_ASM_XSTATE_H

#include <xen/types.h>

struct vcpu;

/* The XCR0 features minixen saves and offers guests: x87, SSE, AVX (where present). */
#define XSTATE_X87 BIT64(0)
#define XSTATE_SSE BIT64(1)
#define XSTATE_YMM BIT64(2)

struct x86_xstate {
    void *area;     /* FXSAVE (512 bytes) or XSAVE standard-format area, page-aligned */
    uint64_t xcr0;  /* the guest's XCR0 (XSAVE CPUs only) */
    uint64_t dr[4]; /* DR0-DR3 (DR6/DR7 live in the VMCB) */
};

/* Every CPU, before its first guest: CR0/CR4 for FXSAVE/XSAVE, the host XCR0. */
void xstate_cpu_init(unsigned int cpu);
/* A vCPU's state area in the architectural reset state (FNINIT, MXCSR 0x1f80). 0, -ENOMEM. */
int xstate_vcpu_init(struct vcpu *v);
/* Reset v's saved state (v runs nowhere): a new start state must not inherit registers. */
void xstate_vcpu_reset(struct vcpu *v);
/* This CPU stops running prev (may be NULL) and will run next (may be NULL). */
void xstate_switch(struct vcpu *prev, struct vcpu *next);
/* XSETBV from v (the vCPU running here): false means #GP, as on hardware. */
bool xstate_set_xcr0(struct vcpu *v, uint32_t index, uint64_t value);
/* CPUID leaf 1 ECX and leaf 0xD as v may see them (the XCR0 features we switch). */
uint32_t xstate_cpuid1_ecx(struct vcpu *v, uint32_t ecx, uint64_t guest_cr4);
void xstate_cpuid_d(struct vcpu *v, uint32_t sub, uint32_t regs[4]);

#endif
