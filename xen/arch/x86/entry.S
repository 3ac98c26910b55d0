/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trap and interrupt entry: one 16-byte stub per vector (the IDT points at
 * trap_stubs + 16 * vector), each pushing a dummy error code where the CPU pushes none,
 * then its vector, so every frame has the same shape (struct cpu_regs). trap_common
 * saves the general registers and calls x86_trap(), which dispatches by vector.
 *
 * Stack alignment: the CPU aligns RSP to 16 before its 5-word frame; error code and
 * vector make 7 words, the 15 registers 22: the call below is 16-aligned.
 */
#include <asm/x86.h>

    .section .text.traps, "ax"
    .align  16
    .global trap_stubs
trap_stubs:
    .set    vec, 0
    .rept   X86_NR_VECTORS
    .align  16
    /* Vectors with a CPU error code: #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX. */
    .if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
    pushq   $0
    .endif
    pushq   $vec
    jmp     trap_common
    .set    vec, vec + 1
    .endr

trap_common:
    push    %rax
    push    %rbx
    push    %rcx
    push    %rdx
    push    %rsi
    push    %rdi
    push    %rbp
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    cld
    mov     %rsp, %rdi
    call    x86_trap
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rbp
    pop     %rdi
    pop     %rsi
    pop     %rdx
    pop     %rcx
    pop     %rbx
    pop     %rax
    add     $16, %rsp                   /* vector and error code */
    iretq

    .section .note.GNU-stack, "", @progbits
