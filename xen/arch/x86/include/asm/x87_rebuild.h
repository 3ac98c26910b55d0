/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An FXSAVE/XSAVE area's x87 part: whether it is in its initial state, and how to load it
 * without loading the x87 status word when that holds nothing but the stack top
 * (xen/arch/x86/xstate.c says why: QEMU's TCG).
 * Header-only, so the host unit test (tests/host/test_x87_rebuild.c) runs this very code
 * on the build machine's CPU.
 */
#ifndef MINIXEN_X86_ASM_X87_REBUILD_H
#define MINIXEN_X86_ASM_X87_REBUILD_H

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

#define X87_FSW_TOP 0x3800u /* status word: the stack top; every other bit is a flag */

/*
 * Can x87_rebuild() load this area's x87 part exactly: a status word that holds nothing
 * but TOP (no condition codes, no exception flags), no opcode and no pointers? True of
 * the initial state, and of what a guest leaves after exact arithmetic (loads, integer
 * conversions); a pending or sticky exception flag needs FXRSTOR.
 */
static inline bool x87_rebuildable(const uint8_t *a)
{
    if ((unsigned int)(a[2] | a[3] << 8) & ~X87_FSW_TOP)
        return false;
    for (unsigned int b = 6; b < 24; b++) /* FOP, FIP, FDP */
        if (a[b] != 0)
            return false;
    return true;
}

/*
 * Load the x87 part of a 16-byte aligned FXSAVE/XSAVE area that x87_rebuildable()
 * accepts, without loading the status word (see xen/arch/x86/xstate.c for why): FNINIT
 * (every register empty, TOP 0, all exceptions masked); FINCSTP until TOP is the saved
 * one; FLD of the eight saved registers, ST7 first, which fills every register and brings
 * TOP back round; FFREE of each register the saved tags call empty; the saved control
 * word last. An 80-bit FLD copies the bits exactly and raises nothing (not even for a
 * signalling NaN or a denormal). FCW and the tags are in bytes 0-1 and 4 (abridged, bit
 * j = physical register j in use); ST(i) is 10 bytes at 32 + 16 i.
 */
static inline void x87_rebuild(const uint8_t *a)
{
    unsigned int top = (unsigned int)(a[3] >> 3) & 7, empty = 0;

    for (unsigned int i = 0; i < 8; i++) /* ST(i) is physical register (top + i) mod 8 */
        if (!(a[4] & (1u << ((top + i) & 7))))
            empty |= 1u << i;
    __asm__ __volatile__("fninit\n\t"
                         "test %1, %1\n\t"
                         "jz 2f\n"
                         "1:\tfincstp\n\t"
                         "dec %1\n\t"
                         "jnz 1b\n"
                         "2:\tfldt 144(%0)\n\t"
                         "fldt 128(%0)\n\t"
                         "fldt 112(%0)\n\t"
                         "fldt 96(%0)\n\t"
                         "fldt 80(%0)\n\t"
                         "fldt 64(%0)\n\t"
                         "fldt 48(%0)\n\t"
                         "fldt 32(%0)\n\t"
                         "bt $0, %2\n\tjnc 3f\n\tffree %%st(0)\n"
                         "3:\tbt $1, %2\n\tjnc 3f\n\tffree %%st(1)\n"
                         "3:\tbt $2, %2\n\tjnc 3f\n\tffree %%st(2)\n"
                         "3:\tbt $3, %2\n\tjnc 3f\n\tffree %%st(3)\n"
                         "3:\tbt $4, %2\n\tjnc 3f\n\tffree %%st(4)\n"
                         "3:\tbt $5, %2\n\tjnc 3f\n\tffree %%st(5)\n"
                         "3:\tbt $6, %2\n\tjnc 3f\n\tffree %%st(6)\n"
                         "3:\tbt $7, %2\n\tjnc 3f\n\tffree %%st(7)\n"
                         "3:\tfldcw (%0)"
                         : "+r"(a), "+r"(top)
                         : "r"(empty)
                         : "cc", "memory");
}

/*
 * FXRSTOR of a 16-byte aligned FXSAVE area that x87_rebuildable() accepts, without
 * loading the x87 status word: x87_rebuild(), then MXCSR and XMM0-XMM15 from the area
 * (offsets 24 and 160). The XMM registers are not named as clobbers: the hypervisor never
 * uses them (-mgeneral-regs-only), and a C caller elsewhere must treat this as a call
 * that clobbers every vector and x87 register.
 */
static inline void fxrstor_rebuilt(const uint8_t *a)
{
    x87_rebuild(a);
    __asm__ __volatile__("ldmxcsr 24(%0)\n\t"
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
