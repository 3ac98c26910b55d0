/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scheduler: vCPUs pinned to physical CPUs, one run queue per CPU, round-robin slices
 * (xen/include/xen/sched.h says how the port drives it).
 *
 * Locking. Each CPU's lock guards its run queue, its timer list, which vCPU it runs, and the
 * scheduler fields of every vCPU pinned to it (sched_state, runq_next, deadlines, runstate).
 * No path holds two CPU locks. Raising an event (VIRQ_TIMER) takes an event lock and may
 * end in vcpu_wake(), which takes a CPU lock: so nothing here sends an event while it holds
 * a CPU lock, and vcpu_wake() may be called with any event lock held.
 *
 * Wake-ups are never lost: a waker first makes its event visible (the port's vGIC, the
 * upcall flag, a pending port), then calls vcpu_wake(), which takes the vCPU's CPU lock.
 * A vCPU about to block re-checks arch_vcpu_has_wakeup_event() (and, polling, whether a
 * waker has already claimed it) under that same lock, so either it sees the event or the
 * waker sees it blocked.
 *
 * Invariant: a vCPU is on its CPU's run queue exactly when its state is RUNNABLE.
 */
#include <xen/alloc.h>
#include <xen/console.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/evtchn.h>
#include <xen/fence.h>
#include <xen/lib.h>
#include <xen/pv_console.h>
#include <xen/sched.h>
#include <xen/shutdown.h>
#include <public/sched.h>
#include <public/vcpu.h>

enum { VS_DOWN = 0, VS_RUNNABLE, VS_RUNNING, VS_BLOCKED };

struct sched_cpu {
    spinlock_t lock;
    struct vcpu *curr; /* the vCPU sched_pick() chose (NULL: idle) */
    /* Whose context the port has in the CPU now (sched_switched); lags curr by a switch. */
    struct vcpu *loaded;
    struct vcpu *runq_head, *runq_tail;
    struct vcpu *timers;   /* vCPUs with a guest timer or a poll deadline armed */
    uint64_t slice_end_ns; /* 0: curr has nobody to share the CPU with */
    bool timer_dirty;      /* a deadline changed: reprogram before leaving */
};

static struct sched_cpu *sched_cpus;
static unsigned int sched_nr_cpus;

/* Serialises shutdowns, so exactly one of them sees that it ended the last domain. */
static spinlock_t shutdown_lock = SPINLOCK_INIT;

/* Domains with restart_pending set: 0 keeps sched_switched()'s check to one load. */
static uint32_t restarts_pending;

static void restart_quiescent_domains(void);

static struct sched_cpu *cpu_of(const struct vcpu *v)
{
    return &sched_cpus[v->processor];
}

static bool sched_ready(const struct vcpu *v)
{
    return __atomic_load_n(&sched_cpus, __ATOMIC_ACQUIRE) != NULL && v != NULL &&
           __atomic_load_n(&v->sched_added, __ATOMIC_ACQUIRE);
}

/* May v use a CPU now? A paused or shut down domain's vCPUs wait on the queue. */
static bool eligible(const struct vcpu *v)
{
    const struct domain *d = v->domain;

    return !READ_ONCE(d->is_shut_down) && READ_ONCE(d->pause_count) == 0;
}

/* ---- Runstate accounting --------------------------------------------------------------- */

static const uint8_t runstate_of[] = {
    [VS_DOWN] = RUNSTATE_offline,
    [VS_RUNNABLE] = RUNSTATE_runnable,
    [VS_RUNNING] = RUNSTATE_running,
    [VS_BLOCKED] = RUNSTATE_blocked,
};

/* Change v's state (its CPU lock held), charging the time since the last change. */
static void set_state(struct vcpu *v, uint8_t state, uint64_t now)
{
    uint8_t rs = runstate_of[v->sched_state];

    if (now > v->runstate_entry_ns)
        v->runstate_time[rs] += now - v->runstate_entry_ns;
    v->runstate_entry_ns = now;
    WRITE_ONCE(v->sched_state, state);
}

/* ---- Run queue -------------------------------------------------------------------------- */

static void runq_add(struct sched_cpu *c, struct vcpu *v)
{
    v->runq_next = NULL;
    if (c->runq_tail != NULL)
        c->runq_tail->runq_next = v;
    else
        c->runq_head = v;
    c->runq_tail = v;
}

