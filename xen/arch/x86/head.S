/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry from a Multiboot or Multiboot2 loader, and the switch to long mode.
 *
 * Both loaders enter at entry32 in 32-bit protected mode, paging off, with EAX = the
 * protocol's magic and EBX = the physical address of its information structure. The
 * image is linked in the top 2 GiB (KERNEL_VBASE + physical, for -mcmodel=kernel) but
 * loaded at its physical address, so until paging is on every address below is PA(sym).
 *
 * Both headers use their protocol's address fields (the "a.out kludge") rather than
 * ELF program headers: QEMU's -kernel Multiboot loader refuses an ELF64 file, and with
 * the address fields it, and GRUB, load the file as flat bytes. The linker script keeps
 * the ELF file's bytes laid out exactly as the memory image, so the one ELF file serves
 * gdb, QEMU -kernel and GRUB alike.
 *
 * The boot page tables are static data: the low 4 GiB identity-mapped (RAM, the ACPI
 * tables and the APIC MMIO that C code reaches through physical addresses), and the
 * first 2 GiB again at KERNEL_VBASE for the image. mm.c replaces them in C.
 */
#include <asm/multiboot.h>
#include <asm/x86.h>

#define PA(x)     ((x) - KERNEL_VBASE)
#define COM1      0x3f8
#define MB1_FLAGS (MB1_HDR_PAGE_ALIGN | MB1_HDR_MEMINFO | MB1_HDR_ADDRESSES)

    .section .text.head, "ax"
    .code32
    .global _start
_start:
    jmp     entry32                     /* a stray jump to the image start still boots */

    .align  4
mb1_header:
    .long   MB1_HEADER_MAGIC
    .long   MB1_FLAGS
    .long   -(MB1_HEADER_MAGIC + MB1_FLAGS)
    .long   PA(mb1_header)              /* header_addr */
    .long   PA(_start)                  /* load_addr */
    .long   PA(_edata)                  /* load_end_addr */
    .long   PA(_end)                    /* bss_end_addr: the loader zeroes up to here */
    .long   PA(entry32)                 /* entry_addr */

    .align  8
mb2_header:
    .long   MB2_HEADER_MAGIC
    .long   MB2_ARCH_I386
    .long   mb2_header_end - mb2_header
    .long   -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    .align  8
    .short  MB2_HTAG_ADDRESS, 0
    .long   24
    .long   PA(mb2_header)              /* header_addr */
    .long   PA(_start)                  /* load_addr */
    .long   PA(_edata)                  /* load_end_addr */
    .long   PA(_end)                    /* bss_end_addr */
    .align  8
    .short  MB2_HTAG_ENTRY, 0
    .long   12
    .long   PA(entry32)
    .align  8
    .short  MB2_HTAG_MOD_ALIGN, 0
    .long   8
    .align  8
    .short  MB2_HTAG_END, 0
    .long   8
mb2_header_end:

entry32:
    cli
    cld
    mov     %eax, %edi                  /* the loader's magic and info survive cpuid */
    mov     %ebx, %esi

    /* Long mode needs CPUID leaf 0x80000001 with LM (EDX bit 29). */
    mov     $0x80000000, %eax
    cpuid
    cmp     $0x80000001, %eax
    jb      no_long_mode
    mov     $0x80000001, %eax
    cpuid
    bt      $29, %edx
    jnc     no_long_mode
    mov     %edx, %ebp                  /* NX (bit 20) decides EFER.NXE below */

    mov     %cr4, %eax
    or      $(CR4_PAE | CR4_PGE), %eax
    mov     %eax, %cr4
    mov     $PA(boot_pml4), %eax
    mov     %eax, %cr3

    mov     $MSR_EFER, %ecx
    rdmsr
    or      $EFER_LME, %eax
    bt      $20, %ebp
    jnc     1f
    or      $EFER_NXE, %eax
1:  wrmsr

    mov     %cr0, %eax
    or      $(CR0_PG | CR0_WP | CR0_NE | CR0_MP | CR0_PE), %eax
    mov     %eax, %cr0

    lgdt    PA(boot_gdt_ptr32)
    ljmp    $SEL_CODE64, $PA(entry64_low)

