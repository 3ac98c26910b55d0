/* SPDX-License-Identifier: Apache-2.0 */
/* The arm64 port's internal interfaces between its boot pieces. */
#ifndef MINIXEN_ARM_ASM_SETUP_H
#define MINIXEN_ARM_ASM_SETUP_H

#include <asm/arm64.h>
#include <asm/heap.h>
#include <asm/hostdt.h>
#include <xen/lib.h> /* panic */

/* The hypervisor heap, right behind the image (or the DTB): <asm/heap.h>. */
#define HEAP_SIZE ((unsigned int)HEAP_BYTES)

extern uint8_t cpu_stacks[NR_CPUS][STACK_SIZE];
extern char _start[], _etext[], _edata[], _end[];

void start_xen(paddr_t dtb) __attribute__((noreturn));
void start_secondary(unsigned int cpu) __attribute__((noreturn));
void secondary_entry(void);
void halt(void) __attribute__((noreturn));
unsigned int arm_cpus_online(void); /* CPUs 0..n-1 are up */

/* traps.c */
void arm_trap(struct cpu_regs *regs, unsigned int vector);
void traps_selftest(void);

/* mm.c */
void mm_init(const struct host_dt *dt, paddr_t heap_start, size_t heap_size);
unsigned int mm_tables_used(void);
void mm_enable_secondary(void);

/* psci.c: psci_init() records the host DT's conduit before any call. */
void psci_init(const struct host_dt *dt);
int psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context);

/* drivers/rtc/pl031.c: the RTC at base for wallclock_init(); NULL if base is 0 or its
 * ID registers are not a PL031's (the MMU must map it: mm_init does). */
struct rtc_ops;
const struct rtc_ops *pl031_probe(paddr_t base);

static inline unsigned int smp_processor_id(void)
{
    return (unsigned int)READ_SYSREG(tpidr_el2);
}

#endif