static void runq_remove(struct sched_cpu *c, struct vcpu *v)
{
    struct vcpu **pp, *prev = NULL;

    for (pp = &c->runq_head; *pp != NULL; prev = *pp, pp = &(*pp)->runq_next) {
        if (*pp != v)
            continue;
        *pp = v->runq_next;
        if (c->runq_tail == v)
            c->runq_tail = prev;
        v->runq_next = NULL;
        return;
    }
}

static struct vcpu *runq_first_eligible(const struct sched_cpu *c)
{
    struct vcpu *v;

    for (v = c->runq_head; v != NULL; v = v->runq_next)
        if (eligible(v))
            return v;
    return NULL;
}

/* ---- Deadlines -------------------------------------------------------------------------- */

static void timer_list_add(struct sched_cpu *c, struct vcpu *v)
{
    if (!v->on_timer_list) {
        v->on_timer_list = true;
        v->timer_next = c->timers;
        c->timers = v;
    }
    c->timer_dirty = true;
}

static void timer_list_remove(struct sched_cpu *c, struct vcpu *v)
{
    struct vcpu **pp;

    if (!v->on_timer_list)
        return;
    for (pp = &c->timers; *pp != NULL; pp = &(*pp)->timer_next) {
        if (*pp == v) {
            *pp = v->timer_next;
            break;
        }
    }
    v->on_timer_list = false;
    c->timer_dirty = true;
}

/* Earliest deadline of this CPU, dropping vCPUs that no longer have one. */
static uint64_t next_deadline(struct sched_cpu *c)
{
    uint64_t next = c->slice_end_ns;
    struct vcpu **pp = &c->timers;

    while (*pp != NULL) {
        struct vcpu *v = *pp;
        uint64_t t = v->guest_timer_ns;

        if (v->poll_deadline_ns != 0 && (t == 0 || v->poll_deadline_ns < t))
            t = v->poll_deadline_ns;
        if (t == 0) {
            *pp = v->timer_next;
            v->on_timer_list = false;
            continue;
        }
        if (next == 0 || t < next)
            next = t;
        pp = &v->timer_next;
    }
    return next;
}

/* Program this CPU's timer if something changed (c must be this CPU's, its lock held). */
static void reprogram(struct sched_cpu *c)
{
    if (!c->timer_dirty)
        return;
    c->timer_dirty = false;
    arch_set_cpu_timer(next_deadline(c));
}

static bool on_this_cpu(const struct vcpu *v)
{
    return v->processor == arch_this_cpu();
}

/* ---- Blocking and waking ---------------------------------------------------------------- */

/* v's poll is over (woken, timed out, cancelled): withdraw it from the event core's view. */
static void poll_finish(struct vcpu *v)
{
    if (__atomic_exchange_n(&v->poll_evtchn, 0, __ATOMIC_ACQ_REL) != 0)
        __atomic_fetch_sub(&v->domain->polling_vcpus, 1, __ATOMIC_RELAXED);
    v->poll_deadline_ns = 0;
}

/* BLOCKED -> RUNNABLE (v's CPU lock held). */
static void unblock_locked(struct sched_cpu *c, struct vcpu *v, uint64_t now)
{
    poll_finish(v);
    c->timer_dirty = true;
    set_state(v, VS_RUNNABLE, now);
    runq_add(c, v);
}

void vcpu_wake(struct vcpu *v)
{
    struct sched_cpu *c;
    unsigned long flags;
    bool kick;

    if (!sched_ready(v))
        return;
    c = cpu_of(v);
    flags = spin_lock_irqsave(&c->lock);
    switch (v->sched_state) {
    case VS_BLOCKED:
        unblock_locked(c, v, arch_now_ns());
        /*
         * A real blocked -> runnable transition: its CPU looks at its queue now, whatever
         * it runs. (Relying on an armed slice to end instead lost wake-ups on x86 when the
         * vCPU holding that slice went away with its domain: a blocked dom0 vCPU then
         * slept with nothing armed.)
         */
        kick = true;
        break;
    case VS_RUNNING:
        /* Only an exit loads what was just made pending (list registers, vLAPIC). */
        kick = true;
        break;
    default:
        /*
         * Down, or queued and waiting for its CPU: whoever queued it or made it eligible
         * has kicked already, and it sees its interrupts when it is switched in. Kicking
         * here let one guest send its peer's CPU an IPI per event (an IPI storm).
         */
        kick = false;
        break;
    }
    spin_unlock_irqrestore(&c->lock, flags);
    if (kick && !on_this_cpu(v))
        arch_cpu_kick(v->processor);
}

