/* SPDX-License-Identifier: Apache-2.0 */
/*
 * TEMPORARY: functions of other parts of the ARM guest support (scheduler, vGIC, p2m,
 * domain builder, hypercall table) that the run-time code calls but that are not on main
 * yet. Declaring them weak keeps every commit linking; the boot path checks the ones it
 * reaches without domains (no domain can exist before the builder lands, so the guest
 * paths cannot reach an absent function). Each line goes as its owner's code lands.
 */
#ifndef MINIXEN_ARM_ASM_LANDING_H
#define MINIXEN_ARM_ASM_LANDING_H

#include <xen/domain.h> /* before domain_build.h, which uses struct domain */
#include <asm/domain_build.h>
#include <asm/gic.h>
#include <asm/p2m.h>
#include <asm/vgic.h>
#include <xen/console.h>
#include <xen/hypercall.h>
#include <xen/sched.h>

#define LANDING_WEAK __attribute__((weak))

/* xen/common (engineer D) */
extern int sched_init(unsigned int nr_cpus) LANDING_WEAK;
extern struct vcpu *sched_pick(unsigned int cpu, struct vcpu *prev) LANDING_WEAK;
extern void sched_switched(struct vcpu *next) LANDING_WEAK;
extern void sched_timer_interrupt(void) LANDING_WEAK;
extern void vcpu_wake(struct vcpu *v) LANDING_WEAK;
extern void vcpu_block(struct vcpu *v) LANDING_WEAK;
extern void vcpu_yield(struct vcpu *v) LANDING_WEAK;
extern void vcpu_set_online(struct vcpu *v, bool online) LANDING_WEAK;
extern bool vcpu_is_online(const struct vcpu *v) LANDING_WEAK;
extern void domain_shutdown(struct domain *d, unsigned int reason) LANDING_WEAK;
extern void domain_pause(struct domain *d) LANDING_WEAK;
extern long hypercall_dispatch(struct vcpu *curr, unsigned long nr,
                               unsigned long args[HYPERCALL_NR_ARGS]) LANDING_WEAK;
extern void console_input(char c) LANDING_WEAK;

#endif
