/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The run loop of each physical CPU, on the common scheduler (xen/include/xen/sched.h),
 * like the arm64 port's: with interrupts masked, ask sched_pick() for the vCPU to run;
 * none: halt until an interrupt; otherwise queue the interrupt it should take, VMRUN it,
 * open a one-instruction window for the physical interrupt that ended its run (timer,
 * kick IPI, UART), handle its exit, and ask again. A vCPU's state lives in its VMCB and
 * struct guest_regs, except what VMRUN leaves alone (FPU/SIMD, XCR0, DR0-DR3), which
 * xstate_switch() saves and loads whenever this CPU changes vCPU.
 *
 * Interrupts for the guest (docs/x86.md has the diagram):
 *   - HVM_PARAM_CALLBACK_IRQ of the vector type: one vector for every vCPU, outside the
 *     virtual LAPIC: injected on every entry while evtchn_upcall_pending is set and the
 *     guest can take it; no EOI (Xen's semantics).
 *   - the virtual LAPIC (vlapic.c): the per-vCPU upcall vector of
 *     HVMOP_set_evtchn_upcall_vector (which takes precedence, as on Xen), its timer, IPIs;
 *     injected by priority and retired by the guest's EOI.
 * Injection waits for RFLAGS.IF and the interrupt shadow: until then the interrupt-window
 * exit is requested.
 */
#include <asm/platform.h>
#include <asm/setup.h>
#include <asm/pvh.h>
#include <asm/vcpu.h>
#include <xen/irq.h>
#include <xen/arch_hooks.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <public/hvm/params.h>
#include <public/sched.h>

#define ICR_FIXED 0x00004000

uint8_t x86_callback_vector(const struct domain *d)
{
    uint64_t via = __atomic_load_n(&d->hvm_params[HVM_PARAM_CALLBACK_IRQ], __ATOMIC_ACQUIRE);

    /* Only the vector type: GSI and PCI INTx need an emulated IOAPIC/PIC (Xen refuses
     * them for PVH domains too). Vectors below 16 are exceptions, never delivered. */
    if ((via & HVM_PARAM_CALLBACK_IRQ_TYPE_MASK) >> HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT !=
            HVM_PARAM_CALLBACK_TYPE_VECTOR ||
        (via & 0xff) < 16)
        return 0;
    return (uint8_t)via;
}

/* The global callback applies while v has no upcall vector of its own. */
static bool callback_pending(const struct vcpu *v)
{
    return __atomic_load_n(&v->upcall_vector, __ATOMIC_ACQUIRE) == 0 &&
           x86_callback_vector(v->domain) != 0 && vcpu_upcall_pending(v);
}

static void kick_handler(unsigned int irq)
{
    (void)irq; /* its work is done: the guest exited, and the run loop looks again */
}

void x86_kick_init(void)
{
    irq_register(VECTOR_KICK, kick_handler);
}

void arch_cpu_kick(unsigned int cpu)
{
    if (cpu < nr_cpus_online && cpu != smp_processor_id())
        lapic_send_ipi(cpu_apic_id[cpu], ICR_FIXED | VECTOR_KICK);
}

bool arch_vcpu_raise_upcall(struct vcpu *v)
{
    uint8_t vector = __atomic_load_n(&v->upcall_vector, __ATOMIC_ACQUIRE);

    if (vector != 0 && v->arch != NULL)
        return vlapic_mark_irq(v, vector); /* an edge into the vLAPIC */
    return true; /* the callback vector is injected while the flag stays set */
}

void arch_vcpu_wake_poller(struct vcpu *v)
{
    vcpu_wake(v);
}

#define VCPU_INFO_UPCALL_MASK 1 /* vcpu_info.evtchn_upcall_mask: byte 1 on x86 */

void arch_vcpu_enable_event_delivery(struct vcpu *v)
{
    volatile uint8_t *info = __atomic_load_n(&v->vcpu_info, __ATOMIC_ACQUIRE);

    /* Xen writes the byte although HVM delivery ignores it: the guest may look at it. */
    if (info != NULL)
        info[VCPU_INFO_UPCALL_MASK] = 0;
}

bool arch_vcpu_has_wakeup_event(struct vcpu *v)
{
    /* Whatever the guest's RFLAGS.IF: a blocked vCPU wakes for it and takes it once it
     * enables interrupts (the arm64 port does the same for a masked PSTATE.I). */
    return v->arch != NULL && (callback_pending(v) || vlapic_pending(v) >= 0);
}

void x86_domain_crash(struct domain *d, const char *why)
{
    printk("minixen: domain %u (%s): %s; the domain ends\n", d->domain_id, d->name, why);
    domain_shutdown(d, SHUTDOWN_crash);
}

/* Queue the interrupt v should take now, or ask to be told when it can take one. */
static void prepare_interrupts(struct vcpu *v)
{
    struct x86_vcpu *xv = x86_vcpu(v);
    int vector = -1;
    bool from_lapic = false;

    if (callback_pending(v)) {
        vector = x86_callback_vector(v->domain);
    } else {
        vector = vlapic_pending(v);
        from_lapic = vector >= 0;
    }
    if (vector >= 0 && !hvm->event_pending(v) && hvm->can_inject_interrupt(v)) {
        hvm->inject_interrupt(v, (uint8_t)vector);
        xv->irq_injected_at = xv->regs.rip; /* exit_hlt: a HLT here has had its wake-up */
        if (from_lapic)
            vlapic_accept(v, (uint8_t)vector);
        vector = -1;
    }
    /* Still something to deliver: exit as soon as the guest can take it. */
    if ((vector >= 0) != xv->interrupt_window_requested) {
        xv->interrupt_window_requested = vector >= 0;
        hvm->request_interrupt_window(v, vector >= 0);
    }
}

static struct vcpu *running[NR_CPUS]; /* the run loop's vCPU on each CPU (NULL: idle) */

struct vcpu *x86_running_vcpu(unsigned int cpu)
{
    return cpu < NR_CPUS ? running[cpu] : NULL;
}

void x86_run_loop(unsigned int cpu)
{
    struct vcpu *prev = NULL;
    struct hvm_exit exit;

    local_irq_disable();
    for (;;) {
        struct vcpu *v = sched_pick(cpu, prev);

        if (v != prev) {
            /* FPU/SIMD and DR0-DR3 are not in the VMCB: move them by hand (xstate.c). */
            xstate_switch(prev, v);
            sched_switched(v);
            running[cpu] = v;
            if (v != NULL)
                vlapic_timer_resume(v);
        }
        prev = v;
        if (v == NULL) {
            /* Nothing to run: help a rebooting domain's scrub first, a chunk at a time,
             * taking what arrived meanwhile (timer, kicks) after each. */
            if (x86_reboot_scrub_step()) {
                __asm__ __volatile__("sti; nop; cli" ::: "memory");
                continue;
            }
            /* Idle until an interrupt: STI's shadow covers HLT, so no wake-up is lost. */
            __asm__ __volatile__("sti; hlt; cli" ::: "memory");
            continue;
        }
        /* A busy CPU scrubs too: one chunk per run, so the scrub finishes. */
        (void)x86_reboot_scrub_step();
        prepare_interrupts(v);
        hvm->vcpu_run(v, &exit);
        /* The physical interrupt that ended the run (if any) is taken here. */
        __asm__ __volatile__("sti; nop; cli" ::: "memory");
        /* Taken down meanwhile (its domain ended, VCPUOP_down): the exit is dropped and
         * the instruction runs again if it is ever brought back up. */
        if (vcpu_is_online(v))
            x86_handle_exit(v, &exit);
    }
}
