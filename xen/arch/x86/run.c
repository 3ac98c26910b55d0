/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The run loop of each physical CPU: pick a vCPU pinned here, make its pending upcall an
 * interrupt (or ask for the interrupt window), enter it, open a short window for the
 * physical interrupts that ended its run (timer, kick IPIs), handle its exit, repeat.
 *
 * Scheduling is the port's own minimal one until the common scheduler (xen/common/sched.c)
 * is linked: vCPUs are pinned for life and several on one CPU share it round-robin in
 * 10 ms slices on the APIC one-shot timer. A vCPU blocks on HLT and SCHEDOP_block and
 * wakes when its upcall is pending; a CPU with nothing to run halts until an interrupt.
 *
 * Upcalls (see docs/x86.md): HVM_PARAM_CALLBACK_IRQ's vector is injected on every entry
 * while evtchn_upcall_pending is set and the guest can take it (no EOI, as Xen does);
 * HVMOP_set_evtchn_upcall_vector's goes through the minimal virtual LAPIC: injected once,
 * then in service until the guest's EOI.
 */
#include <asm/platform.h>
#include <asm/setup.h>
#include <asm/vcpu.h>
#include <xen/arch_hooks.h>
#include <xen/lib.h>
#include <xen/spinlock.h>

#define RUNQ_MAX      16
#define SLICE_NS      10000000ull
#define ICR_FIXED     0x00004000

struct cpu_runq {
    struct vcpu *vcpu[RUNQ_MAX];
    unsigned int nr;
    unsigned int next;        /* round-robin cursor */
    struct vcpu *current;
    volatile bool slice_over; /* the slice timer fired */
};

static struct cpu_runq runqs[NR_CPUS];
static volatile unsigned int domains_alive;

struct vcpu *x86_current(void)
{
    return runqs[smp_processor_id()].current;
}

int x86_assign_vcpu(struct vcpu *v, unsigned int cpu)
{
    struct cpu_runq *rq = &runqs[cpu % NR_CPUS];

    if (rq->nr == RUNQ_MAX)
        return -1;
    v->processor = cpu % NR_CPUS;
    rq->vcpu[rq->nr++] = v;
    return 0;
}

void x86_domain_started(void)
{
    __atomic_fetch_add(&domains_alive, 1, __ATOMIC_RELAXED);
}

bool x86_vcpu_upcall_pending(struct vcpu *v)
{
    const volatile uint8_t *pending = v->vcpu_info;

    return pending != NULL && (*pending & (1u << VCPU_INFO_UPCALL_PENDING_BIT)) != 0;
}

static bool vcpu_dead(const struct vcpu *v)
{
    return v->sched_state == X86_VCPU_DEAD;
}

static void kick_handler(struct cpu_regs *regs)
{
    (void)regs; /* its work is done: the guest exited, and the run loop looks again */
    lapic_eoi();
}

static void slice_handler(struct cpu_regs *regs)
{
    (void)regs;
    runqs[smp_processor_id()].slice_over = true;
    lapic_eoi();
}

void x86_kick_init(void)
{
    irq_register(VECTOR_KICK, kick_handler);
    irq_register(VECTOR_TIMER, slice_handler);
}

void arch_cpu_kick(unsigned int cpu)
{
    if (cpu < NR_CPUS && cpu != smp_processor_id())
        lapic_send_ipi(cpu_apic_id[cpu], ICR_FIXED | VECTOR_KICK);
}

void x86_vcpu_block(struct vcpu *v)
{
    struct x86_vcpu *xv = x86_vcpu(v);

    if (!x86_vcpu_upcall_pending(v) || xv->upcall_in_service)
        xv->halted = true;
}

/* A blocked vCPU with an upcall to take wakes up; remote CPUs get a kick. */
static void wake(struct vcpu *v)
{
    x86_vcpu(v)->halted = false;
    arch_cpu_kick(v->processor);
}

void arch_vcpu_raise_upcall(struct vcpu *v)
{
    wake(v);
}

void arch_vcpu_wake_poller(struct vcpu *v)
{
    wake(v);
}