void vcpu_block(struct vcpu *v)
{
    struct sched_cpu *c;
    unsigned long flags;

    if (!sched_ready(v))
        return;
    c = cpu_of(v);
    flags = spin_lock_irqsave(&c->lock);
    if (v->sched_state == VS_RUNNING && !arch_vcpu_has_wakeup_event(v))
        set_state(v, VS_BLOCKED, arch_now_ns());
    spin_unlock_irqrestore(&c->lock, flags);
}

void vcpu_yield(struct vcpu *v)
{
    struct sched_cpu *c;
    unsigned long flags;

    if (!sched_ready(v))
        return;
    c = cpu_of(v);
    flags = spin_lock_irqsave(&c->lock);
    if (v->sched_state == VS_RUNNING) {
        /* Behind everyone already waiting; sched_pick() takes the queue's head. */
        set_state(v, VS_RUNNABLE, arch_now_ns());
        runq_add(c, v);
    }
    spin_unlock_irqrestore(&c->lock, flags);
}

int vcpu_poll(struct vcpu *v, const evtchn_port_t *ports, unsigned int nr_ports,
              uint64_t deadline_ns)
{
    struct domain *d = v->domain;
    struct sched_cpu *c;
    evtchn_port_t valid[XEN_SCHED_POLL_MAX_PORTS];
    unsigned int i, n = 0;
    unsigned long flags;
    int rc;

    if (nr_ports > XEN_SCHED_POLL_MAX_PORTS)
        return -EINVAL;
    if (!sched_ready(v))
        return 0;
    /* A port without storage was never bound: it cannot be pending (Xen: not an error). */
    for (i = 0; i < nr_ports; i++)
        if (evtchn_port_is_valid(d, ports[i]))
            valid[n++] = ports[i];

    /*
     * Announce the poll before looking at the ports: a sender that sets one pending after
     * our look then finds us in poll_evtchn and wakes us (evtchn_check_pollers).
     * Port 0 is never pending and 0 means "not polling": poll it as "any port".
     */
    __atomic_fetch_add(&d->polling_vcpus, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&v->poll_evtchn, nr_ports == 1 && ports[0] != 0 ? ports[0] : POLL_MANY_PORTS,
                     __ATOMIC_RELEASE);
    fence_full();

    rc = n > 0 ? evtchn_poll_any_pending(v, valid, n) : 0;
    if (rc != 0) {
        poll_finish(v);
        return rc > 0 ? 0 : rc;
    }

    c = cpu_of(v);
    flags = spin_lock_irqsave(&c->lock);
    if (v->sched_state != VS_RUNNING || arch_vcpu_has_wakeup_event(v) ||
        __atomic_load_n(&v->poll_evtchn, __ATOMIC_ACQUIRE) == 0) {
        /* An event is already there, or a sender already claimed us: do not sleep. */
        poll_finish(v);
    } else {
        uint64_t now = arch_now_ns();

        v->poll_timed_out = false;
        set_state(v, VS_BLOCKED, now);
        if (deadline_ns != 0) {
            v->poll_deadline_ns = deadline_ns;
            timer_list_add(c, v);
            if (on_this_cpu(v))
                reprogram(c);
        }
    }
    spin_unlock_irqrestore(&c->lock, flags);
    return 0;
}

/* ---- Guest timers ------------------------------------------------------------------------ */

void vcpu_set_guest_timer(struct vcpu *v, uint64_t deadline_ns)
{
    struct sched_cpu *c;
    unsigned long flags;
    bool local;

    if (!sched_ready(v))
        return;
    c = cpu_of(v);
    local = on_this_cpu(v);
    flags = spin_lock_irqsave(&c->lock);
    v->guest_timer_ns = deadline_ns;
    timer_list_add(c, v); /* also marks the CPU's deadline dirty when cancelling */
    if (local)
        reprogram(c);
    spin_unlock_irqrestore(&c->lock, flags);
    if (!local)
        arch_cpu_kick(v->processor); /* its sched_pick() reprograms its timer */
}

