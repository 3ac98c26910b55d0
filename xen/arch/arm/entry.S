/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL2 exception vectors. Every entry saves the same frame (struct cpu_regs) and calls
 * arm_trap(frame, vector), which dispatches on ESR_EL2.EC through a table (traps.c),
 * KVM-nVHE style: one indirect call, no chain of compares on the hot path.
 * Entries are 128 bytes apart; the table is 2 KiB aligned (VBAR_EL2 requirement).
 */
#include <asm/arm64.h>

.macro vector_entry idx
    .balign 128
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x1, #\idx
    b       trap_common
.endm

    .section .text.vectors, "ax"
    .balign 2048
    .global el2_vectors
el2_vectors:
    /* Current EL with SP_EL0: we never run on SP_EL0, so these are bugs. */
    vector_entry 0
    vector_entry 1
    vector_entry 2
    vector_entry 3
    /* Current EL with SP_EL2: the hypervisor itself. */
    vector_entry 4
    vector_entry 5
    vector_entry 6
    vector_entry 7
    /* Lower EL, AArch64: guests. */
    vector_entry 8
    vector_entry 9
    vector_entry 10
    vector_entry 11
    /* Lower EL, AArch32: not supported (HCR_EL2.RW = 1). */
    vector_entry 12
    vector_entry 13
    vector_entry 14
    vector_entry 15

trap_common:
    stp     x2, x3, [sp, #16 * 1]
    stp     x4, x5, [sp, #16 * 2]
    stp     x6, x7, [sp, #16 * 3]
    stp     x8, x9, [sp, #16 * 4]
    stp     x10, x11, [sp, #16 * 5]
    stp     x12, x13, [sp, #16 * 6]
    stp     x14, x15, [sp, #16 * 7]
    stp     x16, x17, [sp, #16 * 8]
    stp     x18, x19, [sp, #16 * 9]
    stp     x20, x21, [sp, #16 * 10]
    stp     x22, x23, [sp, #16 * 11]
    stp     x24, x25, [sp, #16 * 12]
    stp     x26, x27, [sp, #16 * 13]
    stp     x28, x29, [sp, #16 * 14]
    mrs     x2, elr_el2
    mrs     x3, spsr_el2
    stp     x30, x2, [sp, #FRAME_LR]
    mrs     x4, esr_el2
    stp     x3, x4, [sp, #FRAME_SPSR]
    mrs     x5, far_el2
    add     x6, sp, #FRAME_SIZE
    stp     x5, x6, [sp, #FRAME_FAR]

    mov     x0, sp
    bl      arm_trap

    /* The handler may have changed ELR/SPSR (e.g. skipped an instruction). */
    ldp     x30, x2, [sp, #FRAME_LR]
    ldr     x3, [sp, #FRAME_SPSR]
    msr     elr_el2, x2
    msr     spsr_el2, x3
    ldp     x0, x1, [sp, #16 * 0]
    ldp     x2, x3, [sp, #16 * 1]
    ldp     x4, x5, [sp, #16 * 2]
    ldp     x6, x7, [sp, #16 * 3]
    ldp     x8, x9, [sp, #16 * 4]
    ldp     x10, x11, [sp, #16 * 5]
    ldp     x12, x13, [sp, #16 * 6]
    ldp     x14, x15, [sp, #16 * 7]
    ldp     x16, x17, [sp, #16 * 8]
    ldp     x18, x19, [sp, #16 * 9]
    ldp     x20, x21, [sp, #16 * 10]
    ldp     x22, x23, [sp, #16 * 11]
    ldp     x24, x25, [sp, #16 * 12]
    ldp     x26, x27, [sp, #16 * 13]
    ldp     x28, x29, [sp, #16 * 14]
    add     sp, sp, #FRAME_SIZE
    eret
