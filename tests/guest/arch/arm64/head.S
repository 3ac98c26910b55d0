/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry of the conformance guest: an arm64 Image header, then EL1 start-up per the Linux
 * boot protocol (MMU off, x0 = the guest DT). The image is linked at 0 as a static PIE and
 * relocates itself, because Xen places dom0's kernel wherever dom0's RAM is and a dom0less
 * domU's at GUEST_RAM0_BASE; minixen may choose yet another address.
 */
#define STACK_SIZE 16384

/* PC-relative address of sym, +-4 GiB (adr reaches only 1 MiB; .bss is larger). */
    .macro  addr reg, sym
    adrp    \reg, \sym
    add     \reg, \reg, :lo12:\sym
    .endm

    .section .text.head, "ax"
    .global _head
_head:
    b       start                       /* code0 */
    .long   0                           /* code1 */
    .quad   0                           /* text_offset */
    .quad   _image_size                 /* image_size, .bss included */
    .quad   (1 << 3)                    /* flags: LE, 4K pages, 2 MiB aligned anywhere */
    .quad   0, 0, 0
    .ascii  "ARM\x64"
    .long   0

start:
    mrs     x21, cntpct_el0             /* arch_boot_counter: our first instruction's time */
    msr     daifset, #0xf
    mov     x19, x0                     /* DT */
    mrs     x1, CurrentEL
    cmp     x1, #(1 << 2)
    b.ne    hang                        /* only EL1 makes sense for a guest */
    ldr     x1, =0x30d00800             /* SCTLR_EL1 RES1 bits: MMU, caches off, LE */
    msr     sctlr_el1, x1
    isb

    /* Apply R_AARCH64_RELATIVE relocations: *(base + off) = base + addend. */
    adr     x20, _head
    addr    x1, __rela_start
    addr    x2, __rela_end
1:  cmp     x1, x2
    b.hs    2f
    ldp     x3, x4, [x1], #24           /* r_offset, r_info */
    ldr     x5, [x1, #-8]               /* r_addend */
    cmp     x4, #1027
    b.ne    1b
    add     x5, x5, x20
    str     x5, [x20, x3]
    b       1b
2:
    /* Zero .bss: both bounds 16-aligned by the linker script. */
    addr    x1, __bss_start
    addr    x2, __bss_end
3:  cmp     x1, x2
    b.hs    4f
    stp     xzr, xzr, [x1], #16
    b       3b
4:
    addr    x1, arch_boot_counter
    str     x21, [x1]
    msr     tpidr_el1, xzr
    addr    x1, cpu_stacks+STACK_SIZE
    mov     sp, x1
    addr    x1, el1_vectors
    msr     vbar_el1, x1
    isb
    mov     x0, x19
    bl      arch_boot_cpu0              /* builds page tables, MMU on, guest_main() */
hang:
    wfi
    b       hang

/* PSCI CPU_ON entry: MMU off, x0 = the CPU index we passed as context id. */
    .global secondary_entry
secondary_entry:
    msr     daifset, #0xf
    ldr     x1, =0x30d00800
    msr     sctlr_el1, x1
    isb
    msr     tpidr_el1, x0
    addr    x1, cpu_stacks+STACK_SIZE
    mov     x2, #STACK_SIZE
    madd    x1, x0, x2, x1
    mov     sp, x1
    addr    x1, el1_vectors
    msr     vbar_el1, x1
    isb
    bl      arch_boot_secondary
    b       hang

/* arch_mmu_enable(ttbr0, tcr, mair): identity map already in place. */
    .global arch_mmu_enable
arch_mmu_enable:
    msr     mair_el1, x2
    msr     tcr_el1, x1
    msr     ttbr0_el1, x0
    isb
    tlbi    vmalle1
    dsb     nsh
    isb
    mrs     x3, sctlr_el1
    orr     x3, x3, #(1 << 0)           /* M */
    orr     x3, x3, #(1 << 2)           /* C */
    orr     x3, x3, #(1 << 12)          /* I */
    msr     sctlr_el1, x3
    isb
    ret

/* Xen hypercall: number in x16, arguments x0-x4, result x0 (arch-arm.h). */
    .global arch_hypercall
arch_hypercall:
    mov     x16, x0
    mov     x0, x1
    mov     x1, x2
    mov     x2, x3
    mov     x3, x4
    mov     x4, x5
    hvc     #0xea1
    ret

/* SMCCC calls (PSCI) through either conduit: function id and args in x0-x3. */
    .global arch_smccc_hvc
arch_smccc_hvc:
    hvc     #0
    ret
    .global arch_smccc_smc
arch_smccc_smc:
    smc     #0
    ret

    .bss
    .balign 8
    .global arch_boot_counter
arch_boot_counter:
    .quad   0
    .balign 16
    .global cpu_stacks
cpu_stacks:
    .space  STACK_SIZE * 4