/* Upper bound of timer events handled in one interrupt: every vCPU there can be, once. */
#define TIMER_EVENTS_MAX (MAX_DOMAINS * MAX_VCPUS)

void sched_timer_interrupt(void)
{
    unsigned int cpu = arch_this_cpu(), round;
    struct sched_cpu *c;

    if (sched_cpus == NULL || cpu >= sched_nr_cpus)
        return;
    c = &sched_cpus[cpu];
    for (round = 0; round < TIMER_EVENTS_MAX; round++) {
        struct vcpu *v, *fire = NULL;
        unsigned long flags = spin_lock_irqsave(&c->lock);
        uint64_t now = arch_now_ns();

        for (v = c->timers; v != NULL; v = v->timer_next) {
            if (v->poll_deadline_ns != 0 && now >= v->poll_deadline_ns &&
                v->sched_state == VS_BLOCKED) {
                v->poll_timed_out = true;
                unblock_locked(c, v, now);
            }
            if (fire == NULL && v->guest_timer_ns != 0 && now >= v->guest_timer_ns) {
                v->guest_timer_ns = 0;
                fire = v;
            }
        }
        c->timer_dirty = true;
        if (fire == NULL)
            reprogram(c);
        spin_unlock_irqrestore(&c->lock, flags);
        if (fire == NULL)
            return;
        /* Outside the lock: delivery may wake the vCPU, which takes this lock again. */
        send_guest_vcpu_virq(fire, VIRQ_TIMER);
    }
}

/* ---- The run loop's side ------------------------------------------------------------------ */

struct vcpu *sched_pick(unsigned int cpu, struct vcpu *prev)
{
    struct sched_cpu *c;
    struct vcpu *curr, *next = NULL;
    unsigned long flags;
    uint64_t now;

    (void)prev; /* c->curr is the same vCPU, kept under the lock */
    if (sched_cpus == NULL || cpu >= sched_nr_cpus)
        return NULL;
    c = &sched_cpus[cpu];
    flags = spin_lock_irqsave(&c->lock);
    now = arch_now_ns();
    curr = c->curr;

    if (curr != NULL && curr->sched_state == VS_RUNNING) {
        struct vcpu *waiting = runq_first_eligible(c);

        if (!eligible(curr) ||
            (waiting != NULL && c->slice_end_ns != 0 && now >= c->slice_end_ns)) {
            set_state(curr, VS_RUNNABLE, now); /* paused, or its slice is over */
            runq_add(c, curr);
        } else {
            next = curr;
            if (waiting == NULL && c->slice_end_ns != 0) {
                c->slice_end_ns = 0; /* alone again: no slice to end */
                c->timer_dirty = true;
            } else if (waiting != NULL && c->slice_end_ns == 0) {
                c->slice_end_ns = now + SCHED_SLICE_NS; /* someone is waiting now */
                c->timer_dirty = true;
            }
        }
    }
    if (next == NULL) {
        next = runq_first_eligible(c);
        if (next != NULL) {
            runq_remove(c, next);
            set_state(next, VS_RUNNING, now);
            next->sched_initialised = true;
        }
        c->slice_end_ns = next != NULL && runq_first_eligible(c) != NULL ? now + SCHED_SLICE_NS : 0;
        c->timer_dirty = true;
    }
    __atomic_store_n(&c->curr, next, __ATOMIC_RELEASE);
    reprogram(c);
    spin_unlock_irqrestore(&c->lock, flags);
    return next;
}

/* The guest's runstate area, as every non-x86_32 guest lays it out (48 bytes). */
static size_t runstate_image(const struct vcpu *v, uint8_t buf[48])
{
    if (v->domain->guest_layout->word_bits == 32) {
        struct vcpu_runstate_info_x86_32 r32;
        unsigned int i;

        r32.state = runstate_of[v->sched_state];
        r32.state_entry_time[0] = (uint32_t)v->runstate_entry_ns;
        r32.state_entry_time[1] = (uint32_t)(v->runstate_entry_ns >> 32);
        for (i = 0; i < 4; i++) {
            r32.time[i][0] = (uint32_t)v->runstate_time[i];
            r32.time[i][1] = (uint32_t)(v->runstate_time[i] >> 32);
        }
        memcpy(buf, &r32, sizeof(r32));
        return sizeof(r32);
    } else {
        struct vcpu_runstate_info_64 r64 = {
            .state = runstate_of[v->sched_state],
            .state_entry_time = v->runstate_entry_ns,
        };

        memcpy(r64.time, v->runstate_time, sizeof(r64.time));
        memcpy(buf, &r64, sizeof(r64));
        return sizeof(r64);
    }
}
BUILD_BUG_ON(sizeof(struct vcpu_runstate_info_64) != 48);
BUILD_BUG_ON(sizeof(struct vcpu_runstate_info_x86_32) != 44);

