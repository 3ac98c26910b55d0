/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bring-up PVH guest's entry: 32-bit protected mode, paging off, EBX = hvm_start_info
 * (Xen's PVH boot ABI). Identity-map the first GiB with 2 MiB pages, enter long mode,
 * load a GDT and an IDT, and call guest_start(start_info) in 64-bit C.
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define UPCALL_VECTOR 0xf3

    .section .note.Xen, "a", @note
    .align  4
    .long   4, 4, XEN_ELFNOTE_PHYS32_ENTRY
    .asciz  "Xen"
    .long   _start32

    .section .text.boot, "ax"
    .code32
    .global _start32
_start32:
    cli
    mov     %ebx, %edi
    mov     $stack_top, %esp
    mov     %cr4, %eax
    or      $0x20, %eax                 /* PAE */
    mov     %eax, %cr4
    mov     $pml4, %eax
    mov     %eax, %cr3
    mov     $0xc0000080, %ecx           /* EFER.LME */
    rdmsr
    or      $0x100, %eax
    wrmsr
    mov     %cr0, %eax
    or      $0x80000001, %eax           /* PG, PE */
    mov     %eax, %cr0
    lgdt    gdt_ptr
    ljmp    $0x08, $start64

/* vCPU 1, started by VCPUOP_initialise in 32-bit mode (paging off, flat segments from the
 * context): report in through memory, then sleep with interrupts off. */
    .global ap32_entry
ap32_entry:
    movl    $0x5a5a, ap_flag
1:  hlt
    jmp     1b

    .code64
start64:
    mov     $0x10, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    lea     stack_top(%rip), %rsp
    lidt    idt_ptr(%rip)
    mov     %edi, %edi
    call    guest_start
1:  cli
    hlt
    jmp     1b

/* Exceptions: report and stop. The upcall vector: save what C may clobber, call C. */
    .global exc_entry
exc_entry:
    mov     (%rsp), %rdi                /* error code or RIP, for the report */
    mov     8(%rsp), %rsi               /* RIP or CS */
    call    guest_exception
2:  cli
    hlt
    jmp     2b

/* #GP while gp_recover is set (a probe of an instruction that must fault): count it and
 * resume at gp_recover instead of stopping. */
    .global gp_entry
gp_entry:
    cmpq    $0, gp_recover(%rip)
    je      exc_entry
    push    %rax
    mov     gp_recover(%rip), %rax
    mov     %rax, 16(%rsp)              /* the saved RIP, above RAX and the error code */
    movq    $0, gp_recover(%rip)
    incq    gp_faults(%rip)
    pop     %rax
    add     $8, %rsp                    /* the error code */
    iretq

/* An interrupt whose handler wants the RIP it interrupted: guest_rip_tick(rip). */
    .global rip_tick_entry
rip_tick_entry:
    push    %rax
    push    %rcx
    push    %rdx
    push    %rsi
    push    %rdi
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    mov     72(%rsp), %rdi              /* the interrupted RIP, above the nine saves */
    call    guest_rip_tick
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

    .global upcall_entry, upcall_vec_entry, timer_entry
timer_entry:
    push    %rax
    lea     guest_timer_tick(%rip), %rax
    jmp     3f
upcall_vec_entry:
    push    %rax
    lea     guest_upcall_vec(%rip), %rax
    jmp     3f
upcall_entry:
    push    %rax
    lea     guest_upcall(%rip), %rax
3:
    push    %rcx
    push    %rdx
    push    %rsi
    push    %rdi
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    call    *%rax
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

    .data
    .align  4096
pml4:
    .quad   pdpt + 0x3
    .fill   511, 8, 0
pdpt:
    .quad   pd + 0x3
    .fill   511, 8, 0
pd:
    .set    i, 0
    .rept   512
    .quad   (i << 21) + 0x83
    .set    i, i + 1
    .endr

    .align  16
gdt:
    .quad   0
    .quad   0x00af9a000000ffff
    .quad   0x00cf92000000ffff
gdt_end:
gdt_ptr:
    .short  gdt_end - gdt - 1
    .quad   gdt
    .global idt
    .align  16
idt:
    .fill   512, 8, 0
idt_ptr:
    .short  256 * 16 - 1
    .quad   idt

    .bss
    .align  16
    .space  16384
stack_top:

    .section .note.GNU-stack, "", @progbits
