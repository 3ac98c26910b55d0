/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SErrors (asynchronous aborts), handled as Xen's default `serrors=diverse`:
 *
 *  - an SError taken while a guest runs, or drained into the window of arm_serror_sync()
 *    (entry.S) as the guest leaves its CPU, is that guest's: it is forwarded to the vCPU
 *    as a virtual SError (HCR_EL2.VSE) and the domain's own kernel decides what to do;
 *    no other domain and not the hypervisor is harmed;
 *  - an SError the hypervisor caused itself (taken at EL2 anywhere else) is fatal to
 *    the machine, as in Xen: EL2 state can no longer be trusted.
 *
 * HCR_EL2.VSE stays set until the guest takes the virtual SError (the CPU then clears
 * it), which may be after the vCPU is descheduled (PSTATE.A masked): the pending bit
 * travels with the vCPU (serror_switch_out/in), never to the next vCPU of the CPU.
 */
#include <asm/vcpu.h>
#include <xen/lib.h>

#define HCR_VSE (1ul << 8) /* a virtual SError is pending for EL1 */

extern const char serror_sync_window_start[], serror_sync_window_end[];

void arm_serror_forward(struct vcpu *v)
{
    struct arm_domain *ad = arm_domain(v->domain);

    if (!__atomic_exchange_n(&ad->serror_reported, true, __ATOMIC_RELAXED))
        printk("d%u v%u: SError forwarded to the guest (serrors=diverse; reported once)\n",
               v->domain->domain_id, v->vcpu_id);
    arm_vcpu(v)->vserror_pending = true;
    WRITE_SYSREG(READ_SYSREG(hcr_el2) | HCR_VSE, hcr_el2);
}

bool arm_serror_in_sync_window(uint64_t elr)
{
    return elr >= (uintptr_t)serror_sync_window_start && elr <= (uintptr_t)serror_sync_window_end;
}

void arm_serror_switch_out(struct vcpu *v)
{
    uint64_t hcr;

    arm_serror_sync(); /* may call arm_serror_forward(v): v is still this CPU's vCPU */
    hcr = READ_SYSREG(hcr_el2);
    arm_vcpu(v)->vserror_pending = (hcr & HCR_VSE) != 0;
    if (hcr & HCR_VSE)
        WRITE_SYSREG(hcr & ~HCR_VSE, hcr_el2);
}

void arm_serror_switch_in(struct vcpu *v)
{
    if (arm_vcpu(v)->vserror_pending)
        WRITE_SYSREG(READ_SYSREG(hcr_el2) | HCR_VSE, hcr_el2);
}