/* ESI held the info pointer; reuse it for the message: the boot is over anyway. */
no_long_mode:
    mov     $PA(msg_no_long_mode), %esi
early_die32:
    mov     $COM1 + 5, %dx              /* LSR */
2:  in      %dx, %al
    test    $0x20, %al                  /* THR empty */
    jz      2b
    lodsb
    test    %al, %al
    jz      3f
    mov     $COM1, %dx
    out     %al, %dx
    jmp     early_die32
3:  hlt
    jmp     3b

    .code64
entry64_low:
    movabs  $entry64_high, %rax         /* leave the identity map for the linked addresses */
    jmp     *%rax

msg_no_long_mode:
    .asciz  "\r\nminixen: this CPU has no long mode (x86_64); a 64-bit hypervisor cannot run. Halting.\r\n"

    .text
entry64_high:
    lgdt    boot_gdt_ptr64(%rip)
    mov     $SEL_DATA, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    xor     %eax, %eax
    mov     %eax, %fs
    mov     %eax, %gs

    /* The loader zeroed .bss (bss_end_addr); do it again, a debugger reload may not. */
    mov     %edi, %r12d
    mov     %esi, %r13d
    lea     _bss_start(%rip), %rdi
    lea     _bss_end(%rip), %rcx
    sub     %rdi, %rcx
    shr     $3, %rcx
    xor     %eax, %eax
    rep stosq

    lea     cpu_stacks + STACK_SIZE(%rip), %rsp
    xor     %ebp, %ebp
    mov     %r12d, %edi
    mov     %r13d, %esi
    call    start_xen                   /* does not return */
    jmp     halt

/* A CPU with nothing left to do: interrupts off, halted for good. */
    .global halt
halt:
    cli
4:  hlt
    jmp     4b

/*
 * Boot GDT: long-mode code, flat data, 32-bit code (the SMP trampoline's protected-mode
 * step). desc.c loads the full GDT with the TSS descriptors later.
 */
    .section .rodata
    .align  16
    .global boot_gdt
boot_gdt:
    .quad   0
    .quad   0x00af9a000000ffff          /* SEL_CODE64: L=1, present, ring 0, exec/read */
    .quad   0x00cf92000000ffff          /* SEL_DATA: 4 GiB, present, ring 0, read/write */
    .quad   0x00cf9a000000ffff          /* SEL_CODE32: 4 GiB, D=1, ring 0, exec/read */
boot_gdt_end:

boot_gdt_ptr32:
    .short  boot_gdt_end - boot_gdt - 1
    .long   PA(boot_gdt)
    .align  8
    .short  0, 0, 0
boot_gdt_ptr64:
    .short  boot_gdt_end - boot_gdt - 1
    .quad   boot_gdt

/* Boot page tables (see the top of this file). 2 MiB pages; >= 3 GiB is uncached MMIO. */
    .data
    .align  4096
    .global boot_pml4
boot_pml4:
    .quad   PA(boot_pdpt_low) + (PTE_P | PTE_W)
    .fill   510, 8, 0
    .quad   PA(boot_pdpt_high) + (PTE_P | PTE_W)
boot_pdpt_low:
    .quad   PA(boot_pd) + (PTE_P | PTE_W)
    .quad   PA(boot_pd) + 0x1000 + (PTE_P | PTE_W)
    .quad   PA(boot_pd) + 0x2000 + (PTE_P | PTE_W)
    .quad   PA(boot_pd) + 0x3000 + (PTE_P | PTE_W)
    .fill   508, 8, 0
boot_pdpt_high:
    .fill   510, 8, 0
    .quad   PA(boot_pd) + (PTE_P | PTE_W)
    .quad   PA(boot_pd) + 0x1000 + (PTE_P | PTE_W)
    .global boot_pd
boot_pd:
    .set    i, 0
    .rept   1536
    .quad   (i << 21) + (PTE_P | PTE_W | PTE_PS)
    .set    i, i + 1
    .endr
    .rept   512
    .quad   (i << 21) + (PTE_P | PTE_W | PTE_PS | PTE_PCD | PTE_PWT)
    .set    i, i + 1
    .endr

    .section .note.GNU-stack, "", @progbits
