/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Domains and vCPUs as common code sees them. Ports add their own state behind `arch`.
 */
#ifndef MINIXEN_DOMAIN_H
#define MINIXEN_DOMAIN_H

#include <xen/types.h>
#include <xen/spinlock.h>
#include <xen/guest_layout.h>

struct evtchn;
struct evtchn_port_ops;
/*
 * Where the event ABIs other than the default keep their state: one slot each in struct
 * domain and struct vcpu, so a slot only ever holds its ABI's type (a reader that raced
 * with a switch finds NULL, never another ABI's state). A new ABI adds one here.
 */
enum evtchn_abi_slot { EVTCHN_ABI_3L, EVTCHN_ABI_FIFO, EVTCHN_NR_ABI_SLOTS };

struct grant_table;
struct physmap_frames;

/* HVM params minixen keeps per domain (indexes of public/hvm/params.h below this). */
#define HVM_NR_PARAMS_MINIXEN 40

#define MAX_DOMAINS 64 /* domain ids 0..MAX_DOMAINS-1 */

/*
 * Hypervisor heap a domain may cause to be allocated, unless its configuration says
 * (minixen,heap-budget on a dom0less node, dom0_heap_budget= for dom0). The conformance
 * suite's busiest domain (dom0: 4,195 ports bound at once, FIFO, 3-level) peaks at 88 KiB,
 * its domU at 3 KiB (make test-system, arm64); 1 MiB leaves room for ~50,000 ports and
 * for the page tables the ports charge, and two domains' budgets fit ARM's 4 MiB heap.
 * A configured value must lie between the MIN (a domain's fixed state and a first bucket
 * of ports) and the MAX.
 */
#define DOMAIN_HEAP_BUDGET_DEFAULT (1u << 20)
#define DOMAIN_HEAP_BUDGET_MIN     (64u << 10)
#define DOMAIN_HEAP_BUDGET_MAX     (1u << 30)
#define MAX_VCPUS                  64 /* per domain */

/* Port storage: channels live in buckets, reached through groups (allocated on demand). */
#define EVTCHNS_PER_BUCKET 64
#define BUCKETS_PER_GROUP  64
#define EVTCHNS_PER_GROUP  (EVTCHNS_PER_BUCKET * BUCKETS_PER_GROUP)
#define EVTCHN_MAX_PORTS   (1u << 18) /* the largest ABI: 3-level with 64-bit words */
#define EVTCHN_NR_GROUPS   (EVTCHN_MAX_PORTS / EVTCHNS_PER_GROUP)

struct vcpu {
    struct domain *domain;
    uint32_t vcpu_id;

    /* The guest's vcpu_info: a slot in shared_info until VCPUOP_register_vcpu_info. */
    void *vcpu_info;
    bool vcpu_info_registered;
    void *dummy_vcpu_info; /* private slot used until the guest registers one */
    uint32_t time_version; /* vcpu_info.time.version as last written (vcpu_time.c), even */

    /* Per-vCPU VIRQs bound on this vCPU (port, 0 = unbound). */
    evtchn_port_t virq_to_evtchn[NR_VIRQS];

    /* SCHEDOP_poll: the port polled (0: none; POLL_MANY_PORTS: several, see poll_mask). */
    evtchn_port_t poll_evtchn;

    /* HVMOP_set_evtchn_upcall_vector (x86): v's own upcall vector, 0 = none. The port
     * delivers it (through its virtual LAPIC) in preference to HVM_PARAM_CALLBACK_IRQ. */
    uint8_t upcall_vector;

    /* Each event ABI's own per-vCPU state, in its slot (FIFO: control block and queues;
     * 3-level: the L2 selector in a guest page). Only that ABI's file looks inside. */
    void *evtchn_abi[EVTCHN_NR_ABI_SLOTS];

