/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secondary CPU start: a STARTUP IPI begins a CPU in real mode at (vector << 12), so this
 * code is copied below 1 MiB, to TRAMPOLINE_PA, and runs there: real mode -> protected mode
 * -> long mode on the boot page tables (which identity-map this page) -> the linked image.
 * Every address inside it is therefore T(sym), its address in the copy. The boot CPU
 * fills in the parameters at the end (page-table root, EFER, stack, CPU index) before
 * each STARTUP IPI and waits for that CPU to report in, so one copy serves every CPU.
 */
#include <asm/trampoline.h>
#include <asm/x86.h>

#define T(x) (TRAMPOLINE_PA + (x) - trampoline_start)

    .section .trampoline, "a"
    .code16
    .global trampoline_start
trampoline_start:
    cli
    cld
    xor     %ax, %ax
    mov     %ax, %ds
    lgdtl   T(tramp_gdt_ptr)
    mov     %cr0, %eax
    /* INIT leaves CR0.CD and NW set (caching off): the BSP's firmware cleared its own. */
    and     $(~(CR0_CD | CR0_NW) & 0xffffffff), %eax
    or      $CR0_PE, %eax
    mov     %eax, %cr0
    ljmpl   $SEL_CODE32, $T(tramp32)

    .code32
tramp32:
    mov     $SEL_DATA, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    mov     %cr4, %eax
    or      $(CR4_PAE | CR4_PGE), %eax
    mov     %eax, %cr4
    mov     T(tramp_cr3), %eax
    mov     %eax, %cr3
    mov     $MSR_EFER, %ecx
    mov     T(tramp_efer), %eax
    xor     %edx, %edx
    wrmsr
    mov     %cr0, %eax
    or      $(CR0_PG | CR0_WP | CR0_NE | CR0_MP | CR0_PE), %eax
    mov     %eax, %cr0
    ljmp    $SEL_CODE64, $T(tramp64)

    .code64
tramp64:
    mov     T(tramp_stack), %rsp
    mov     T(tramp_cpu), %edi
    movabs  $secondary_entry64, %rax
    jmp     *%rax

    .align  8
tramp_gdt:
    .quad   0
    .quad   0x00af9a000000ffff          /* SEL_CODE64 */
    .quad   0x00cf92000000ffff          /* SEL_DATA */
    .quad   0x00cf9a000000ffff          /* SEL_CODE32 */
tramp_gdt_end:
tramp_gdt_ptr:
    .short  tramp_gdt_end - tramp_gdt - 1
    .long   T(tramp_gdt)

    /* Parameters, written by the boot CPU into the copy (struct trampoline_params). */
    .align  8
    .global trampoline_params
trampoline_params:
tramp_cr3:
    .long   0
tramp_efer:
    .long   0
tramp_stack:
    .quad   0
tramp_cpu:
    .long   0
    .long   0

    .text
secondary_entry64:
    xor     %ebp, %ebp
    call    start_secondary             /* does not return */
    jmp     halt

    .section .note.GNU-stack, "", @progbits
