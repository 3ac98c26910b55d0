/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL2 exception vectors and the way into and out of guests.
 *
 * Two kinds of entry share one frame layout (struct cpu_regs):
 *
 *  - From EL2 itself (vectors 0-7): the frame is pushed on the current stack and
 *    arm_trap(frame, vector) decides (fatal, or the boot self-test BRK).
 *  - From a guest (vectors 8-15): while a vCPU runs, SP_EL2 points just past its own
 *    register frame (struct arm_vcpu.regs), so the exit saves the guest straight into its
 *    vCPU: a world switch never copies registers. The frame's sp slot holds the top of
 *    this CPU's hypervisor stack, where the C handler then runs. The handler returns the
 *    frame to enter (the same vCPU's, or the next one's after a switch); we record the
 *    stack top in it, point SP_EL2 at it, restore and ERET.
 *
 * C code runs with IRQs masked at EL2 (PSTATE.I stays set from exception entry); only
 * the idle loop waits for interrupts, with WFI, which wakes on a masked IRQ too.
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

.macro guest_entry idx
    .balign 128
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x1, #\idx
    b       guest_exit
.endm

/* x2-x29 of the frame at sp (x0, x1, x30 are the caller's business). */
.macro save_x2_x29
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
.endm

/* ELR/SPSR and every GPR from the frame at sp, pop it, return. */
.macro restore_all_eret
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
    /* No speculation past ERET. */
    dsb     nsh
    isb
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
    /* Lower EL, AArch64: guests. Synchronous: hypercalls take the fast path. */
    .balign 128
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mrs     x0, esr_el2
    movz    w1, #ESR_HVC_XEN & 0xffff
    movk    w1, #ESR_HVC_XEN >> 16, lsl #16
    cmp     w0, w1
    b.eq    guest_hypercall
    mov     x1, #8
    b       guest_exit
    guest_entry 9
    guest_entry 10
    guest_entry 11
    /* Lower EL, AArch32: not supported (HCR_EL2.RW = 1); arm_guest_trap ends the domain. */
    guest_entry 12
    guest_entry 13
    guest_entry 14
    guest_entry 15

trap_common:
    save_x2_x29
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
    restore_all_eret

/*
 * A guest left: save it into the frame at the top of this CPU's stack. FAR and the
 * guest's SP are not saved (FAR_EL2 is read by the abort handlers that need it; the
 * guest's SPs are EL1 system registers, switched by context.c).
 */
guest_exit:
    save_x2_x29
    mrs     x2, elr_el2
    mrs     x3, spsr_el2
    stp     x30, x2, [sp, #FRAME_LR]
    mrs     x4, esr_el2
    stp     x3, x4, [sp, #FRAME_SPSR]
    mov     x0, sp
    ldr     x2, [sp, #FRAME_SP]         /* this CPU's hypervisor stack */
    mov     sp, x2
    bl      arm_guest_trap              /* x0: the frame of the vCPU to enter */
guest_return:
    mov     x1, sp
    str     x1, [x0, #FRAME_SP]
    mov     sp, x0
    restore_all_eret

/*
 * HVC #0xEA1 from AArch64 (ESR exactly EC 0x16, IL, imm 0xEA1): the hypercall fast path.
 * Only the registers C may clobber are saved (x0-x18, x30; x19-x29 are callee-saved, and
 * ELR/SPSR stay in the hardware: nothing at EL2 takes an exception meanwhile).
 * arm_fast_hypercall() runs the call (and the scheduler if needed) and returns the frame if
 * the same vCPU resumes; otherwise (bit 0 set: another vCPU or idle was picked) the frame
 * is completed here and arm_leave_after_pick() switches.
 */
guest_hypercall:
    stp     x2, x3, [sp, #16 * 1]
    stp     x4, x5, [sp, #16 * 2]
    stp     x6, x7, [sp, #16 * 3]
    stp     x8, x9, [sp, #16 * 4]
    stp     x10, x11, [sp, #16 * 5]
    stp     x12, x13, [sp, #16 * 6]
    stp     x14, x15, [sp, #16 * 7]
    stp     x16, x17, [sp, #16 * 8]
    str     x18, [sp, #16 * 9]
    str     x30, [sp, #FRAME_LR]
    mov     x0, sp
    ldr     x1, [sp, #FRAME_SP]
    mov     sp, x1
    bl      arm_fast_hypercall          /* the frame; bit 0 set: take the slow way */
    tbnz    x0, #0, 1f
    mov     sp, x0                      /* the frame already holds the stack top */
    ldr     x30, [sp, #FRAME_LR]
    ldp     x0, x1, [sp, #16 * 0]
    ldp     x2, x3, [sp, #16 * 1]
    ldp     x4, x5, [sp, #16 * 2]
    ldp     x6, x7, [sp, #16 * 3]
    ldp     x8, x9, [sp, #16 * 4]
    ldp     x10, x11, [sp, #16 * 5]
    ldp     x12, x13, [sp, #16 * 6]
    ldp     x14, x15, [sp, #16 * 7]
    ldp     x16, x17, [sp, #16 * 8]
    ldr     x18, [sp, #16 * 9]
    add     sp, sp, #FRAME_SIZE
    eret
    dsb     nsh
    isb
1:  /* The slow way back: complete the frame (x19-x29 are the guest's again). */
    bic     x0, x0, #1
    str     x19, [x0, #16 * 9 + 8]
    stp     x20, x21, [x0, #16 * 10]
    stp     x22, x23, [x0, #16 * 11]
    stp     x24, x25, [x0, #16 * 12]
    stp     x26, x27, [x0, #16 * 13]
    stp     x28, x29, [x0, #16 * 14]
    mrs     x2, elr_el2
    mrs     x3, spsr_el2
    str     x2, [x0, #FRAME_ELR]
    mrs     x4, esr_el2
    stp     x3, x4, [x0, #FRAME_SPSR]
    bl      arm_leave_after_pick        /* x0: the frame to enter */
    b       guest_return

/*
 * arm_run_loop(): this CPU's first entry into the guest world; never returns. The C
 * stack we came on is abandoned: the stack is reset to its top. arm_run_first() waits
 * (idle) until the scheduler gives this CPU a vCPU and returns that vCPU's frame.
 */
    .text
    .global arm_run_loop
arm_run_loop:
    msr     daifset, #0xf
    mrs     x0, tpidr_el2
    ldr     x1, =cpu_stacks + STACK_SIZE
    mov     x2, #STACK_SIZE
    madd    x1, x0, x2, x1
    mov     sp, x1
    mov     x29, #0                    /* end of the frame-pointer chain for debuggers */
    bl      arm_run_first
    b       guest_return
    .ltorg

/*
 * arm_serror_sync(): take, here, any SError that the vCPU leaving this CPU left pending.
 * EL2 runs with PSTATE.A set, so an SError caused by a guest (a write to a bad address
 * acknowledged late by the bus) would otherwise wait and be taken after the next ERET,
 * blaming whichever vCPU ran next. The DSB completes the outgoing vCPU's accesses, then A
 * is opened for one ISB: an SError taken between the two labels is the outgoing vCPU's
 * (arm_trap asks serror_in_sync_window()).
 */
    .global arm_serror_sync
    .global serror_sync_window_start
    .global serror_sync_window_end
arm_serror_sync:
    dsb     sy
serror_sync_window_start:
    msr     daifclr, #4
    isb
    msr     daifset, #4
serror_sync_window_end:
    ret