size_t sched_runstate_snapshot(struct vcpu *v, uint8_t buf[48])
{
    struct sched_cpu *c;
    unsigned long flags;
    size_t len;

    if (!sched_ready(v))
        return runstate_image(v, buf);
    c = cpu_of(v);
    flags = spin_lock_irqsave(&c->lock);
    len = runstate_image(v, buf);
    spin_unlock_irqrestore(&c->lock, flags);
    return len;
}

int sched_write_runstate_area(struct vcpu *v)
{
    uint8_t buf[48];
    uint64_t area = READ_ONCE(v->runstate_area);
    size_t len;

    if (area == 0)
        return 0;
    len = sched_runstate_snapshot(v, buf);
    /* v is current: its address space translates the area (Xen ignores a failure too). */
    return arch_copy_to_guest(v->domain, area, buf, len);
}

void sched_switched(struct vcpu *next)
{
    unsigned int cpu = arch_this_cpu();

    if (sched_cpus != NULL && cpu < sched_nr_cpus)
        __atomic_store_n(&sched_cpus[cpu].loaded, next, __ATOMIC_RELEASE);
    /* This CPU just let go of a vCPU: maybe the last one of a domain that reboots. */
    if (__atomic_load_n(&restarts_pending, __ATOMIC_ACQUIRE) != 0)
        restart_quiescent_domains();
    if (next != NULL)
        (void)sched_write_runstate_area(next);
}

struct vcpu *sched_current(void)
{
    unsigned int cpu;

    if (sched_cpus == NULL)
        return NULL;
    cpu = arch_this_cpu();
    return cpu < sched_nr_cpus ? __atomic_load_n(&sched_cpus[cpu].curr, __ATOMIC_ACQUIRE) : NULL;
}

/*
 * The exit fast path: true when sched_pick(cpu, prev) has nothing to do now: prev keeps
 * running and no deadline needs reprogramming. Either nobody waits, or a slice is already
 * running, whose end the CPU timer announces with an interrupt (that exit calls
 * sched_pick). A wake on this CPU sets timer_dirty; one from another CPU kicks this one.
 * Lockless: a stale "true" costs one exit until the kick, never a lost wake.
 */
bool sched_keeps(unsigned int cpu, const struct vcpu *prev)
{
    /* Volatile loads, not READ_ONCE: same single-copy atomicity, but GCC folds the offsets. */
    const volatile struct sched_cpu *c = &sched_cpus[cpu];
    const volatile struct vcpu *p = prev;

    return c->curr == prev && p->sched_state == VS_RUNNING && !c->timer_dirty &&
           (c->runq_head == NULL || c->slice_end_ns != 0) && eligible(prev);
}

bool sched_kept_after_wakes(unsigned int cpu)
{
    return !((const volatile struct sched_cpu *)&sched_cpus[cpu])->timer_dirty;
}

/* ---- Set-up ------------------------------------------------------------------------------ */

int sched_init(unsigned int nr_cpus)
{
    struct sched_cpu *cpus;
    unsigned int i;

    if (nr_cpus == 0 || nr_cpus > 4096)
        return -EINVAL;
    cpus = xzalloc_array(struct sched_cpu, nr_cpus);
    if (cpus == NULL)
        return -ENOMEM;
    for (i = 0; i < nr_cpus; i++)
        cpus[i].lock = (spinlock_t)SPINLOCK_INIT;
    /* Called once at boot; the host tests call it again to start from a clean machine. */
    xfree(sched_cpus);
    sched_nr_cpus = nr_cpus;
    __atomic_store_n(&sched_cpus, cpus, __ATOMIC_RELEASE);
    return 0;
}