    /* ---- Scheduler (xen/common/sched.c); read the fields only through sched.h ---- */
    unsigned int processor;    /* the physical CPU v is pinned to */
    uint8_t sched_state;       /* enum in sched.c: down, runnable, running, blocked, ... */
    bool poll_timed_out;       /* SCHEDOP_poll ended by its timeout */
    struct vcpu *runq_next;    /* link in its CPU's run queue */
    uint64_t guest_timer_ns;   /* VIRQ_TIMER deadline (0: none) */
    uint64_t poll_deadline_ns; /* SCHEDOP_poll timeout (0: none) */
    uint64_t runstate_area;    /* VCPUOP_register_runstate_memory_area (guest address, 0 none) */
    uint64_t runstate_entry_ns;
    uint64_t runstate_time[4]; /* RUNSTATE_running/runnable/blocked/offline totals */
    struct vcpu *timer_next;   /* link in its CPU's list of vCPUs with a deadline armed */
    bool on_timer_list;
    bool sched_added;       /* sched_add_vcpu() done */
    bool sched_initialised; /* has been online once: has a context VCPUOP_up may resume */

    void *arch; /* the port's own vCPU state */
};

#define POLL_MANY_PORTS ((evtchn_port_t)~0u)

/* A domU's console output allowance (xen/common/console.c, under its lock). */
struct console_out {
    bool started;
    uint32_t tokens;  /* bytes it may print now */
    uint64_t last_ns; /* when tokens were last topped up */
    uint64_t dropped; /* characters dropped since its last note */
};

/* The PV console ring the hypervisor serves for a domU (pv_console.c). */
struct pv_console {
    bool on;             /* the boot configuration asked for it (minixen,pv-console) */
    bool ring_noted;     /* "indices out of range" printed once this life */
    bool draining;       /* a CPU is printing out[] (pv_console_drain): one at a time */
    bool again;          /* a notify found it busy: look once more */
    evtchn_port_t port;  /* the guest's end (0: none now); read without lock */
    gfn_t gfn;           /* the ring page in the guest's RAM */
    spinlock_t lock;     /* one consumer of out[], one producer of in[] at a time */
    uint64_t out_bytes;  /* printed from out[] (tests, dump) */
    uint64_t in_dropped; /* input bytes that found in[] full or broken */
};

struct domain {
    domid_t domain_id;
    bool is_privileged;
    uint32_t max_vcpus;
    struct vcpu *vcpu[MAX_VCPUS];

    /* The guest's layout of shared_info and vcpu_info; x86 re-latches it from the guest's
     * mode (domain_latch_guest_layout), domain_reset() puts back the one it was created
     * with. Written under event_lock; the event code reads it on every operation. */
    const struct guest_layout *guest_layout;
    const struct guest_layout *created_layout;
    void *shared_info; /* hypervisor-owned page, mapped into the guest on request */

    /* ---- Event channels, all under event_lock ---- */
    spinlock_t event_lock;
    const struct evtchn_port_ops *evtchn_ops; /* the ABI in use */
    struct evtchn **evtchn_group[EVTCHN_NR_GROUPS];
    uint32_t valid_evtchns;                /* ports below this have storage; it never shrinks */
    uint32_t max_evtchn_port;              /* highest port the domain may bind (set_limit) */
    uint32_t reset_next_port;              /* EVTCHNOP_reset progress across -ERESTART */
    uint32_t free_hint;                    /* no free, reusable port lies below this */
    uint32_t active_evtchns;               /* bound ports (not free, not reserved) */
    void *evtchn_abi[EVTCHN_NR_ABI_SLOTS]; /* each ABI's own state, in its slot (as vcpu) */
    uint32_t polling_vcpus;                /* vCPUs in SCHEDOP_poll (a count; 0 skips the check) */

    /* Hypervisor heap charged to this domain (domain_xzalloc_bytes), and its limit. */
    size_t heap_charged;
    size_t heap_budget;
    size_t heap_peak; /* the highest heap_charged reached (the console's report) */

    /*
     * XSA-295 (xen/common/guest_atomic.c): times a bounded guest atomic gave up and the
     * domain was paused while it was finished, and operations given up even then.
     */
    uint32_t atomics_paused;
    uint32_t atomics_starved;

    /* ---- Life cycle (xen/common/sched.c) ---- */
    bool is_shut_down;
    uint8_t shutdown_reason; /* SHUTDOWN_* once is_shut_down */
    uint32_t pause_count;
    bool shutdown_code_set; /* SCHEDOP_shutdown_code recorded shutdown_code (it wins) */
    uint8_t shutdown_code;
    /* SHUTDOWN_reboot the port can honour: rebuild once no CPU holds a vCPU (sched.c). */
    bool restart_pending;
    bool restart_claimed; /* a CPU is restarting it now */
    int (*restart)(struct domain *d);
    uint32_t restarts;  /* times it was restarted (console, tests) */
    uint32_t shutdowns; /* times it shut down (tests) */

