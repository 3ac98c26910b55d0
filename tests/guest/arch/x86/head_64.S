/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry of the conformance guest as an x86_64 PVH kernel (docs/misc/pvh.pandoc's boot ABI):
 * the XEN_ELFNOTE_PHYS32_ENTRY note names entry32, where vCPU 0 starts in 32-bit
 * protected mode, paging off, EBX = the physical address of struct hvm_start_info. The
 * image is linked and run at its physical address (1 MiB), identity mapped.
 *
 * entry32 switches to long mode on static page tables (the low 4 GiB, 2 MiB pages), loads
 * the guest's own GDT and calls arch_boot_cpu0(start_info) on vCPU 0's stack. Secondary
 * vCPUs come through VCPUOP_initialise in 64-bit mode (arch.c builds that context: these
 * page tables, RIP = secondary_entry64, RSP = its stack, RDI = its index) and need only
 * the GDT and their code segment reloaded. Interrupt and exception stubs are at the end.
 */
#define STACK_SIZE    16384
#define MSR_EFER      0xc0000080
#define EFER_LME      (1 << 8)
#define CR0_PE        (1 << 0)
#define CR0_PG        (1 << 31)
#define CR4_PAE       (1 << 5)
#define SEL_CODE64    0x08
#define SEL_DATA      0x10

#define EXC_PTR .quad
#include "head_common.inc"

/* ---- vCPU 0 ------------------------------------------------------------------------------- */
    .section .text.head, "ax"
    .code32
    .global entry32
entry32:
    boot_counter
    cli
    cld
    mov     %ebx, %esi                  /* hvm_start_info, kept for arch_boot_cpu0 */
    lgdt    gdt_desc
    mov     $pml4, %eax
    mov     %eax, %cr3
    mov     %cr4, %eax
    or      $CR4_PAE, %eax
    mov     %eax, %cr4
    mov     $MSR_EFER, %ecx
    rdmsr
    or      $EFER_LME, %eax
    wrmsr
    mov     %cr0, %eax
    or      $(CR0_PG | CR0_PE), %eax
    mov     %eax, %cr0
    ljmp    $SEL_CODE64, $entry64

    .code64
entry64:
    mov     $SEL_DATA, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    xor     %eax, %eax
    mov     %eax, %fs
    mov     %eax, %gs
    lea     cpu_stacks + STACK_SIZE(%rip), %rsp
    mov     %esi, %edi                  /* zero-extended: the upper halves are undefined */
    call    arch_boot_cpu0
hang:
    cli
    hlt
    jmp     hang

/* ---- Secondary vCPUs: long mode already, our CR3; RDI = index, RSP = its stack ---------- */
    .global secondary_entry64
secondary_entry64:
    lgdt    gdt_desc(%rip)
    pushq   $SEL_CODE64
    lea     1f(%rip), %rax
    pushq   %rax
    lretq
1:  mov     $SEL_DATA, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    xor     %eax, %eax
    mov     %eax, %fs
    mov     %eax, %gs
    call    arch_boot_secondary
    jmp     hang

/* ---- Exceptions: the stubs (head_common.inc) end here; report and end the domain ------- */

exc_common:
    /* A hostile-suite probe expecting a fault (probe.c) set probe_fixup: resume there. */
    cmpq    $0, probe_fixup(%rip)
    jne     exc_fixup
    mov     (%rsp), %rdi                /* vector */
    mov     8(%rsp), %rsi               /* error code */
    mov     16(%rsp), %rdx              /* RIP */
    and     $-16, %rsp
    call    arch_exception
    jmp     hang

/* Frame: saved RAX, vector, error code, then the CPU's RIP, CS, RFLAGS, RSP, SS. */
exc_fixup:
    push    %rax
    mov     8(%rsp), %rax
    mov     %rax, probe_last_vector(%rip)  /* which exception it was (cpu_policy.c) */
    mov     probe_fixup(%rip), %rax
    mov     %rax, 24(%rsp)
    movq    $0, probe_fixup(%rip)
    lock incq arch_probe_traps(%rip)
    pop     %rax
    add     $16, %rsp
    iretq

/* ---- Interrupts: the caller-saved registers around a C handler, then IRETQ ---------------
 * The CPU pushed 5 quadwords on a 16-aligned boundary (RSP = 8 mod 16); 9 more make the
 * call aligned. */
    .macro  irq name, handler
    .global \name
\name:
    push    %rax
    push    %rcx
    push    %rdx
    push    %rsi
    push    %rdi
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    cld
    call    \handler
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rdi
    pop     %rsi
    pop     %rdx
    pop     %rcx
    pop     %rax
    iretq
    .endm

    irq     irq_upcall_entry, arch_irq_upcall
    irq     irq_timer_entry, arch_irq_timer
    irq     irq_other_entry, arch_irq_other

    .global irq_spurious_entry
irq_spurious_entry:
    iretq                               /* no EOI for the spurious vector */

/* ---- Descriptor tables and page tables ---------------------------------------------------- */
    .section .data
    /* The guest's TSC at entry32. On minixen the guest TSC is the machine's (since its
     * reset, as arm64's CNTPCT); Xen HVM guests' TSC starts near 0 at domain creation. */
    .balign 8
    .global arch_boot_counter
arch_boot_counter:
    .quad   0
    .balign 16
gdt:
    .quad   0
    .quad   0x00af9a000000ffff          /* 0x08: 64-bit code, DPL 0 */
    .quad   0x00cf92000000ffff          /* 0x10: flat data */
gdt_end:
    .balign 4
    .word   0
gdt_desc:
    .word   gdt_end - gdt - 1
    .quad   gdt

/* The low 4 GiB, identity mapped with 2 MiB write-back pages (this guest touches its RAM
 * only; the x2APIC is reached through MSRs, never the xAPIC page), except the first 2 MiB
 * in 4 KiB pages with page 0 left out: a NULL pointer is an unmapped address, to the guest
 * and to a hypervisor copying from it (the suite passes NULL arguments on purpose). */
    .balign 4096
pml4:
    .quad   pdpt + 0x3                  /* present, writable */
    .fill   511, 8, 0
pdpt:
    .quad   pd + 0x0003, pd + 0x1003, pd + 0x2003, pd + 0x3003
    .fill   508, 8, 0
pd:
    .quad   pt0 + 0x3
    .set    i, 1
    .rept   2047
    .quad   (i << 21) | 0x83            /* present, writable, 2 MiB */
    .set    i, i + 1
    .endr
pt0:
    .quad   0                           /* page 0: not present */
    .set    i, 1
    .rept   511
    .quad   (i << 12) | 0x3             /* present, writable, 4 KiB */
    .set    i, i + 1
    .endr
    .global guest_pml4
    .set    guest_pml4, pml4

    .bss
    .balign 16
    .global cpu_stacks
cpu_stacks:
    .space  STACK_SIZE * 4

    .section .note.GNU-stack, "", @progbits
