/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An FXSAVE/XSAVE area whose x87 part is in its initial state, and how to load one
 * without loading the x87 status word (xen/arch/x86/xstate.c says why: QEMU's TCG).
 * Header-only, so the host unit test (tests/host/test_x87_initial.c) runs this very code
 * on the build machine's CPU.
 */
#ifndef MINIXEN_X86_ASM_X87_INITIAL_H
#define MINIXEN_X86_ASM_X87_INITIAL_H

#include <xen/types.h>

#define X87_FCW_RESET 0x037f /* FNINIT: every exception masked, 64-bit precision */
#define FXAREA_ST0    32     /* ST0-ST7 (MM0-MM7): 10 bytes used of every 16 */

/*
 * Is the x87 part of a saved area in its initial state: FNINIT's control word, status,
 * tags, opcode and pointers, and every register zero (what XRSTOR gives a component whose
 * XSTATE_BV bit is clear)? Bytes 24-31 (MXCSR and its mask) belong to SSE.
 */
static inline bool x87_initial(const uint8_t *a)
{
    if (a[0] != (X87_FCW_RESET & 0xff) || a[1] != (X87_FCW_RESET >> 8))
        return false;
    for (unsigned int b = 2; b < 24; b++) /* FSW, FTW, FOP, FIP, FDP */
        if (a[b] != 0)
            return false;
    for (unsigned int i = 0; i < 8; i++)
        for (unsigned int b = 0; b < 10; b++)
            if (a[FXAREA_ST0 + 16 * i + b] != 0)
                return false;
    return true;
}

/*
 * FXRSTOR of a 16-byte aligned FXSAVE area whose x87 part is initial, without loading the
 * x87 status word: FNINIT; eight FLDZ and a second FNINIT, so no register keeps the last
 * owner's values; then MXCSR and XMM0-XMM15 from the area (offsets 24 and 160). The XMM
 * registers are not named as clobbers: the hypervisor never uses them
 * (-mgeneral-regs-only), and a C caller elsewhere must treat this as a call that clobbers
 * every vector register.
 */
static inline void fxrstor_x87_initial(const uint8_t *a)
{
    __asm__ __volatile__("fninit\n\t"
                         "fldz; fldz; fldz; fldz; fldz; fldz; fldz; fldz\n\t"
                         "fninit\n\t"
                         "ldmxcsr 24(%0)\n\t"
                         "movdqa 160(%0), %%xmm0\n\t"
                         "movdqa 176(%0), %%xmm1\n\t"
                         "movdqa 192(%0), %%xmm2\n\t"
                         "movdqa 208(%0), %%xmm3\n\t"
                         "movdqa 224(%0), %%xmm4\n\t"
                         "movdqa 240(%0), %%xmm5\n\t"
                         "movdqa 256(%0), %%xmm6\n\t"
                         "movdqa 272(%0), %%xmm7\n\t"
                         "movdqa 288(%0), %%xmm8\n\t"
                         "movdqa 304(%0), %%xmm9\n\t"
                         "movdqa 320(%0), %%xmm10\n\t"
                         "movdqa 336(%0), %%xmm11\n\t"
                         "movdqa 352(%0), %%xmm12\n\t"
                         "movdqa 368(%0), %%xmm13\n\t"
                         "movdqa 384(%0), %%xmm14\n\t"
                         "movdqa 400(%0), %%xmm15" ::"r"(a)
                         : "memory");
}

#endif
