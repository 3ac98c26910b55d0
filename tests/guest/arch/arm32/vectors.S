/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AArch32 exception vectors (VBAR, ARM state). Only IRQs are expected: they are handled on
 * the interrupted SVC stack, as Linux does (the IRQ mode stack is a few words), with the
 * caller-saved registers around arch_irq_entry(). Anything else is a bug in the guest or
 * a hypervisor injecting what it should not: arch_trap() reports it (kind, fault status,
 * return address, fault address) and powers the domain off, so a harness sees a missing
 * plan instead of a hang. The register probes of the arm64 build have no AArch32 port yet.
 */
#define MODE_SVC 0x13

    .syntax unified
    .arm
    .section .text.vectors, "ax"
    .balign 32
    .global vectors
vectors:
    b       trap_reset                  /* 0x00 */
    b       trap_und                    /* 0x04 */
    b       trap_svc                    /* 0x08 */
    b       trap_pabt                   /* 0x0c */
    b       trap_dabt                   /* 0x10 */
    b       trap_reset                  /* 0x14: not used */
    b       irq_entry                   /* 0x18 */
    b       trap_fiq                    /* 0x1c */

/* LR_irq - 4 and SPSR_irq onto the SVC stack, then the C handler in SVC mode with an
 * 8-byte aligned stack (AAPCS), then RFE. */
irq_entry:
    sub     lr, lr, #4
    srsdb   sp!, #MODE_SVC
    cps     #MODE_SVC
    push    {r0-r3, r12, lr}
    and     r1, sp, #4
    sub     sp, sp, r1
    push    {r1, r2}
    bl      arch_irq_entry
    pop     {r1, r2}
    add     sp, sp, r1
    pop     {r0-r3, r12, lr}
    rfeia   sp!

    .macro  trap name, kind, fsr_op, far_op, lr_adjust
\name:
    sub     r2, lr, #\lr_adjust
    mov     r0, #\kind
    \fsr_op
    \far_op
    cps     #MODE_SVC
    bic     sp, sp, #7
    b       arch_trap
    .endm

    trap    trap_reset, 0, "mov r1, #0", "mov r3, #0", 0
    trap    trap_und, 1, "mov r1, #0", "mov r3, #0", 4
    trap    trap_svc, 2, "mov r1, #0", "mov r3, #0", 4
    /* Aborts: IFSR and IFAR, DFSR and DFAR. */
    trap    trap_pabt, 3, "mrc p15, 0, r1, c5, c0, 1", "mrc p15, 0, r3, c6, c0, 2", 4
    trap    trap_dabt, 4, "mrc p15, 0, r1, c5, c0, 0", "mrc p15, 0, r3, c6, c0, 0", 8
    trap    trap_fiq, 7, "mov r1, #0", "mov r3, #0", 4

    .section .note.GNU-stack, "", %progbits