int sched_add_vcpu(struct vcpu *v, unsigned int cpu, bool online)
{
    if (sched_cpus == NULL || v == NULL || cpu >= sched_nr_cpus)
        return -EINVAL;
    if (v->sched_added)
        return -EEXIST;
    v->processor = cpu;
    v->sched_state = VS_DOWN;
    v->runstate_entry_ns = arch_now_ns();
    __atomic_store_n(&v->sched_added, true, __ATOMIC_RELEASE);
    if (online)
        vcpu_set_online(v, true);
    return 0;
}

/* ---- Life cycle ---------------------------------------------------------------------------- */

void vcpu_set_online(struct vcpu *v, bool online)
{
    struct sched_cpu *c;
    unsigned long flags;
    bool kick = false;

    if (!sched_ready(v))
        return;
    c = cpu_of(v);
    flags = spin_lock_irqsave(&c->lock);
    if (online && v->sched_state == VS_DOWN && !READ_ONCE(v->domain->is_shut_down)) {
        set_state(v, VS_RUNNABLE, arch_now_ns());
        runq_add(c, v);
        v->sched_initialised = true;
        kick = true;
    } else if (!online && v->sched_state != VS_DOWN) {
        if (v->sched_state == VS_RUNNABLE)
            runq_remove(c, v);
        kick = v->sched_state == VS_RUNNING; /* its CPU must switch it out */
        poll_finish(v);
        v->guest_timer_ns = 0;
        timer_list_remove(c, v); /* no pointer to a down vCPU stays (sched_domain_quiescent) */
        set_state(v, VS_DOWN, arch_now_ns());
    }
    spin_unlock_irqrestore(&c->lock, flags);
    if (kick && !on_this_cpu(v))
        arch_cpu_kick(v->processor);
}

bool vcpu_is_online(const struct vcpu *v)
{
    return v != NULL && READ_ONCE(v->sched_state) != VS_DOWN;
}

