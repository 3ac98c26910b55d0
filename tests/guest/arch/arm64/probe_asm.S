/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Assembly of the hostile suite's arm64 probes (probe.c): the FP/SIMD registers, which
 * the C code (built -mgeneral-regs-only) never names, and one stub per system-register
 * encoding for the random MRS/MSR phase (an encoding is part of the instruction, so each
 * needs its own). Every stub is two instructions, 8 bytes: index * 8 finds it.
 */
    .arch   armv8-a+fp+simd
    .text

/* void probe_fp_write(const uint64_t v[4]): d16..d19 (the low halves of v16..v19). */
    .global probe_fp_write
probe_fp_write:
    ldp     x2, x3, [x0]
    fmov    d16, x2
    fmov    d17, x3
    ldp     x2, x3, [x0, #16]
    fmov    d18, x2
    fmov    d19, x3
    ret

/* void probe_fp_read(uint64_t v[4]) */
    .global probe_fp_read
probe_fp_read:
    fmov    x2, d16
    fmov    x3, d17
    stp     x2, x3, [x0]
    fmov    x2, d18
    fmov    x3, d19
    stp     x2, x3, [x0, #16]
    ret

/* Stubs for op0 = 3, op1 in {0, 1, 3}, every CRn, CRm, op2: 3 * 2048 reads (x0 = value)
 * then as many writes (of x0). The encoding is spelt s3_<op1>_c<n>_c<m>_<op2>, built with
 * .altmacro's %expr from counters. */
    .altmacro
    .macro  sysreg_stub op1, n, m, o, write
    .if     write
    msr     s3_&op1&_c&n&_c&m&_&o, x0
    .else
    mrs     x0, s3_&op1&_c&n&_c&m&_&o
    .endif
    ret
    .endm

    .macro  sysreg_stubs op1, write
    .set    crn, 0
    .rept   16
    .set    crm, 0
    .rept   16
    .set    op2, 0
    .rept   8
    sysreg_stub op1, %crn, %crm, %op2, write
    .set    op2, op2 + 1
    .endr
    .set    crm, crm + 1
    .endr
    .set    crn, crn + 1
    .endr
    .endm

    .balign 8
    .global probe_sysreg_read_stubs
probe_sysreg_read_stubs:
    sysreg_stubs 0, 0
    sysreg_stubs 1, 0
    sysreg_stubs 3, 0
    .global probe_sysreg_write_stubs
probe_sysreg_write_stubs:
    sysreg_stubs 0, 1
    sysreg_stubs 1, 1
    sysreg_stubs 3, 1
    .noaltmacro

    .section .note.GNU-stack, "", @progbits
