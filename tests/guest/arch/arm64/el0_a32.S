/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A trip to AArch32 EL0 and back, for isolation.c: the guest kernel is AArch64, but its
 * processes may be AArch32, and their coprocessor instructions trap to the hypervisor
 * with AArch32 exception classes. The process's first exception to EL1 (vector 12,
 * "lower EL using AArch32, synchronous") comes back here as an ordinary return.
 *
 * SP_EL1 is untouched by EL0, so the frame pushed before the ERET is still at sp when
 * the vector branches to el0_a32_return.
 */
    .text
    .global arch_run_el0_a32
    .global el0_a32_return
arch_run_el0_a32:
    stp     x29, x30, [sp, #-112]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    str     x1, [sp, #96]
    msr     elr_el1, x0
    mov     x2, #0x1d0          /* AArch32 User mode, A32, A, I, F masked */
    msr     spsr_el1, x2
    mov     x1, #0x5a           /* r1: left alone unless the process writes it */
    isb
    eret
el0_a32_return:
    ldr     x2, [sp, #96]
    mrs     x3, elr_el1
    stp     x0, x1, [x2]
    str     x3, [x2, #16]
    mrs     x0, esr_el1
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #112
    ret

/* A32 code, run at EL0 through the alias mapping. */
    .balign 4
    .global el0_a32_probe
el0_a32_probe:
    .word   0xee190f1e          /* mrc p15, 0, r0, c9, c14, 0: PMUSERENR (MDCR_EL2.TPM) */
    .word   0xee101e11          /* mrc p14, 0, r1, c0, c1, 0: DBGDSCRint (MDCR_EL2.TDA) */
    .word   0xef000000          /* svc #0 */