static void domain_end(struct domain *d, const char *how)
{
    bool was_alive = false;

    for (uint32_t i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];

        if (v != NULL && !vcpu_dead(v)) {
            was_alive = true;
            v->sched_state = X86_VCPU_DEAD;
            if (v->processor != smp_processor_id())
                arch_cpu_kick(v->processor);
        }
    }
    if (!was_alive)
        return;
    printk("minixen: domain %u (%s) %s\n", d->domain_id, d->name, how);
    if (__atomic_sub_fetch(&domains_alive, 1, __ATOMIC_ACQ_REL) == 0)
        printk("minixen: all domains have shut down\n");
}

void x86_domain_crash(struct domain *d, const char *why)
{
    char how[128];

    xen_snprintf(how, sizeof(how), "crashed: %s; the domain ends", why);
    domain_end(d, how);
}

void x86_domain_end(struct domain *d, unsigned int reason)
{
    static const char *const names[] = {"poweroff", "reboot", "suspend", "crash", "watchdog",
                                        "soft_reset"};
    char how[64];

    xen_snprintf(how, sizeof(how), "shut down (%s)",
                 reason < ARRAY_SIZE(names) ? names[reason] : "unknown reason");
    domain_end(d, how);
}

static bool runnable(struct vcpu *v)
{
    struct x86_vcpu *xv = x86_vcpu(v);

    if (vcpu_dead(v) || v->sched_state == X86_VCPU_DOWN)
        return false;
    if (xv->halted && x86_vcpu_upcall_pending(v) && !xv->upcall_in_service)
        xv->halted = false;
    return !xv->halted;
}

/* Keep the current vCPU until its slice ends or it stops being runnable. */
static struct vcpu *pick(struct cpu_runq *rq)
{
    if (rq->current != NULL && runnable(rq->current) && !rq->slice_over)
        return rq->current;
    rq->slice_over = false;
    for (unsigned int i = 0; i < rq->nr; i++) {
        struct vcpu *v = rq->vcpu[(rq->next + i) % rq->nr];

        if (runnable(v)) {
            rq->next = (rq->next + i + 1) % rq->nr;
            return v;
        }
    }
    return NULL;
}

static void deliver_upcall(struct vcpu *v)
{
    struct x86_vcpu *xv = x86_vcpu(v);
    uint8_t vector = xv->upcall_vector ? xv->upcall_vector : x86_dom(v->domain)->callback_vector;

    if (vector == 0 || !x86_vcpu_upcall_pending(v) || (xv->upcall_vector && xv->upcall_in_service)) {
        if (xv->interrupt_window_requested) {
            hvm->request_interrupt_window(v, false);
            xv->interrupt_window_requested = false;
        }
        return;
    }
    if (hvm->can_inject_interrupt(v)) {
        hvm->inject_interrupt(v, vector);
        if (xv->upcall_vector)
            xv->upcall_in_service = true;
        if (xv->interrupt_window_requested) {
            hvm->request_interrupt_window(v, false);
            xv->interrupt_window_requested = false;
        }
    } else if (!xv->interrupt_window_requested) {
        hvm->request_interrupt_window(v, true);
        xv->interrupt_window_requested = true;
    }
}

void x86_run_loop(unsigned int cpu)
{
    struct cpu_runq *rq = &runqs[cpu];
    struct hvm_exit exit;

    local_irq_disable();
    for (;;) {
        struct vcpu *v = pick(rq);

        if (v != rq->current) {
            rq->current = v;
            /* Share the CPU in slices only when someone else could use it. */
            lapic_timer_oneshot_ns(v != NULL && rq->nr > 1 ? SLICE_NS : 0);
        }
        if (v == NULL) {
            /* Idle until an interrupt: STI's shadow covers HLT, so no wake-up is lost. */
            __asm__ __volatile__("sti; hlt; cli" ::: "memory");
            continue;
        }
        deliver_upcall(v);
        hvm->vcpu_run(v, &exit);
        /* The physical interrupt that ended the run (if any) is taken here. */
        __asm__ __volatile__("sti; nop; cli" ::: "memory");
        if (!vcpu_dead(v))
            x86_handle_exit(v, &exit);
    }
}
