/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The whole per-architecture interface of the conformance guest. Everything under
 * tests/guest/lib and tests/guest/suite is arch neutral and reaches the machine only
 * through these functions; a port (tests/guest/arch/<arch>/) implements all of them.
 *
 * Model: identity-mapped memory (a guest-physical frame number is the address >> 12),
 * up to GUEST_MAX_CPUS vCPUs, each with its index in a per-CPU register. Interrupts are
 * masked except inside guest_wait() windows; the port's interrupt entry calls
 * guest_irq_upcall() for the event-channel upcall and guest_irq_timer() for its timeout
 * timer, both with interrupts masked.
 */
#ifndef GUEST_ARCH_H
#define GUEST_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#define GUEST_MAX_CPUS  4
#define GUEST_PAGE_SIZE 4096u

/* ---- Start-up: the port calls these (defined in lib/ and suite/) ---- */
void guest_main(const void *dt);             /* vCPU 0, MMU on, stack set, .bss zeroed */
void guest_secondary_main(unsigned int cpu); /* vCPU n after arch_cpu_start() */
void guest_irq_upcall(unsigned int cpu);     /* the event-channel interrupt fired */
void guest_irq_timer(unsigned int cpu);      /* the timeout timer fired (already disarmed) */
void guest_fatal(const char *what, uint64_t a, uint64_t b, uint64_t c); /* unexpected trap */

/* ---- Hypercalls ---- */
long arch_hypercall(unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2,
                    unsigned long a3, unsigned long a4);

/* ---- Platform set-up from the guest DT (lib/fdt.h must have been initialised) ---- */
/* Interrupt controller and the upcall interrupt named by /hypervisor; 0 or a reason. */
const char *arch_platform_init(void);
/* Per-vCPU interrupt controller set-up; on every vCPU, interrupts masked. */
void arch_cpu_irq_init(void);
/* Number of vCPUs the DT describes (capped at GUEST_MAX_CPUS). */
unsigned int arch_nr_cpus(void);
/* Start vCPU `cpu` at guest_secondary_main(cpu). 0 or a negative PSCI/Xen error. */
long arch_cpu_start(unsigned int cpu);
unsigned int arch_cpu_id(void);
const char *arch_name(void);           /* "arm64", printed in the TAP header */
const char *arch_irq_controller(void); /* "GICv2", "GICv3": for the log */

/* ---- Where Xen's ABI itself differs by architecture (facts, not a probe of the hypervisor) */
/* SCHEDOP_block "enables event delivery" by clearing the guest's own interrupt mask (arm64:
 * PSTATE.I), so it returns at once with the upcall pending while masked. false on x86
 * (HVM/PVH): the mask is RFLAGS.IF, which Xen's block leaves alone and honours. */
extern const bool arch_block_unmasks_irqs;
/* Physical IRQs can be bound to event channels (EVTCHNOP_bind_pirq): x86, for a domain
 * that has them (a hardware domain); Xen on Arm routes device IRQs through the vGIC. */
extern const bool arch_has_pirqs;
/* The hypervisor keeps a pvclock in each vcpu_info (struct vcpu_time_info over the counter,
 * the TSC): x86, where Linux's clocksource and wall clock read it. Xen on Arm leaves it
 * zero; guests there use the generic timer. */
extern const bool arch_has_pvclock;

/* The host's RTC, which Xen gives the hardware domain with the host's other devices:
 * arm64: true, the first "arm,pl031" node of the DT, its data register (seconds since
 * 1970) read through the identity map's Device mapping; false on x86, where a PVH dom0's
 * RTC is the CMOS clock behind I/O ports, in no DT. */
extern const bool arch_hwdom_rtc_in_dt;
/* 1: the DT describes the RTC and *seconds is its count, *base its address; 0: it
 * describes none (or the port has none to look for); -1: described where it cannot be
 * read as a device. */
int arch_rtc_read(uint64_t *seconds, uint64_t *base);

/* ---- Isolation of per-CPU state the ABI does not cover (role=main, last area) ---- */
/* The port's own checks that a domain cannot see or change another's CPU state through
 * registers (arm64: debug and PMU registers). A fixed number of results per port. */
void arch_area_isolation(void);

/* ---- Interrupt masking on the current vCPU ---- */
void arch_irq_enable(void);
void arch_irq_disable(void);
bool arch_irq_enabled(void);

/* ---- Time: a free-running counter and a one-shot timeout interrupt ---- */
uint64_t arch_counter(void);
uint64_t arch_counter_freq(void);
/* The physical counter (CNTPCT on arm64: time since the machine's reset, not the domain's
 * creation) read by the guest's first instruction: `make bench`'s time to first guest
 * instruction. 0 where the port cannot read it. */
extern uint64_t arch_boot_counter;
void arch_timer_arm(uint64_t ticks_from_now); /* guest_irq_timer() when it expires */
void arch_timer_disarm(void);

void arch_relax(void); /* in spin loops */
/* Sleep in the hypervisor until an interrupt is pending for this vCPU, without losing one
 * that became pending after the caller's last check (made with interrupts masked). May
 * return with interrupts enabled (the interrupt already taken); the caller masks them.
 * arm64: SCHEDOP_block (Xen clears PSTATE.I and re-checks). x86: `sti; hlt`, because
 * Xen's SCHEDOP_block honours RFLAGS.IF: blocking with IF clear sleeps through a pending
 * interrupt (the guard timer that fired just before the call), and `sti; vmmcall` puts the
 * call in the STI shadow, which Xen also counts as interrupts blocked. */
void arch_wait_for_interrupt(void);

/* ---- Console fallback (a UART from the DT) when console_io is refused ---- */
bool arch_console_fallback_init(void);
void arch_console_fallback_write(const char *s, unsigned long len);

static inline uint64_t arch_gfn(const void *p)
{
    return (uint64_t)(uintptr_t)p >> 12;
}

#endif
