/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a PVH guest's CPUID says about the CPU, and the CR4 bits that follows from it
 * (cpuid_policy.c). Pure functions of the host's values, so the host tests check them.
 * Registers are {EAX, EBX, ECX, EDX}.
 */
#ifndef MINIXEN_ASM_CPUID_POLICY_H
#define MINIXEN_ASM_CPUID_POLICY_H

#include <xen/types.h>

enum { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };

/* CR4 bits (Intel SDM vol. 3 2.5, AMD APM vol. 2 3.1.3). */
#define X86_CR4_VME        (1ull << 0)
#define X86_CR4_PVI        (1ull << 1)
#define X86_CR4_TSD        (1ull << 2)
#define X86_CR4_DE         (1ull << 3)
#define X86_CR4_PSE        (1ull << 4)
#define X86_CR4_PAE        (1ull << 5)
#define X86_CR4_MCE        (1ull << 6)
#define X86_CR4_PGE        (1ull << 7)
#define X86_CR4_PCE        (1ull << 8)
#define X86_CR4_OSFXSR     (1ull << 9)
#define X86_CR4_OSXMMEXCPT (1ull << 10)
#define X86_CR4_UMIP       (1ull << 11)
#define X86_CR4_LA57       (1ull << 12)
#define X86_CR4_VMXE       (1ull << 13)
#define X86_CR4_SMXE       (1ull << 14)
#define X86_CR4_FSGSBASE   (1ull << 16)
#define X86_CR4_PCIDE      (1ull << 17)
#define X86_CR4_OSXSAVE    (1ull << 18)
#define X86_CR4_SMEP       (1ull << 20)
#define X86_CR4_SMAP       (1ull << 21)
#define X86_CR4_PKE        (1ull << 22)
#define X86_CR4_CET        (1ull << 23)
#define X86_CR4_PKS        (1ull << 24)

/*
 * The host's CPUID leaf/sub-leaf in r, filtered to what a guest is offered (features the
 * port does not virtualise or switch are cleared). Leaves the port fills itself (the
 * hypervisor leaves, 0xB's x2APIC id, 0xD's XSAVE sizes, leaf 1's APIC id, x2APIC and
 * OSXSAVE) are vmexit.c's and xstate.c's, done after this.
 */
void cpuid_policy_filter(uint32_t leaf, uint32_t sub, uint32_t r[4]);

/* The CR4 bits a guest may set, given its (filtered) leaf 1 and leaf 7.0 and whether it
 * is offered XSAVE. */
uint64_t cr4_guest_valid_bits(const uint32_t leaf1[4], const uint32_t leaf7[4], bool xsave);

/*
 * May a guest move from CR4 old to new? As the CPU checks MOV to CR4: no bit outside
 * valid, PAE stays set in long mode, PCIDE only set in long mode with CR3[11:0] = 0. False:
 * #GP.
 */
bool cr4_write_ok(uint64_t old, uint64_t new, uint64_t valid, bool long_mode, uint64_t cr3);

#endif
