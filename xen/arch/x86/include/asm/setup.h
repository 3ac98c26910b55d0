/* SPDX-License-Identifier: Apache-2.0 */
/* The x86_64 port's internal interfaces between its boot pieces. */
#ifndef MINIXEN_X86_ASM_SETUP_H
#define MINIXEN_X86_ASM_SETUP_H

#include <asm/bootinfo.h>
#include <asm/x86.h>
#include <xen/lib.h> /* panic */

extern uint8_t cpu_stacks[NR_CPUS][STACK_SIZE];
/* desc.c: the stacks #DF, NMI and #MC switch to (the TSS's IST), one set per CPU. */
#define IST_STACK_SIZE 0x1000
#define X86_NR_IST     3
extern uint8_t ist_stacks[NR_CPUS][X86_NR_IST][IST_STACK_SIZE];
extern char _start[], _etext[], _edata[], _end[];
extern char _trampoline_end[];
extern uint64_t boot_pml4[512];
extern uint64_t boot_pd[2048]; /* head.S: 2 MiB pages over the low 4 GiB */

void start_xen(uint32_t magic, uint32_t info) __attribute__((noreturn));
void start_secondary(unsigned int cpu) __attribute__((noreturn));
void halt(void) __attribute__((noreturn));
void stack_guards_init(void);

/* desc.c: GDT with one TSS per CPU, and the IDT. */
void desc_init(void);
void desc_load(unsigned int cpu);

/* traps.c (irq_register: xen/irq.h, by IDT vector) */
void x86_trap(struct cpu_regs *regs);
void traps_selftest(void);

#define UART_ISA_IRQ 4 /* COM1 */

/* drivers/rtc/cmos.c: the CMOS RTC for wallclock_init(), its century at CMOS index
 * century_index (the FADT's; 0: none, years are 20xx). */
struct rtc_ops;
const struct rtc_ops *cmos_rtc_probe(uint8_t century_index);

/*
 * The CPU we run on, from the stack we run on: each CPU has its own, and none other. A
 * #DF, NMI or #MC handler runs on one of its CPU's IST stacks instead, so those are
 * looked up too (the fatal path needs the right CPU for its report).
 */
static inline unsigned int smp_processor_id(void)
{
    uintptr_t sp, off;

    __asm__("mov %%rsp, %0" : "=r"(sp));
    off = sp - (uintptr_t)cpu_stacks;
    if (off < sizeof(cpu_stacks))
        return (unsigned int)(off / STACK_SIZE);
    return (unsigned int)((sp - (uintptr_t)ist_stacks) / sizeof(ist_stacks[0]));
}

#endif
