/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry point and arm64 Image header.
 *
 * The loader (QEMU -kernel, U-Boot booti) enters at _start on one CPU with the MMU and
 * D-cache off and x0 = physical address of the DTB (Linux arm64 boot protocol). We must be
 * at EL2; at EL1 there is nothing a hypervisor can do, so we say so on the UART and stop.
 * The image is linked at LOAD_ADDR and must run there (no relocation): the header asks
 * for text_offset 0x200000 from a 2 MiB-aligned DRAM base, and we check where we landed.
 */
#include <asm/arm64.h>

/*
 * An image away from its link address cannot run C (absolute addresses everywhere): it
 * explains a halt on QEMU virt's PL011, the one UART it can guess. Otherwise the board's
 * UART (board.mk UART) says it, through its driver: early_message() in setup.c.
 */
#define EARLY_UART 0x09000000

    .section .text.head, "ax"
    .global _start
_start:
    /* Image header (64 bytes). code0/code1: branch over the header. */
    b       real_start                  /* code0 */
    .long   0                           /* code1 */
    .quad   0x200000                    /* text_offset: LOAD_ADDR - DRAM base */
    .quad   _image_size                 /* image_size: .bss and the heap */
    .quad   (1 << 1)                    /* flags: little-endian, 4K pages, near DRAM base */
    .quad   0, 0, 0                     /* res2..res4 */
    .ascii  "ARM\x64"                   /* magic */
    .long   0                           /* res5 (PE/COFF offset: none) */

real_start:
    mov     x19, x0                     /* DTB, kept in a callee-saved register */
    msr     daifset, #0xf               /* nothing may interrupt boot */

    mrs     x1, CurrentEL
    cmp     x1, #CURRENTEL_EL2
    b.eq    1f
    adr     x0, msg_not_el2
    b       early_die
1:
    /* Linked address must equal load address: we use absolute addresses everywhere. */
    adr     x1, _start
    ldr     x2, =_start
    cmp     x1, x2
    b.eq    2f
    adr     x0, msg_wrong_addr
    b       early_die
2:
    /* EL2 with the MMU off: known state for SCTLR_EL2 (little-endian, no alignment trap). */
    ldr     x1, =SCTLR_EL2_RES1
    msr     sctlr_el2, x1
    isb

    /* Zero .bss (stacks, page tables): 16-byte stores, both bounds 16-aligned. */
    ldr     x1, =_bss_start
    ldr     x2, =_bss_end
3:  cmp     x1, x2
    b.hs    4f
    stp     xzr, xzr, [x1], #16
    b       3b
4:
    /* CPU 0's stack; TPIDR_EL2 holds the CPU index. */
    ldr     x1, =cpu_stacks + STACK_SIZE
    mov     sp, x1
    msr     tpidr_el2, xzr
    ldr     x1, =el2_vectors
    msr     vbar_el2, x1
    isb

    mov     x0, x19
    bl      start_xen                   /* does not return */
    b       halt

/*
 * Secondary CPUs enter here from PSCI CPU_ON at EL2, MMU off, x0 = their CPU index
 * (the context_id we passed). They share CPU 0's page tables.
 */
    .global secondary_entry
secondary_entry:
    msr     daifset, #0xf
    mov     x19, x0
    ldr     x1, =SCTLR_EL2_RES1
    msr     sctlr_el2, x1
    isb
    ldr     x1, =cpu_stacks + STACK_SIZE
    mov     x2, #STACK_SIZE
    madd    x1, x19, x2, x1
    mov     sp, x1
    msr     tpidr_el2, x19
    ldr     x1, =el2_vectors
    msr     vbar_el2, x1
    isb
    mov     x0, x19
    bl      start_secondary             /* does not return */
    b       halt

/* x0 = NUL-terminated message: write it to the board's UART, then stop this CPU. */
early_die:
    adr     x1, _start
    ldr     x2, =_start
    cmp     x1, x2
    b.ne    early_die_pl011
    ldr     x1, =cpu_stacks + STACK_SIZE /* CPU 0's stack: nothing else runs yet */
    mov     sp, x1
    bl      early_message
    b       halt
early_die_pl011:
    mov     x1, #EARLY_UART
5:  ldrb    w2, [x0], #1
    cbz     w2, halt
6:  ldr     w3, [x1, #0x18]             /* UARTFR */
    tbnz    w3, #5, 6b                  /* TXFF */
    strb    w2, [x1]                    /* UARTDR */
    b       5b

    .global halt
halt:
    wfe
    b       halt

msg_not_el2:
    .ascii  "minixen: entered at EL1, not EL2. A hypervisor needs EL2:\r\n"
    .ascii  "minixen: QEMU needs -machine <machine>,virtualization=on. Halting.\r\n\0"
msg_wrong_addr:
    .ascii  "minixen: loaded at the wrong address (the Image must sit at DRAM base + 0x200000). Halting.\r\n\0"
    .ltorg
