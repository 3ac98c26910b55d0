/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A domU that asks for SHUTDOWN_reboot comes back from its boot configuration, as on ARM
 * (xen/arch/arm/domain_build.c): same domain id, same RAM, same ASID. A triple fault is a
 * crash, not a reboot (vmexit.c), and dom0's reboot resets the machine (common shutdown.c)
 * before this is reached.
 *
 * arch_domain_rebuild() runs from the scheduler once no CPU holds a vCPU of d
 * (domain_restart_when_quiescent), after domain_reset() put the common state back (event
 * channels, grant table, shared_info, vcpu_info, upcall vectors, HVM params). What is left
 * is the port's: every vCPU's VMCB, saved registers, vLAPIC and FPU/debug state; the nested
 * tables (add_to_physmap'ed pages gone, their tables freed: the heap charge is the first
 * build's again); the static channels; the RAM, zeroed in bounded chunks; then the kernel
 * and start info, loaded by the first build's own function.
 *
 * The scrub is bounded: the restart runs in a CPU's run loop with interrupts masked
 * (xen/common/sched.c), and zeroing a large domain there in one go would keep that CPU
 * from its timer, its kicks and every other vCPU for as long as that takes. Instead the
 * rebuild pauses d and leaves its RAM to the run loops (run.c): each, before a VMRUN or
 * before it idles, zeroes one REBOOT_SCRUB_CHUNK (2 MiB) and goes on, so between two looks
 * at interrupts and the scheduler a CPU spends at most one chunk here. Chunks are claimed
 * with one atomic add, so several CPUs share the work; the one that completes the last
 * chunk loads the image (the first build's load_boot_image) and unpauses d.
 */
#include <asm/platform.h>
#include <asm/pvh.h>
#include <asm/vcpu.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <public/sched.h>

/*
 * A vCPU of a rebooting domain back to its state after its first build, before any start
 * state: down, nothing pending. v runs on no CPU.
 */
static void vcpu_reset_state(struct vcpu *v)
{
    struct x86_vcpu *xv = x86_vcpu(v);

    vlapic_reset(v); /* IRR/ISR empty, software-disabled, timers stopped, LVTs masked */
    msr_state_init(&x86_vcpu(v)->msrs); /* PAT at reset, MTRRs off */
    xstate_vcpu_reset(v); /* x87/SSE/AVX at FNINIT/MXCSR reset, XCR0 x87, DR0-DR3 zero */
    hvm->vcpu_reset(v);   /* VMCB: no event to inject, no interrupt window, DR6/DR7 reset */
    xv->regs = (struct guest_regs){0};
    xv->interrupt_window_requested = false;
    xv->irq_injected_at = 0;
    xv->has_context = false; /* VCPUOP_initialise may give it a start state again */
}

#define REBOOT_SCRUB_CHUNK (2ull << 20)

static uint32_t scrubs_pending; /* domains with chunks left: 0 keeps the step to one load */

int arch_domain_rebuild(struct domain *d)
{
    struct x86_domain *xd = x86_dom(d);
    int rc;

    if (xd == NULL || xd->config == NULL)
        return -EINVAL;
    for (uint32_t i = 0; i < d->max_vcpus; i++)
        vcpu_reset_state(d->vcpu[i]);
    npt_reset(d);
    vioapic_init(&xd->vioapic); /* no vCPU of d runs: nobody holds its lock */
    rc = dombuild_rebind_static_evtchns(d);
    if (rc != 0)
        printk("%s: some static event channels were not restored (%d)\n", d->name, rc);

    domain_pause(d); /* vCPU 0 comes online now, but must not run before its image */
    xd->scrub_next = 0;
    xd->scrub_done = 0;
    __atomic_store_n(&xd->scrub_active, true, __ATOMIC_RELEASE);
    __atomic_fetch_add(&scrubs_pending, 1, __ATOMIC_ACQ_REL);
    /* Idle CPUs sleep in HLT: wake them to help. */
    for (unsigned int cpu = 0; cpu < nr_cpus_online; cpu++)
        arch_cpu_kick(cpu);
    return 0;
}

/* The last chunk is done: nothing of the old life is left; load the image and go. */
static void scrub_finish(struct domain *d)
{
    struct x86_domain *xd = x86_dom(d);
    int rc;

    __atomic_store_n(&xd->scrub_active, false, __ATOMIC_RELEASE);
    __atomic_fetch_sub(&scrubs_pending, 1, __ATOMIC_ACQ_REL);
    rc = load_boot_image(d);
    printk("d%u: RAM scrubbed in %llu chunks of %llu KiB%s\n", d->domain_id,
           (unsigned long long)((xd->ram_size + REBOOT_SCRUB_CHUNK - 1) / REBOOT_SCRUB_CHUNK),
           REBOOT_SCRUB_CHUNK >> 10, rc == 0 ? "" : ", image did not load: domain ended");
    if (rc != 0) {
        domain_shutdown(d, SHUTDOWN_crash);
        return;
    }
    domain_unpause(d);
}

bool x86_reboot_scrub_step(void)
{
    if (__atomic_load_n(&scrubs_pending, __ATOMIC_ACQUIRE) == 0)
        return false;
    for (unsigned int id = 0; id < MAX_DOMAINS; id++) {
        struct domain *d = domain_lookup((domid_t)id);
        struct x86_domain *xd = d != NULL ? x86_dom(d) : NULL;
        uint64_t off, len;

        if (xd == NULL || !__atomic_load_n(&xd->scrub_active, __ATOMIC_ACQUIRE))
            continue;
        off = __atomic_fetch_add(&xd->scrub_next, REBOOT_SCRUB_CHUNK, __ATOMIC_ACQ_REL);
        if (off >= xd->ram_size)
            continue; /* every chunk is claimed; another CPU finishes it */
        len = MIN(xd->ram_size - off, REBOOT_SCRUB_CHUNK);
        memset(xd->ram + off, 0, len);
        if (__atomic_add_fetch(&xd->scrub_done, len, __ATOMIC_ACQ_REL) == xd->ram_size)
            scrub_finish(d);
        return true;
    }
    return false;
}
