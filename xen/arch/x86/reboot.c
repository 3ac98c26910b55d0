/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A domU that asks for SHUTDOWN_reboot comes back from its boot configuration, as on ARM
 * (xen/arch/arm/domain_build.c): same domain id, same RAM, same ASID. A triple fault is a
 * crash, not a reboot (vmexit.c), and dom0's reboot resets the machine (common shutdown.c)
 * before this is reached.
 *
 * x86_rebuild_domain() runs from the scheduler once no CPU holds a vCPU of d
 * (domain_restart_when_quiescent), after domain_reset() put the common state back (event
 * channels, grant table, shared_info, vcpu_info, upcall vectors, HVM params). What is left
 * is the port's: every vCPU's VMCB, saved registers, vLAPIC and FPU/debug state; the nested
 * tables (add_to_physmap'ed pages gone, their tables freed: the heap charge is the first
 * build's again); the RAM, zeroed; the kernel and start info loaded by the first build's
 * own function; the static channels.
 *
 * Bound on the scrub: it zeroes d's RAM in one pass with interrupts masked, on the CPU that
 * saw d quiescent. Guest RAM comes from the hypervisor heap (dombuild.c), itself at most
 * 512 MiB (setup.c: HEAP_MAX), so that is the worst case; the domains this port is tested
 * with have 16 MiB (a few milliseconds). ARM's chunked scrub (reboot_scrub.c) would bound
 * it per chunk; this port does not do that yet.
 */
#include <asm/pvh.h>
#include <asm/vcpu.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>

/*
 * A vCPU of a rebooting domain back to its state after its first build, before any start
 * state: down, nothing pending. v runs on no CPU.
 */
static void vcpu_reset_state(struct vcpu *v)
{
    struct x86_vcpu *xv = x86_vcpu(v);

    vlapic_reset(v); /* IRR/ISR empty, software-disabled, timers stopped, LVTs masked */
    xstate_vcpu_reset(v); /* x87/SSE/AVX at FNINIT/MXCSR reset, XCR0 x87, DR0-DR3 zero */
    hvm->vcpu_reset(v); /* VMCB: no event to inject, no interrupt window, DR6/DR7 reset */
    xv->regs = (struct guest_regs){0};
    xv->interrupt_window_requested = false;
    xv->has_context = false; /* VCPUOP_initialise may give it a start state again */
}

int x86_rebuild_domain(struct domain *d)
{
    struct x86_domain *xd = x86_dom(d);
    int rc;

    if (xd == NULL || xd->config == NULL)
        return -EINVAL;
    for (uint32_t i = 0; i < d->max_vcpus; i++)
        vcpu_reset_state(d->vcpu[i]);
    npt_reset(d);
    /* Nothing of the old life may reach the new one: the loader writes only its image. */
    memset(xd->ram, 0, xd->ram_size);
    printk("d%u: RAM scrubbed: %llu KiB in one pass\n", d->domain_id,
           (unsigned long long)(xd->ram_size >> 10));
    rc = load_boot_image(d);
    if (rc != 0)
        return rc;
    rc = dombuild_rebind_static_evtchns(d);
    if (rc != 0)
        printk("%s: some static event channels were not restored (%d)\n", d->name, rc);
    return 0;
}
