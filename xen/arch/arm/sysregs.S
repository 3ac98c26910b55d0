/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The EL1 system registers of a vCPU (struct el1_sysregs, asm/domain.h), saved and
 * restored in pairs: two MRS and one STP per two registers instead of the MRS + STR pairs
 * the compiler emits. Only a world switch runs these; the order is the struct's.
 */
.macro save2 a, b, off
    mrs     x1, \a
    mrs     x2, \b
    stp     x1, x2, [x0, #\off]
.endm

.macro load2 a, b, off
    ldp     x1, x2, [x0, #\off]
    msr     \a, x1
    msr     \b, x2
.endm

    .text
/* void el1_sysregs_save(struct el1_sysregs *x0) */
    .global el1_sysregs_save
el1_sysregs_save:
    save2   sctlr_el1, actlr_el1, 0
    save2   cpacr_el1, ttbr0_el1, 16
    save2   ttbr1_el1, tcr_el1, 32
    save2   mair_el1, amair_el1, 48
    save2   vbar_el1, contextidr_el1, 64
    save2   tpidr_el0, tpidrro_el0, 80
    save2   tpidr_el1, sp_el0, 96
    save2   sp_el1, elr_el1, 112
    save2   spsr_el1, esr_el1, 128
    save2   far_el1, afsr0_el1, 144
    save2   afsr1_el1, par_el1, 160
    save2   csselr_el1, cntkctl_el1, 176
    mrs     x1, mdscr_el1
    str     x1, [x0, #192]
    ret

/* void el1_sysregs_restore(const struct el1_sysregs *x0) */
    .global el1_sysregs_restore
el1_sysregs_restore:
    load2   sctlr_el1, actlr_el1, 0
    load2   cpacr_el1, ttbr0_el1, 16
    load2   ttbr1_el1, tcr_el1, 32
    load2   mair_el1, amair_el1, 48
    load2   vbar_el1, contextidr_el1, 64
    load2   tpidr_el0, tpidrro_el0, 80
    load2   tpidr_el1, sp_el0, 96
    load2   sp_el1, elr_el1, 112
    load2   spsr_el1, esr_el1, 128
    load2   far_el1, afsr0_el1, 144
    load2   afsr1_el1, par_el1, 160
    load2   csselr_el1, cntkctl_el1, 176
    ldr     x1, [x0, #192]
    msr     mdscr_el1, x1
    ret

/* void aarch32_sysregs_save(struct aarch32_sysregs *x0) */
    .global aarch32_sysregs_save
aarch32_sysregs_save:
    save2   spsr_abt, spsr_und, 0
    save2   spsr_irq, spsr_fiq, 16
    save2   dacr32_el2, ifsr32_el2, 32
    mrs     x1, fpexc32_el2
    str     x1, [x0, #48]
    ret

/* void aarch32_sysregs_restore(const struct aarch32_sysregs *x0) */
    .global aarch32_sysregs_restore
aarch32_sysregs_restore:
    load2   spsr_abt, spsr_und, 0
    load2   spsr_irq, spsr_fiq, 16
    load2   dacr32_el2, ifsr32_el2, 32
    ldr     x1, [x0, #48]
    msr     fpexc32_el2, x1
    ret