    /* ---- Guest interfaces of xen/common (hypercall handlers) ---- */
    uint64_t hvm_params[HVM_NR_PARAMS_MINIXEN]; /* HVMOP_get/set_param; ports set defaults */
    struct grant_table *grant_table;            /* grant_table.c, grant_map.c */
    spinlock_t physmap_lock;                    /* physmap.c: its RAM frames' state */
    struct physmap_frames *physmap;             /* ... made when it first gives one back */
    char name[16];                              /* from the DT node, for the console */
    struct console_out console_out;             /* domU output rate limit (console.c) */
    struct pv_console pv_console;               /* its PV console ring, if any */
    uint32_t wc_version; /* shared_info.wc_version as last written (wallclock.c), even */

    void *arch; /* the port's own domain state */
};

/*
 * Domain table. domain_create() also allocates the shared_info page with the wall clock
 * in it (wallclock_publish), points each vCPU's vcpu_info at its legacy slot in
 * shared_info (or at a private dummy until the guest registers one with
 * VCPUOP_register_vcpu_info, as Xen does) with the port's time base in it
 * (vcpu_time_publish), and initialises event channels (evtchn_domain_init). Returns NULL
 * if the id is taken or memory ran out.
 */
struct domain *domain_create(domid_t id, uint32_t nr_vcpus, bool privileged,
                             const struct guest_layout *layout);
void domain_destroy(struct domain *d);
/*
 * Put d's common state back as domain_create() left it, keeping its id, vCPUs, port
 * storage and memory: every event channel closed (interdomain peers see their end become
 * unbound), the 2-level ABI with its default limit, no grant table, no HVM params, each
 * vcpu_info back in its legacy slot (or the zeroed dummy), shared_info and the vCPUs'
 * scheduler-visible guest registrations cleared (the wall clock and the time base written
 * again), the shutdown state forgotten. Only for a domain whose vCPUs no CPU holds
 * (sched_domain_quiescent); the scheduler's restart calls it.
 */
void domain_reset(struct domain *d);
/*
 * Xen's width latch (x86 HVM/PVH, hvm_latch_shinfo_size): on the two calls a guest makes
 * first when it sets up its PV interfaces (writing the hypercall page MSR, and setting its
 * own HVM_PARAM_CALLBACK_IRQ), curr's domain takes the shared_info/vcpu_info layout of the
 * mode curr runs in now (arch_guest_layout_now), and the wall clock is written again where
 * that layout has it. A 64-bit domain that latches 32-bit keeps its ports, but 2-level
 * ports from 1024 up lie beyond its bitmaps: they count as masked and no new port is bound
 * there (-ENOSPC), as on Xen. Nothing changes when the layout is the same (every ARM
 * domain). Handlers that depend on the width read it once per call (guest_kind_of()).
 */
void domain_latch_guest_layout(struct vcpu *curr);
struct domain *domain_lookup(domid_t id); /* NULL if none */
/*
 * The heap budget domain_create() gives domain id from now on (0: the default). The boot
 * configuration sets it for every domain it describes before any is built, so whatever a
 * port allocates while building a domain (stage-2, NPT) is already weighed against it.
 */
void domain_set_configured_budget(domid_t id, size_t bytes);
size_t domain_configured_budget(domid_t id);
/* DOMID_SELF -> current domain; otherwise domain_lookup. */
struct domain *domain_resolve(struct domain *current, domid_t id);
/*
 * The domain a hypercall of `caller` names that it may act on, as Xen's XSM_TARGET with
 * the dummy policy allows: itself, or any domain for the privileged one. 0 with *out
 * set, -ESRCH (no such domain) or -EPERM.
 */
int domain_for_caller(struct domain *caller, domid_t id, struct domain **out);

static inline struct vcpu *domain_vcpu(const struct domain *d, uint32_t id)
{
    return id < d->max_vcpus ? d->vcpu[id] : NULL;
}

#endif
