/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Accesses that may fault, for the x86 probes (probe.c, cpu_policy.c): each resumes after
 * the instruction if the hypervisor answers with an exception, and says whether it did.
 */
#ifndef XTEST_X86_PROBE_H
#define XTEST_X86_PROBE_H

#include "guest_arch.h"

/* One instruction with a fixup: on a fault it is skipped and the trap counted (FIX_REG is
 * the scratch register that takes the fixup's address; the 32-bit form needs none). */
#ifdef __x86_64__
#define FIX_BEGIN "lea 1f(%%rip), %%r11\n\tmov %%r11, probe_fixup(%%rip)\n\t"
#define FIX_END   "\n1:\tmovq $0, probe_fixup(%%rip)"
#define FIX_REG   "r11"
#else
#define FIX_BEGIN "movl $1f, probe_fixup\n\t"
#define FIX_END   "\n1:\tmovl $0, probe_fixup"
#define FIX_REG   "cc"
#endif

extern volatile unsigned long arch_probe_traps;
extern volatile unsigned long probe_last_vector; /* the vector of the last fixed-up fault */
extern volatile uintptr_t probe_fixup;

bool try_rdmsr(uint32_t msr, uint64_t *v);
bool try_wrmsr(uint32_t msr, uint64_t v);

/* The ways the x86 area adds results (arch_area_isolation). */
#define X86_CPU_POLICY_RESULTS 15
#define X86_MMIO_RESULTS       8
extern long x86_early_physmap_rc; /* arch.c: a hypercall before the hypercall page */
void x86_area_cpu_policy(void);
void x86_area_mmio(void); /* mmio.c: MMIO outside the guest's RAM */

#endif
