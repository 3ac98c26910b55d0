/* SPDX-License-Identifier: Apache-2.0 */
/* Running vCPUs on this port: the run loop (run.c), exits (vmexit.c), hypercalls. */
#ifndef MINIXEN_X86_ASM_VCPU_H
#define MINIXEN_X86_ASM_VCPU_H

#include <asm/domain.h>

/* run.c. sched_state values while the port schedules on its own. */
#define X86_VCPU_DOWN    0
#define X86_VCPU_RUNNING 1
#define X86_VCPU_DEAD    2
int x86_assign_vcpu(struct vcpu *v, unsigned int cpu);
void x86_domain_started(void);
void x86_run_loop(unsigned int cpu) __attribute__((noreturn));
void x86_vcpu_block(struct vcpu *v);         /* HLT, SCHEDOP_block */
void x86_domain_crash(struct domain *d, const char *why);
void x86_domain_end(struct domain *d, unsigned int reason); /* SCHEDOP_shutdown */
void x86_kick_init(void);
bool x86_vcpu_upcall_pending(struct vcpu *v);

/* vmexit.c: handle one exit of v (the current vCPU). */
void x86_handle_exit(struct vcpu *v, const struct hvm_exit *exit);

/* hypercall.c: VMMCALL. */
void x86_hypercall(struct vcpu *v);
/* Fill the guest's hypercall page (the Xen MSR 0x40000000 write). 0 or -EFAULT. */
int x86_write_hypercall_page(struct vcpu *v, uint64_t gpa);

/* guest_mem.c: guest-virtual to guest-physical through v's own page tables. */
int guest_va_to_gpa(struct vcpu *v, uint64_t va, uint64_t *gpa);

#endif
