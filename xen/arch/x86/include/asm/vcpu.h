/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Running vCPUs on this port: the run loop (run.c) on the common scheduler, exits
 * (vmexit.c), hypercalls (hypercall.c), time (time.c), start states (vcpu_context.c).
 */
#ifndef MINIXEN_X86_ASM_VCPU_H
#define MINIXEN_X86_ASM_VCPU_H

#include <asm/domain.h>

/* run.c: each CPU's loop of sched_pick, injection, VMRUN, exit handling. */
void x86_run_loop(unsigned int cpu) __attribute__((noreturn));
void x86_kick_init(void);
/* The vCPU cpu's run loop is running now (NULL: idle); read on that CPU. */
struct vcpu *x86_running_vcpu(unsigned int cpu);
/* The global callback vector of HVM_PARAM_CALLBACK_IRQ (vector type), or 0. */
uint8_t x86_callback_vector(const struct domain *d);
/* End d after a fault the guest cannot survive (the reason goes to the console first). */
void x86_domain_crash(struct domain *d, const char *why);

/* time.c: this CPU's APIC timer serves the scheduler's deadline and its vCPUs' vLAPIC
 * timers, whichever comes first. */
void x86_time_init(void);
int x86_time_add_vcpu(struct vcpu *v, unsigned int cpu);
void x86_timer_reprogram(void); /* this CPU, after a vLAPIC timer changed */

/* vmexit.c: handle one exit of v (the current vCPU). */
void x86_handle_exit(struct vcpu *v, const struct hvm_exit *exit);
/* What CPUID leaf/sub answers v (vmexit.c), and its MAXPHYADDR (leaf 0x80000008). */
void x86_guest_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, uint32_t out[4]);
unsigned int x86_guest_maxphyaddr(struct vcpu *v);
/* MOV to CR4 (cr4.c). */
void x86_exit_cr4_write(struct vcpu *v, const struct hvm_exit *exit);

/* mmio.c: a nested page fault's access outside the domain's memory, emulated (xAPIC page,
 * the hardware domain's I/O APIC, all ones elsewhere) or refused with #GP. */
void x86_mmio_access(struct vcpu *v, const struct hvm_exit *exit);

/* hypercall.c: VMMCALL. */
void x86_hypercall(struct vcpu *v);
/* Fill the guest's hypercall page (the Xen MSR 0x40000000 write). 0 or -EFAULT. */
int x86_write_hypercall_page(struct vcpu *v, uint64_t gpa);

/* vcpu_context.c: the PVH boot state of vCPU 0 (32-bit, paging off, EBX = start info). */
void x86_pvh_start_state(struct hvm_start_state *s, uint32_t entry, uint32_t ebx);

/* guest_mem.c: guest-virtual to guest-physical through v's own page tables. */
int guest_va_to_gpa(struct vcpu *v, uint64_t va, uint64_t *gpa);
/* Crash reports: each entry a walk of va reads (any paging mode), and where it ends. */
void x86_dump_guest_walk(struct vcpu *v, uint64_t va);

#endif
