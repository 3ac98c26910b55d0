/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL1 vectors. Only IRQs taken from EL1 with SP_EL1 are expected (the guest never drops
 * to EL0): they save the caller-saved registers and call arch_irq_entry(). Synchronous
 * exceptions at EL1 go to arch_sync_entry(), which recovers only the UNDEFINED that a
 * register probe of isolation.c asked for, or any exception a hostile-suite probe (probe.c)
 * expects; SErrors likewise go to the hostile suite's probes. Anything else
 * is a bug in the guest or a hypervisor injecting what it should not: arch_trap() reports
 * it and powers the domain off, so a harness sees a missing plan instead of a hang.
 */
    .macro  save_regs
    sub     sp, sp, #192
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x29, [sp, #144]
    mrs     x0, elr_el1
    mrs     x1, spsr_el1
    stp     x30, x0, [sp, #160]
    str     x1, [sp, #176]
    .endm

    .macro  restore_regs
    ldr     x1, [sp, #176]
    ldp     x30, x0, [sp, #160]
    msr     spsr_el1, x1
    msr     elr_el1, x0
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x29, [sp, #144]
    add     sp, sp, #192
    .endm

    .macro  trap kind
    .balign 0x80
    mov     x0, #\kind
    mrs     x1, esr_el1
    mrs     x2, elr_el1
    mrs     x3, far_el1
    b       arch_trap
    .endm

    .section .text.vectors, "ax"
    .balign 2048
    .global el1_vectors
el1_vectors:
    trap 0          /* current EL, SP_EL0: sync */
    trap 1          /* irq */
    trap 2          /* fiq */
    trap 3          /* serror */
    .balign 0x80    /* current EL, SP_ELx: sync (isolation.c's probes may recover) */
    b       sync_entry
    .balign 0x80
    b       irq_entry
    trap 6          /* fiq */
    .balign 0x80    /* serror (a hostile-suite probe may expect one: probe.c) */
    b       serror_entry
    trap 8          /* lower EL */
    trap 9
    trap 10
    trap 11
    .balign 0x80    /* lower EL, AArch32: sync: only el0_a32.S's probe runs there */
    b       el0_a32_return
    trap 13
    trap 14
    trap 15

/* arch_sync_entry() returns only for an exception it expected, with the frame's ELR moved
 * past the instruction; anything else ends in arch_trap()'s report. */
sync_entry:
    save_regs
    mov     x0, sp
    bl      arch_sync_entry
    restore_regs
    eret

/* An SError a hostile-suite probe asked for (arch_probe_recover() says so) is resumed where
 * it interrupted; anything else is fatal as before. */
serror_entry:
    save_regs
    mov     x0, #7
    mrs     x1, esr_el1
    mov     x2, sp
    bl      arch_probe_recover
    cbz     x0, 1f
    restore_regs
    eret
1:  mov     x0, #7
    mrs     x1, esr_el1
    ldr     x2, [sp, #168]
    mrs     x3, far_el1
    b       arch_trap

irq_entry:
    save_regs
    bl      arch_irq_entry
    restore_regs
    eret