static const char *const shutdown_names[] = {
    [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
    [SHUTDOWN_suspend] = "suspend",   [SHUTDOWN_crash] = "crash",
    [SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
};

const char *shutdown_reason_name(unsigned int reason)
{
    return reason < ARRAY_SIZE(shutdown_names) ? shutdown_names[reason] : NULL;
}

/* Is there a domain with vCPUs in the scheduler that has not shut down? (shutdown_lock) */
static bool any_domain_alive(void)
{
    unsigned int id;

    for (id = 0; id < MAX_DOMAINS; id++) {
        struct domain *d = domain_lookup((domid_t)id);

        /* A domain on its way back (reboot) is alive. */
        if (d != NULL && (!d->is_shut_down || READ_ONCE(d->restart_pending)) && d->max_vcpus > 0 &&
            d->vcpu[0] != NULL && d->vcpu[0]->sched_added)
            return true;
    }
    return false;
}

COLD void domain_shutdown(struct domain *d, unsigned int reason)
{
    unsigned long flags;
    uint32_t i;
    bool last, restarting;

    flags = spin_lock_irqsave(&shutdown_lock);
    if (d->is_shut_down) {
        spin_unlock_irqrestore(&shutdown_lock, flags);
        return;
    }
    /* As Xen: a code recorded earlier with SCHEDOP_shutdown_code is the reason reported. */
    d->shutdown_reason = d->shutdown_code_set ? d->shutdown_code : (uint8_t)reason;
    __atomic_fetch_add(&d->shutdowns, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&d->is_shut_down, true, __ATOMIC_RELEASE);
    last = !any_domain_alive();
    spin_unlock_irqrestore(&shutdown_lock, flags);

    for (i = 0; i < d->max_vcpus; i++)
        vcpu_set_online(d->vcpu[i], false);

    if (d->shutdown_reason < ARRAY_SIZE(shutdown_names))
        printk("minixen: domain %u%s%s%s shut down: %s\n", d->domain_id, d->name[0] ? " (" : "",
               d->name, d->name[0] ? ")" : "", shutdown_names[d->shutdown_reason]);
    else
        printk("minixen: domain %u%s%s%s shut down: reason %u\n", d->domain_id,
               d->name[0] ? " (" : "", d->name, d->name[0] ? ")" : "", d->shutdown_reason);
    domain_heap_report(d);
    if (is_hardware_domain(d)) {
        if (last)
            printk("minixen: all domains have shut down\n");
        /* The machine follows dom0, as on Xen (shutdown.c): this does not return. */
        hwdom_shutdown(d, d->shutdown_reason);
    }
    /* Out of the serial input cycle; a domain rebuilt after a reboot registers again. */
    console_unregister_input(d);
    /*
     * The restart policy, one for every port: a domU that asks to reboot is built again
     * from its boot configuration (the port's half: arch_domain_rebuild) once no CPU
     * still runs or holds one of its vCPUs (the caller may be one). A crash or poweroff
     * ends it; dom0's reboot reset the machine above.
     */
    if (d->shutdown_reason == SHUTDOWN_reboot && d->arch != NULL)
        domain_restart_when_quiescent(d, arch_domain_rebuild);
    /* A restart is under way: it comes back, the machine is not done. */
    restarting = READ_ONCE(d->restart_pending) || !READ_ONCE(d->is_shut_down);
    if (last && !restarting)
        printk("minixen: all domains have shut down\n");
    /* As Xen: the domain's controller (VIRQ_DOM_EXC's handler, dom0) hears of it. */
    send_guest_global_virq(VIRQ_DOM_EXC);
}

void domain_set_shutdown_code(struct domain *d, uint8_t code)
{
    unsigned long flags = spin_lock_irqsave(&shutdown_lock);

    if (!d->shutdown_code_set) {
        d->shutdown_code = code;
        d->shutdown_code_set = true;
    }
    spin_unlock_irqrestore(&shutdown_lock, flags);
}

bool sched_domain_quiescent(struct domain *d)
{
    struct sched_cpu *cpus = __atomic_load_n(&sched_cpus, __ATOMIC_ACQUIRE);
    unsigned int cpu;
    uint32_t i;

    for (i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i] != NULL && READ_ONCE(d->vcpu[i]->sched_state) != VS_DOWN)
            return false;
    for (cpu = 0; cpus != NULL && cpu < sched_nr_cpus; cpu++) {
        struct vcpu *curr = __atomic_load_n(&cpus[cpu].curr, __ATOMIC_ACQUIRE);
        struct vcpu *loaded = __atomic_load_n(&cpus[cpu].loaded, __ATOMIC_ACQUIRE);

        if ((curr != NULL && curr->domain == d) || (loaded != NULL && loaded->domain == d))
            return false;
    }
    return true;
}

/* ---- Restart (SHUTDOWN_reboot) ----------------------------------------------------------- */

/*
 * d is quiescent and this caller claimed its restart: reset it, let the port lay its boot
 * image out again, then start vCPU 0. Runs on whichever CPU saw d quiescent, with
 * interrupts masked (the run loop), or in domain_restart_when_quiescent()'s caller.
 */
static void restart_domain(struct domain *d)
{
    size_t before = xalloc_bytes_in_use();
    int rc;

    domain_reset(d);
    rc = d->restart(d);
    /* After the port's rebuild, whose static channels take their own ports first. */
    if (rc == 0)
        rc = pv_console_restart(d);
    /*
     * Pending until here, so any_domain_alive() counts it all along; done before its vCPU
     * runs, so a reboot of the new life is a new request.
     */
    __atomic_fetch_sub(&restarts_pending, 1, __ATOMIC_ACQ_REL);
    __atomic_store_n(&d->restart_pending, false, __ATOMIC_RELEASE);
    __atomic_store_n(&d->restart_claimed, false, __ATOMIC_RELEASE);
    if (rc != 0) {
        printk("minixen: domain %u%s%s%s restart failed (%d), stays down\n", d->domain_id,
               d->name[0] ? " (" : "", d->name, d->name[0] ? ")" : "", rc);
        return;
    }
    d->restarts++;
    /* is_shut_down last: only now may sched_pick() and vcpu_set_online() take its vCPUs. */
    __atomic_store_n(&d->is_shut_down, false, __ATOMIC_RELEASE);
    printk("minixen: domain %u%s%s%s restarted (%u), heap %zu -> %zu bytes\n", d->domain_id,
           d->name[0] ? " (" : "", d->name, d->name[0] ? ")" : "", d->restarts, before,
           xalloc_bytes_in_use());
    vcpu_set_online(d->vcpu[0], true);
    if (on_this_cpu(d->vcpu[0])) {
        /*
         * vcpu_set_online() kicks only other CPUs; this one may be about to idle (wfi/hlt)
         * with nothing left to wake it. A deadline already past fires at once, and the
         * interrupt's way out runs sched_pick(), which finds vCPU 0 queued.
         */
        unsigned long flags = spin_lock_irqsave(&cpu_of(d->vcpu[0])->lock);

        cpu_of(d->vcpu[0])->timer_dirty = true;
        arch_set_cpu_timer(arch_now_ns());
        spin_unlock_irqrestore(&cpu_of(d->vcpu[0])->lock, flags);
    }
}

static bool restart_due(struct domain *d)
{
    return __atomic_load_n(&d->restart_pending, __ATOMIC_ACQUIRE) && sched_domain_quiescent(d);
}

/*
 * Several CPUs may see d due at once: exactly one claims the restart, and checks again
 * once it holds the claim, because what it saw may be stale: another CPU may have
 * restarted d meanwhile and released the claim (a second restart would reset the new
 * life under its running vCPU, and count restarts_pending down twice). A claimant that
 * finds d not due after all lets go and looks once more, with a full fence on both sides:
 * the CPU whose switch makes d quiescent stores that (sched_switched) before it tries to
 * claim, so either it gets the claim or the holder sees its store. No restart is lost.
 */
static void restart_if_due(struct domain *d)
{
    while (restart_due(d)) {
        if (__atomic_exchange_n(&d->restart_claimed, true, __ATOMIC_SEQ_CST))
            return; /* the holder looks again before it lets go */
        if (restart_due(d)) {
            restart_domain(d); /* releases the claim */
            return;
        }
        __atomic_store_n(&d->restart_claimed, false, __ATOMIC_SEQ_CST);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    }
}

static COLD void restart_quiescent_domains(void)
{
    unsigned int id;

    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* this CPU's loaded vCPU before the claim */
    for (id = 0; id < MAX_DOMAINS; id++) {
        struct domain *d = domain_lookup((domid_t)id);

        if (d != NULL)
            restart_if_due(d);
    }
}

void domain_restart_when_quiescent(struct domain *d, int (*rebuild)(struct domain *d))
{
    if (d == NULL || rebuild == NULL || !READ_ONCE(d->is_shut_down) ||
        __atomic_load_n(&d->restart_pending, __ATOMIC_ACQUIRE))
        return;
    d->restart = rebuild;
    __atomic_store_n(&d->restart_pending, true, __ATOMIC_RELEASE);
    __atomic_fetch_add(&restarts_pending, 1, __ATOMIC_ACQ_REL);
    /* Ended by someone else while none of its vCPUs was loaded: nothing will switch. */
    restart_quiescent_domains();
}

/* Kick every CPU that runs or queues one of d's vCPUs, so it looks at its queue again. */
static void kick_domain(struct domain *d)
{
    uint32_t i;

    for (i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];

        if (sched_ready(v) && READ_ONCE(v->sched_state) != VS_DOWN && !on_this_cpu(v))
            arch_cpu_kick(v->processor);
    }
}

