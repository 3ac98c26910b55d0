/* SPDX-License-Identifier: Apache-2.0 */
/* The secondary CPUs' real-mode start code (trampoline.S), as the boot CPU sees it. */
#ifndef MINIXEN_X86_ASM_TRAMPOLINE_H
#define MINIXEN_X86_ASM_TRAMPOLINE_H

/* Below 1 MiB and page-aligned (STARTUP IPI vector = page number); free conventional RAM. */
#define TRAMPOLINE_PA 0x8000

#ifndef __ASSEMBLY__
#include <xen/types.h>

struct trampoline_params {
    uint32_t cr3;   /* boot page tables: below 4 GiB */
    uint32_t efer;  /* LME, and NXE when the boot CPU has it */
    uint64_t stack; /* top of this CPU's stack (linked address) */
    uint32_t cpu;   /* its index, start_secondary()'s argument */
    uint32_t pad;
};

extern const char trampoline_start[], trampoline_params[];
#endif

#endif
