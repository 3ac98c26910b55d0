/* SPDX-License-Identifier: Apache-2.0 */
/*
 * svm_vmrun(guest_vmcb_pa, regs, host_vmcb_pa): one trip into the guest and back.
 *
 * VMRUN switches only part of the state; VMLOAD/VMSAVE move the rest (FS, GS, TR, LDTR,
 * KernelGSbase, STAR/LSTAR/CSTAR/SFMASK, SYSENTER_*), so the host's copy of those is saved
 * around the trip in a per-CPU host VMCB. The general registers VMRUN does not switch
 * (all but RAX and RSP) are loaded from and stored to struct guest_regs.
 *
 * Interrupts: called with IF clear. CLGI then STI: the global interrupt flag holds every
 * interrupt off until VMRUN, and with V_INTR_MASKING the host's IF=1 saved by VMRUN lets a
 * physical interrupt end the guest's run (the INTR intercept). After #VMEXIT (GIF=0) we CLI
 * before STGI, so the interrupt stays pending in the APIC until the run loop opens a window.
 */
#include <asm/x86.h>

#define R_RAX 0
#define R_RBX 8
#define R_RCX 16
#define R_RDX 24
#define R_RSI 32
#define R_RDI 40
#define R_RBP 48
#define R_R8  64
#define R_R9  72
#define R_R10 80
#define R_R11 88
#define R_R12 96
#define R_R13 104
#define R_R14 112
#define R_R15 120

    .text
    .global svm_vmrun
svm_vmrun:
    push    %rbp
    push    %rbx
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    push    %rsi                        /* regs */
    push    %rdx                        /* host VMCB */

    mov     %rdx, %rax
    vmsave                              /* host's FS/GS/TR/... */
    mov     %rdi, %rax                  /* RAX = guest VMCB for VMLOAD, VMRUN, VMSAVE */
    clgi
    sti
    vmload

    mov     R_RBX(%rsi), %rbx
    mov     R_RCX(%rsi), %rcx
    mov     R_RDX(%rsi), %rdx
    mov     R_RDI(%rsi), %rdi
    mov     R_RBP(%rsi), %rbp
    mov     R_R8(%rsi), %r8
    mov     R_R9(%rsi), %r9
    mov     R_R10(%rsi), %r10
    mov     R_R11(%rsi), %r11
    mov     R_R12(%rsi), %r12
    mov     R_R13(%rsi), %r13
    mov     R_R14(%rsi), %r14
    mov     R_R15(%rsi), %r15
    mov     R_RSI(%rsi), %rsi

    vmrun
    vmsave                              /* RAX is the guest VMCB again after #VMEXIT */

    push    %rdi
    mov     16(%rsp), %rdi              /* regs (above the saved RDI and the host VMCB) */
    mov     %rbx, R_RBX(%rdi)
    mov     %rcx, R_RCX(%rdi)
    mov     %rdx, R_RDX(%rdi)
    mov     %rsi, R_RSI(%rdi)
    mov     %rbp, R_RBP(%rdi)
    mov     %r8, R_R8(%rdi)
    mov     %r9, R_R9(%rdi)
    mov     %r10, R_R10(%rdi)
    mov     %r11, R_R11(%rdi)
    mov     %r12, R_R12(%rdi)
    mov     %r13, R_R13(%rdi)
    mov     %r14, R_R14(%rdi)
    mov     %r15, R_R15(%rdi)
    pop     %rax
    mov     %rax, R_RDI(%rdi)

    pop     %rax                        /* host VMCB */
    vmload
    cli
    stgi

    pop     %rsi
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbx
    pop     %rbp
    ret

    .section .note.GNU-stack, "", @progbits