/*
 * Asynchronous, unlike Xen's: the vCPUs stop at their CPUs' next pass through sched_pick().
 * The callers (a debug key, a guest that starves the hypervisor's atomics from its own
 * hypercall) cannot wait for a vCPU that may be the caller itself.
 */
void domain_pause(struct domain *d)
{
    __atomic_fetch_add(&d->pause_count, 1, __ATOMIC_ACQ_REL);
    kick_domain(d);
}

void domain_unpause(struct domain *d)
{
    uint32_t n = __atomic_load_n(&d->pause_count, __ATOMIC_RELAXED);

    /* Never below zero, whatever the callers do. */
    while (n != 0 && !__atomic_compare_exchange_n(&d->pause_count, &n, n - 1, false,
                                                  __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
        ;
    if (n == 1)
        kick_domain(d);
}

/* ---- Debug key 'q' --------------------------------------------------------------------------- */

const char *sched_vcpu_state_name(const struct vcpu *v)
{
    static const char *const names[] = {"down", "runnable", "running", "blocked"};
    uint8_t s = READ_ONCE(v->sched_state);

    if (!v->sched_added)
        return "unscheduled";
    if (s == VS_BLOCKED && READ_ONCE(v->poll_evtchn) != 0)
        return "polling";
    return s < ARRAY_SIZE(names) ? names[s] : "?";
}
