/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CPUID a PVH guest sees: the host's, minus what the port cannot give it. Xen's PVH
 * default policy takes the same shape (an allow-list per feature word), and these are
 * the facts it rests on:
 *
 * - state the port does not switch between vCPUs (xstate.c: x87, SSE, AVX only): MPX
 *   (BNDREGS/BNDCSR), AVX-512, PKU (PKRU; CR4.PKE), PKS, CET, AMX, and TSC_AUX (so no
 *   RDTSCP or RDPID: their result would be another guest's TSC_AUX);
 * - modes the nested tables and VMCB do not give a guest: LA57 (5-level paging), VMX,
 *   SVM, SMX, SGX;
 * - hardware a guest has no business with: MONITOR/MWAIT (intercepted: #UD), thermal and
 *   power management (leaf 1's DS, ACPI, TM, TM2, EST, PBE, DS-CPL, xTPR, PDCM, DCA;
 *   leaf 6 except ARAT), the performance counters (no vPMU: leaf 0xA, AMD's core/NB/LLC
 *   counter extensions, IBS, LWP), Intel PT, SKINIT, the watchdog, NodeID.
 *
 * Leaf 7.0 is an allow-list: a feature a newer CPU adds stays hidden until someone
 * decides a guest may have it.
 */
#include <asm/cpuid_policy.h>

#define B(n) (1u << (n))

/* Leaf 1 */
#define L1_ECX_HIDE                                                                                \
    (B(2) /* DTES64 */ | B(3) /* MONITOR */ | B(4) /* DS-CPL */ | B(5) /* VMX */ |                 \
     B(6) /* SMX */ | B(7) /* EST */ | B(8) /* TM2 */ | B(14) /* xTPR */ | B(15) /* PDCM */ |      \
     B(18) /* DCA */)
#define L1_EDX_HIDE                                                                                \
    (B(18) /* PSN */ | B(21) /* DS */ | B(22) /* ACPI */ | B(29) /* TM */ | B(31) /* PBE */)

/* Leaf 7 sub-leaf 0: the features a guest keeps. */
#define L7_EBX_KEEP                                                                                \
    (B(0) /* FSGSBASE */ | B(3) /* BMI1 */ | B(5) /* AVX2 */ | B(7) /* SMEP */ | B(8) /* BMI2 */ | \
     B(9) /* ERMS */ | B(10) /* INVPCID */ | B(18) /* RDSEED */ | B(19) /* ADX */ |                \
     B(20) /* SMAP */ | B(23) /* CLFLUSHOPT */ | B(24) /* CLWB */ | B(29) /* SHA */)
#define L7_ECX_KEEP (B(2) /* UMIP */ | B(8) /* GFNI */ | B(9) /* VAES */ | B(10) /* VPCLMULQDQ */)
#define L7_EDX_KEEP (B(4) /* FSRM */ | B(10) /* MD_CLEAR */)

/* Leaf 0x80000001 */
#define E1_ECX_HIDE                                                                                \
    (B(2) /* SVM */ | B(10) /* IBS */ | B(12) /* SKINIT */ | B(13) /* WDT */ | B(15) /* LWP */ |   \
     B(19) /* NODEID_MSR */ | B(23) /* PERFCTR_CORE */ | B(24) /* PERFCTR_NB */ |                  \
     B(26) /* DBEXT */ | B(28) /* PERFCTR_LLC */ | B(29) /* MONITORX */)
#define E1_EDX_HIDE B(27) /* RDTSCP */
/*
 * OSVW is always shown: with it a guest asks the OSVW MSRs (msr_policy.c: errata 0-2 known,
 * none present) rather than guessing errata from family and model. Without it Linux takes
 * QEMU's family-15 qemu64 for a CPU with erratum 400 and reads an MSR no guest may have
 * (0xc0010055, #GP, a warning with a call trace). Xen's OSVW MSRs say the same, but Xen
 * shows the bit only where the host has it.
 */
#define E1_ECX_SHOW B(9) /* OSVW */

#define L6_EAX_ARAT B(2)

void cpuid_policy_filter(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    switch (leaf) {
    case 1:
        r[CPUID_ECX] &= ~L1_ECX_HIDE;
        r[CPUID_EDX] &= ~L1_EDX_HIDE;
        break;
    case 5:    /* MONITOR/MWAIT sizes: no MONITOR */
    case 0xa:  /* architectural performance monitoring: no vPMU */
    case 0x14: /* processor trace */
        r[0] = r[1] = r[2] = r[3] = 0;
        break;
    case 6:
        r[CPUID_EAX] &= L6_EAX_ARAT;
        r[CPUID_EBX] = r[CPUID_ECX] = r[CPUID_EDX] = 0;
        break;
    case 7:
        if (sub == 0) {
            r[CPUID_EAX] = 0; /* no further sub-leaves */
            r[CPUID_EBX] &= L7_EBX_KEEP;
            r[CPUID_ECX] &= L7_ECX_KEEP;
            r[CPUID_EDX] &= L7_EDX_KEEP;
        } else {
            r[0] = r[1] = r[2] = r[3] = 0;
        }
        break;
    case 0x80000001:
        r[CPUID_ECX] = (r[CPUID_ECX] & ~E1_ECX_HIDE) | E1_ECX_SHOW;
        r[CPUID_EDX] &= ~E1_EDX_HIDE;
        break;
    case 0x8000000a: /* SVM: none inside */
        r[0] = r[1] = r[2] = r[3] = 0;
        break;
    default:
        break;
    }
}

uint64_t cr4_guest_valid_bits(const uint32_t leaf1[4], const uint32_t leaf7[4], bool xsave)
{
    uint32_t c1 = leaf1[CPUID_ECX], d1 = leaf1[CPUID_EDX];
    uint32_t b7 = leaf7[CPUID_EBX], c7 = leaf7[CPUID_ECX];
    uint64_t v = X86_CR4_TSD | X86_CR4_PCE | X86_CR4_PAE; /* PAE: every long-mode CPU */

    v |= d1 & B(1) ? X86_CR4_VME | X86_CR4_PVI : 0;
    v |= d1 & B(2) ? X86_CR4_DE : 0;
    v |= d1 & B(3) ? X86_CR4_PSE : 0;
    v |= d1 & B(7) ? X86_CR4_MCE : 0;
    v |= d1 & B(13) ? X86_CR4_PGE : 0;
    v |= d1 & B(24) ? X86_CR4_OSFXSR : 0;
    v |= d1 & B(25) ? X86_CR4_OSXMMEXCPT : 0;
    v |= c1 & B(17) ? X86_CR4_PCIDE : 0;
    v |= xsave && (c1 & B(26)) ? X86_CR4_OSXSAVE : 0;
    v |= b7 & B(0) ? X86_CR4_FSGSBASE : 0;
    v |= b7 & B(7) ? X86_CR4_SMEP : 0;
    v |= b7 & B(20) ? X86_CR4_SMAP : 0;
    v |= c7 & B(2) ? X86_CR4_UMIP : 0;
    return v; /* never LA57, VMXE, SMXE, PKE, CET, PKS: cpuid_policy_filter hides them */
}

bool cr4_write_ok(uint64_t old, uint64_t new, uint64_t valid, bool long_mode, uint64_t cr3)
{
    if (new & ~valid)
        return false;
    if (long_mode && !(new &X86_CR4_PAE))
        return false;
    if ((new &X86_CR4_PCIDE) && !(old & X86_CR4_PCIDE) && (!long_mode || (cr3 & 0xfff)))
        return false;
    return true;
}
