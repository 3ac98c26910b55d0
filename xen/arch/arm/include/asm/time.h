/* SPDX-License-Identifier: Apache-2.0 */
/* The generic timer inside the arm64 port (time.c). */
#ifndef MINIXEN_ARM_ASM_TIME_H
#define MINIXEN_ARM_ASM_TIME_H

#include <asm/arm64.h>

void arm_time_init(void);     /* boot CPU: counter frequency */
void arm_time_init_cpu(void); /* every CPU: its hypervisor timer off */

uint64_t arm_ticks(void); /* CNTPCT_EL0 */
uint64_t arm_ticks_to_ns(uint64_t ticks);
uint64_t arm_ns_to_ticks(uint64_t ns); /* never more than a tick early: callers add one */

/*
 * The guest virtual timer (vtimer.c). While v runs, CNTV_* are live in the CPU and PPI 27
 * fires at EL2 (arm_vtimer_interrupt: mask it, inject virtual PPI 27). When v is switched
 * out, its timer is saved and switched off; if it was armed, v goes on its CPU's wake list
 * so that a blocked v still gets its interrupt (and wakes) when the deadline passes.
 */
struct vcpu;
void arm_vtimer_save(struct vcpu *v);    /* v leaves this CPU (interrupts masked) */
void arm_vtimer_restore(struct vcpu *v); /* v is about to run on this CPU */
/* v's timer condition holds (WFI must not sleep); loaded: v's context is on this CPU. */
bool arm_vtimer_expired(struct vcpu *v, bool loaded);

/*
 * Inject the vtimers of this CPU's wake list that are due at `now` (ticks); returns the
 * earliest deadline left there (0: none). Called by the CNTHP interrupt (time.c).
 */
uint64_t arm_vtimer_expire(uint64_t now);

/* time.c: the scheduler's deadline and the vtimer wake list share CNTHP. */
void arm_hyp_timer_want(uint64_t ticks); /* fire no later than ticks (0: nothing) */

#endif
