/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry of the conformance guest as an i386 PVH kernel (an ELF32, docs/misc/pvh.pandoc's
 * boot ABI): the XEN_ELFNOTE_PHYS32_ENTRY note names entry32, where vCPU 0 starts in
 * 32-bit protected mode, paging off, EBX = the physical address of struct hvm_start_info.
 * The image is linked and run at its physical address (1 MiB), identity mapped.
 *
 * A 32-bit guest stays in 32-bit protected mode: entry32 loads the guest's own GDT, turns
 * on 32-bit paging (4 MiB pages, the first 4 MiB in 4 KiB pages with page 0 left out, so
 * that NULL is an unmapped address, as on x86_64) and calls arch_boot_cpu0(start_info).
 * Secondary vCPUs come through VCPUOP_initialise in 32-bit mode (arch.c builds that
 * context: paging on these tables, EIP = secondary_entry32, ESP = its stack, EDI = its
 * index). The GDT has one data segment per vCPU after the flat ones, whose base arch.c
 * points at that vCPU's per-CPU block (GS:0 is the vCPU's index, as on x86_64).
 */
#define STACK_SIZE    16384
#define MAX_CPUS      4        /* guest_arch.h's GUEST_MAX_CPUS */
#define CR0_PE        (1 << 0)
#define CR0_WP        (1 << 16)
#define CR0_PG        (1 << 31)
#define CR4_PSE       (1 << 4)
#define SEL_CODE32    0x08
#define SEL_DATA      0x10

#define EXC_PTR .long
#include "head_common.inc"

/* ---- vCPU 0 ------------------------------------------------------------------------------- */
    .section .text.head, "ax"
    .code32
    .global entry32
entry32:
    boot_counter
    cli
    cld
    mov     $cpu_stacks + STACK_SIZE, %esp /* PVH gives no stack */
    lgdt    gdt_desc
    ljmp    $SEL_CODE32, $1f
1:  call    load_data_segments
    mov     $pgdir, %eax
    mov     %eax, %cr3
    mov     %cr4, %eax
    or      $CR4_PSE, %eax
    mov     %eax, %cr4
    mov     %cr0, %eax
    or      $(CR0_PG | CR0_WP | CR0_PE), %eax
    mov     %eax, %cr0
    push    %ebx                        /* hvm_start_info */
    call    arch_boot_cpu0
hang:
    cli
    hlt
    jmp     hang

load_data_segments:
    mov     $SEL_DATA, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    xor     %eax, %eax
    mov     %eax, %fs
    mov     %eax, %gs
    ret

/* ---- Secondary vCPUs: paging on our tables already; EDI = index, ESP = its stack -------- */
    .global secondary_entry32
secondary_entry32:
    lgdt    gdt_desc
    ljmp    $SEL_CODE32, $1f
1:  call    load_data_segments
    push    %edi
    call    arch_boot_secondary
    jmp     hang

/* ---- Exceptions: the stubs (head_common.inc) end here; report and end the domain ------- */

/* Frame: vector, error code, then the CPU's EIP, CS, EFLAGS (same privilege: no ESP/SS). */
exc_common:
    /* A hostile-suite probe expecting a fault (probe.c) set probe_fixup: resume there. */
    cmpl    $0, probe_fixup
    jne     exc_fixup
    pushl   8(%esp)                     /* EIP */
    pushl   8(%esp)                     /* error code */
    pushl   8(%esp)                     /* vector */
    call    arch_exception
    jmp     hang

exc_fixup:
    push    %eax
    mov     4(%esp), %eax
    mov     %eax, probe_last_vector     /* which exception it was (cpu_policy.c) */
    mov     probe_fixup, %eax
    mov     %eax, 12(%esp)
    movl    $0, probe_fixup
    lock incl arch_probe_traps
    pop     %eax
    add     $8, %esp
    iret

/* ---- Interrupts: the caller-saved registers around a C handler, then IRET ------------- */
    .macro  irq name, handler
    .global \name
\name:
    push    %eax
    push    %ecx
    push    %edx
    cld
    call    \handler
    pop     %edx
    pop     %ecx
    pop     %eax
    iret
    .endm

    irq     irq_upcall_entry, arch_irq_upcall
    irq     irq_timer_entry, arch_irq_timer
    irq     irq_other_entry, arch_irq_other

    .global irq_spurious_entry
irq_spurious_entry:
    iret                                /* no EOI for the spurious vector */

/* ---- Descriptor tables and page tables ---------------------------------------------------- */
    .section .data
    /* The guest's TSC at entry32 (see head_64.S). */
    .balign 8
    .global arch_boot_counter
arch_boot_counter:
    .quad   0
    .balign 16
    .global gdt_percpu
gdt:
    .quad   0
    .quad   0x00cf9a000000ffff          /* 0x08: flat 32-bit code, DPL 0 */
    .quad   0x00cf92000000ffff          /* 0x10: flat data */
gdt_percpu:                             /* 0x18 + 8 * cpu: its per-CPU block (arch.c) */
    .rept   MAX_CPUS
    .quad   0x00cf92000000ffff
    .endr
gdt_end:
    .balign 4
    .word   0
gdt_desc:
    .word   gdt_end - gdt - 1
    .long   gdt

/* The low 4 GiB identity mapped with 4 MiB pages, except the first 4 MiB: 4 KiB pages,
 * page 0 not present. */
    .balign 4096
pgdir:
    .long   pt0 + 0x3                   /* present, writable */
    .set    i, 1
    .rept   1023
    .long   (i << 22) | 0x83            /* present, writable, 4 MiB */
    .set    i, i + 1
    .endr
pt0:
    .long   0                           /* page 0: not present */
    .set    i, 1
    .rept   1023
    .long   (i << 12) | 0x3             /* present, writable, 4 KiB */
    .set    i, i + 1
    .endr
    .global guest_pgdir
    .set    guest_pgdir, pgdir

    .bss
    .balign 16
    .global cpu_stacks
cpu_stacks:
    .space  STACK_SIZE * MAX_CPUS

    .section .note.GNU-stack, "", @progbits
