/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL2 trap dispatch: entry.S hands every exception to arm_trap(), which indexes a table
 * by ESR_EL2.EC for synchronous exceptions. No guest runs yet, so every trap from the
 * hypervisor itself is fatal except the boot self-test's BRK, which proves that the
 * vectors, the frame save/restore and ERET work before anything depends on them.
 */
#include <asm/setup.h>
#include <xen/lib.h>

/* The BRK immediate of the self-test; any other BRK at EL2 is a bug. */
#define BRK_SELFTEST 0x4d58

typedef void (*trap_handler_t)(struct cpu_regs *regs, unsigned int vector);

static const char *const vector_names[16] = {
    "sync/EL2t",   "irq/EL2t",    "fiq/EL2t",    "serror/EL2t",   "sync/EL2h",  "irq/EL2h",
    "fiq/EL2h",    "serror/EL2h", "sync/EL1a64", "irq/EL1a64",    "fiq/EL1a64", "serror/EL1a64",
    "sync/EL1a32", "irq/EL1a32",  "fiq/EL1a32",  "serror/EL1a32",
};

static unsigned int selftest_hits;

static void __attribute__((noreturn)) fatal(struct cpu_regs *regs, unsigned int vector)
{
    unsigned int ec = (unsigned int)(regs->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;

    printk("minixen: fatal %s on cpu %u: ESR %lx (EC %x) ELR %lx FAR %lx SPSR %lx\n",
           vector_names[vector & 15], smp_processor_id(), (unsigned long)regs->esr, ec,
           (unsigned long)regs->elr, (unsigned long)regs->far, (unsigned long)regs->spsr);
    for (unsigned int i = 0; i < 31; i += 2) {
        if (i + 1 < 31)
            printk("  x%-2u %016lx  x%-2u %016lx\n", i, (unsigned long)regs->x[i], i + 1,
                   (unsigned long)regs->x[i + 1]);
        else
            printk("  x%-2u %016lx  sp  %016lx\n", i, (unsigned long)regs->x[i],
                   (unsigned long)regs->sp);
    }
    halt();
}

static void trap_brk(struct cpu_regs *regs, unsigned int vector)
{
    unsigned int imm = (unsigned int)(regs->esr & 0xffff);

    if (vector != (VEC_CUR_SPX << 2 | VEC_SYNC) || imm != BRK_SELFTEST)
        fatal(regs, vector);
    selftest_hits++;
    regs->elr += 4; /* BRK's preferred return address is the BRK itself */
}

/* Synchronous exceptions by EC. Unlisted classes are fatal until a guest can raise them. */
static const trap_handler_t sync_handlers[EC_NR] = {
    [EC_BRK64] = trap_brk,
};

void arm_trap(struct cpu_regs *regs, unsigned int vector)
{
    unsigned int ec = (unsigned int)(regs->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
    trap_handler_t h;

    if ((vector & 3) != VEC_SYNC)
        fatal(regs, vector); /* no interrupt is unmasked at EL2 yet */
    h = sync_handlers[ec];
    if (h == NULL)
        fatal(regs, vector);
    h(regs, vector);
}

void traps_selftest(void)
{
    __asm__ __volatile__("brk %0" ::"i"(BRK_SELFTEST) : "memory");
    if (selftest_hits != 1)
        panic("EL2 vectors: the self-test BRK did not come back through arm_trap");
    printk("traps: EL2 vectors ok (ESR.EC table dispatch, eret)\n");
}
