/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry of the conformance guest as an AArch32 kernel: an ARM zImage header (Linux's
 * Documentation/arch/arm/booting.rst: magic at 0x24, start and end at 0x28/0x2c, endian
 * marker at 0x30), then start-up per the ARM Linux boot protocol: SVC mode, MMU off,
 * r0 = 0, r1 = ~0, r2 = the guest DT. start is 0 (position independent) and end covers
 * .bss too (the linker script writes it out as zeros): a hypervisor places a zImage from
 * its header alone, so memory past `end` may hold the DT. The image is linked at 0 as a
 * static PIE and applies its own R_ARM_RELATIVE relocations.
 */
#define STACK_SIZE 16384
#define MAX_CPUS   4                    /* guest_arch.h's GUEST_MAX_CPUS */
#define MODE_SVC   0x13
#define MODE_IRQ   0x12
#define MODE_ABT   0x17
#define MODE_UND   0x1b
#define PSR_I_F    0xc0
#define R_ARM_RELATIVE 23

    .syntax unified
    .arm

/* PC-relative address of sym (no relocation needed, before or after ours are applied). */
    .macro  addr reg, sym
    ldr     \reg, 9998f
9997:
    add     \reg, pc, \reg
    b       9999f
9998:
    .long   \sym - (9997b + 8)
9999:
    .endm
    .section .text.head, "ax"
    .global _head
_head:
    .rept   8
    mov     r0, r0                      /* 0x00-0x1c: as a zImage begins */
    .endr
    b       start                       /* 0x20 */
    .long   0x016f2818                  /* 0x24: zImage magic */
    .long   0                           /* 0x28: start: load anywhere */
    .long   _image_end                  /* 0x2c: end (= size, .bss included) */
    .long   0x04030201                  /* 0x30: little-endian */

start:
    mrrc    p15, 1, r4, r5, c14         /* CNTVCT: arch_boot_counter, our first time */
    cpsid   aif
    mov     r8, r2                      /* DT */
    mrc     p15, 0, r0, c1, c0, 0       /* SCTLR: MMU, caches off; exceptions in ARM state */
    bic     r0, r0, #0x5                /* M, C */
    bic     r0, r0, #0x1000             /* I */
    bic     r0, r0, #0x40000000         /* TE */
    mcr     p15, 0, r0, c1, c0, 0
    isb

    /* R_ARM_RELATIVE: *(base + off) += base. */
    adr     r9, _head
    addr    r1, __rel_start
    addr    r2, __rel_end
1:  cmp     r1, r2
    bhs     2f
    ldmia   r1!, {r3, r6}               /* r_offset, r_info */
    and     r6, r6, #0xff
    cmp     r6, #R_ARM_RELATIVE
    bne     1b
    ldr     r7, [r9, r3]
    add     r7, r7, r9
    str     r7, [r9, r3]
    b       1b
2:
    /* Zero .bss (part of the image file, but a warm restart may find it dirty). */
    addr    r1, __bss_start
    addr    r2, __bss_end
    mov     r3, #0
3:  cmp     r1, r2
    strlo   r3, [r1], #4
    blo     3b

    addr    r1, arch_boot_counter
    strd    r4, r5, [r1]
    mov     r0, #0
    bl      cpu_setup
    mov     r0, r8
    bl      arch_boot_cpu0              /* page tables, MMU on, guest_main() */
hang:
    wfi
    b       hang

/*
 * cpu_setup(r0 = vCPU index): TPIDRPRW = index, VBAR, VFP on, and a stack in each mode
 * we take exceptions in (IRQ, abort, undefined: 1 KiB each at the bottom of the vCPU's
 * stack area; SVC gets the rest). Returns in SVC mode with interrupts masked.
 */
cpu_setup:
    mcr     p15, 0, r0, c13, c0, 4      /* TPIDRPRW */
    addr    r1, vectors
    mcr     p15, 0, r1, c12, c0, 0      /* VBAR */
    mrc     p15, 0, r1, c1, c0, 2       /* CPACR: cp10, cp11 full access */
    orr     r1, r1, #(0xf << 20)
    mcr     p15, 0, r1, c1, c0, 2
    isb
    mov     r1, #(1 << 30)              /* FPEXC.EN */
    vmsr    fpexc, r1
    addr    r1, cpu_stacks
    mov     r3, #STACK_SIZE
    mla     r1, r0, r3, r1              /* the bottom of this vCPU's area */
    add     r3, r1, #1024
    cps     #MODE_IRQ
    mov     sp, r3
    add     r3, r3, #1024
    cps     #MODE_ABT
    mov     sp, r3
    add     r3, r3, #1024
    cps     #MODE_UND
    mov     sp, r3
    cps     #MODE_SVC
    add     sp, r1, #STACK_SIZE
    bx      lr

/* PSCI CPU_ON entry: MMU off, SVC mode, r0 = the vCPU index we passed as context id. */
    .global secondary_entry
secondary_entry:
    cpsid   aif
    mrc     p15, 0, r1, c1, c0, 0
    bic     r1, r1, #0x5
    bic     r1, r1, #0x1000
    bic     r1, r1, #0x40000000
    mcr     p15, 0, r1, c1, c0, 0
    isb
    mov     r4, r0
    bl      cpu_setup
    mov     r0, r4
    bl      arch_boot_secondary
    b       hang

/* arch_mmu_enable(ttbr0 low, ttbr0 high, mair0, mair1): LPAE, identity map in place. */
    .global arch_mmu_enable
arch_mmu_enable:
    mcr     p15, 0, r2, c10, c2, 0      /* MAIR0 */
    mcr     p15, 0, r3, c10, c2, 1      /* MAIR1 */
    /* TTBCR: EAE, T0SZ 0 (4 GiB through TTBR0), walks inner shareable write-back. */
    ldr     r2, =0x80003500
    mcr     p15, 0, r2, c2, c0, 2
    mcrr    p15, 0, r0, r1, c2          /* TTBR0 */
    isb
    mov     r2, #0
    mcr     p15, 0, r2, c8, c7, 0       /* TLBIALL */
    dsb
    isb
    mrc     p15, 0, r2, c1, c0, 0
    orr     r2, r2, #0x5                /* M, C */
    orr     r2, r2, #0x1000             /* I */
    mcr     p15, 0, r2, c1, c0, 0
    isb
    bx      lr

/* Xen hypercall (arch-arm.h): HVC #0xEA1, number in r12, arguments r0-r4, result r0. */
    .global arch_hypercall
arch_hypercall:
    push    {r4, lr}
    mov     r12, r0
    mov     r0, r1
    mov     r1, r2
    mov     r2, r3
    ldr     r3, [sp, #8]                /* a3 */
    ldr     r4, [sp, #12]               /* a4 */
    hvc     #0xea1
    pop     {r4, pc}

/* SMCCC calls (PSCI) through either conduit: function id and arguments in r0-r3. */
    .global arch_smccc_hvc
arch_smccc_hvc:
    hvc     #0
    bx      lr
    .global arch_smccc_smc
arch_smccc_smc:
    smc     #0
    bx      lr

    .ltorg

    .bss
    .balign 8
    .global arch_boot_counter
arch_boot_counter:
    .quad   0
    .balign 16
    .global cpu_stacks
cpu_stacks:
    .space  STACK_SIZE * MAX_CPUS

    .section .note.GNU-stack, "", %progbits
