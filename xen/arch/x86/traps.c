/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trap dispatch: entry.S hands every exception and interrupt to x86_trap(), which indexes
 * a table by vector, as the arm64 port indexes one by ESR.EC. Exceptions (vectors 0-31)
 * come from a const table: in the hypervisor every one is fatal except the boot
 * self-tests' INT3, which proves the IDT, the stubs, the frame save/restore and IRETQ
 * work before anything depends on them, and their one double fault, which proves that a
 * #DF runs on its IST stack (desc.c) even when RSP points nowhere: without that, a broken
 * stack resets the machine with nothing on the console. Guests never reach this table: their
 * exceptions stay in the guest or become SVM exits. Interrupt vectors (32-255) get their handlers
 * at run time (APIC timer, IPIs) through irq_register().
 */
#include <asm/platform.h>
#include <asm/setup.h>
#include <xen/irq.h>
#include <xen/lib.h>

typedef void (*trap_handler_t)(struct cpu_regs *regs);

static const char *const exception_names[X86_NR_EXC] = {
    "#DE divide error",
    "#DB debug",
    "NMI",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound range",
    "#UD invalid opcode",
    "#NM no math",
    "#DF double fault",
    "coprocessor overrun",
    "#TS invalid TSS",
    "#NP segment not present",
    "#SS stack fault",
    "#GP general protection",
    "#PF page fault",
    "reserved 15",
    "#MF x87 error",
    "#AC alignment check",
    "#MC machine check",
    "#XM SIMD error",
    "#VE virtualization",
    "#CP control protection",
    "reserved 22",
    "reserved 23",
    "reserved 24",
    "reserved 25",
    "reserved 26",
    "reserved 27",
    "#HV injection",
    "#VC VMM communication",
    "#SX security",
    "reserved 31",
};

static unsigned int selftest_hits;
/* The double-fault self-test: where it resumes (0: not running, any #DF is fatal). */
static uint64_t df_resume_rip, df_resume_rsp;
static unsigned int df_hits;
static irq_handler_t irq_handlers[X86_NR_VECTORS];

static void __attribute__((noreturn)) fatal(struct cpu_regs *regs)
{
    unsigned int v = (unsigned int)regs->vector;

    printk("minixen: fatal %s (vector %u) on cpu %u: error %lx rip %lx rsp %lx rflags %lx\n",
           v < X86_NR_EXC ? exception_names[v] : "interrupt", v, smp_processor_id(),
           (unsigned long)regs->error_code, (unsigned long)regs->rip, (unsigned long)regs->rsp,
           (unsigned long)regs->rflags);
    /* A #DF's CR2 is the page fault that could not be delivered, when that was its cause. */
    if (v == X86_EXC_PF || v == X86_EXC_DF)
        printk("  cr2 %lx\n", (unsigned long)READ_CR(2));
    printk("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", (unsigned long)regs->rax,
           (unsigned long)regs->rbx, (unsigned long)regs->rcx, (unsigned long)regs->rdx);
    printk("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", (unsigned long)regs->rsi,
           (unsigned long)regs->rdi, (unsigned long)regs->rbp, (unsigned long)regs->r8);
    printk("  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", (unsigned long)regs->r9,
           (unsigned long)regs->r10, (unsigned long)regs->r11, (unsigned long)regs->r12);
    printk("  r13 %016lx r14 %016lx r15 %016lx cr3 %016lx\n", (unsigned long)regs->r13,
           (unsigned long)regs->r14, (unsigned long)regs->r15, (unsigned long)READ_CR(3));
    halt();
}

/* INT3 is a trap: RIP already points past it, so returning resumes the caller. */
static void trap_int3(struct cpu_regs *regs)
{
    selftest_hits++;
    (void)regs;
}

/*
 * #DF: always fatal, except the one the self-test provokes, which must have arrived on
 * this CPU's #DF stack; it goes back to the self-test with its stack pointer restored.
 */
static void trap_double_fault(struct cpu_regs *regs)
{
    uintptr_t frame = (uintptr_t)regs, stack = (uintptr_t)ist_stacks[smp_processor_id()][0];

    if (df_resume_rip == 0 || frame < stack || frame >= stack + IST_STACK_SIZE)
        fatal(regs);
    regs->rip = df_resume_rip;
    regs->rsp = df_resume_rsp;
    df_resume_rip = 0;
    df_hits++;
}

/* Exceptions by vector. Unlisted ones are fatal: the hypervisor itself must never fault. */
static const trap_handler_t exception_handlers[X86_NR_EXC] = {
    [X86_EXC_BP] = trap_int3,
    [X86_EXC_DF] = trap_double_fault,
};

void irq_register(unsigned int vector, irq_handler_t h)
{
    if (vector < X86_NR_EXC || vector >= X86_NR_VECTORS)
        panic("irq_register: vector %u is not an interrupt vector", vector);
    irq_handlers[vector] = h;
}

void x86_trap(struct cpu_regs *regs)
{
    unsigned int v = (unsigned int)regs->vector & (X86_NR_VECTORS - 1);

    if (v == VECTOR_SPURIOUS)
        return; /* the LAPIC withdrew it: no handler, and no EOI (the SDM says so) */
    if (v < X86_NR_EXC) {
        if (exception_handlers[v] == NULL)
            fatal(regs);
        exception_handlers[v](regs);
        return;
    }
    if (irq_handlers[v] == NULL)
        fatal(regs);
    irq_handlers[v](v);
    lapic_eoi(); /* every vector we register is a LAPIC interrupt: fixed IPIs, timer, IOAPIC */
}

void traps_selftest(void)
{
    __asm__ __volatile__("int3" ::: "memory");
    if (selftest_hits != 1)
        panic("IDT: the self-test INT3 did not come back through x86_trap");
    /*
     * A stack overflow, in small: a push with RSP at the top of CPU 0's guard page
     * (setup.c) page-faults, the #PF cannot push its frame there either, which makes a
     * #DF: it must run on the IST stack and resume at 1: with the stack pointer saved
     * here. RAX is the only register touched; the handler's IRETQ restores every other.
     */
    __asm__ __volatile__("leaq 1f(%%rip), %%rax\n"
                         "movq %%rax, %[rip]\n"
                         "movq %%rsp, %[rsp]\n"
                         "movq %[bad], %%rsp\n"
                         "pushq %%rax\n"
                         "1:\n"
                         : [rip] "=m"(df_resume_rip), [rsp] "=m"(df_resume_rsp)
                         : [bad] "r"(&cpu_stacks[0][STACK_GUARD])
                         : "rax", "memory");
    if (df_hits != 1)
        panic("IDT: the self-test double fault did not come back from its IST stack");
    printk("traps: IDT ok (vector table dispatch, iretq; #DF, NMI, #MC on IST stacks; stack guard "
           "pages)\n");
}
