/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Event-channel core: the per-port object, the ABI ops table, and the functions the ABI
 * files (xen/common/events/abi_*.c) share with the core. The rest of the hypervisor uses
 * only <xen/event.h>.
 *
 * Locking: every field of struct evtchn, the port table, d->evtchn_ops and every ABI's
 * hypervisor-private state (FIFO queues and tails, 3-level registrations) belong to the
 * *receiving* domain's event_lock. Functions taking `struct domain_locked` need it held;
 * the type says so. A send between two domains never holds both locks: it reads the
 * sender's port under the sender's lock, then delivers under the receiver's lock after
 * re-checking that the receiving port is still connected to the sender.
 */
#ifndef MINIXEN_EVTCHN_H
#define MINIXEN_EVTCHN_H

#include <xen/domain.h>

enum evtchn_state {
    ECS_FREE = 0,
    ECS_RESERVED,    /* port 0: never bound */
    ECS_UNBOUND,     /* waiting for peer_domid to bind_interdomain */
    ECS_INTERDOMAIN, /* connected to (peer_domid, u.peer_port); may be ourselves */
    ECS_PIRQ,
    ECS_VIRQ,
    ECS_IPI,
};

struct evtchn {
    uint8_t state;    /* enum evtchn_state */
    uint8_t pending;  /* latched: pending while the ABI has nowhere to put it */
    uint8_t abi_byte; /* the domain's event ABI's own (abi_word) */
    uint8_t pad;
    uint16_t notify_vcpu; /* vCPU whose upcall this port raises */
    domid_t peer_domid;   /* UNBOUND: who may connect; INTERDOMAIN: the peer */
    evtchn_port_t port;   /* our own number */
    union {
        evtchn_port_t peer_port; /* INTERDOMAIN */
        uint32_t virq;           /* VIRQ */
        uint32_t pirq;           /* PIRQ */
    } u;
    /*
     * abi_byte and abi_word belong to the domain's event ABI, and nothing else reads them:
     * the core zeroes them with the port's bucket and calls the ABI's bind() whenever the
     * port is bound, or rebound by an ABI switch, where the ABI gives them their meaning.
     * FIFO keeps the port's priority and its last queue there (abi_fifo.c); the bitmap
     * ABIs need nothing per port. Two small fields rather than a union or a pointer: the
     * port stays 20 bytes, and a new ABI adds no field here.
     */
    uint32_t abi_word;
};

/* Proof that the caller holds d->event_lock (Hafnium style): only evtchn_lock() makes one. */
struct domain_locked {
    struct domain *d;
};

struct domain_locked evtchn_lock(struct domain *d, unsigned long *flags);
void evtchn_unlock(struct domain_locked dl, unsigned long flags);

/*
 * Both event locks of a two-domain operation (bind_interdomain, close of an interdomain
 * port, static channels): taken lowest domain id first, the one order every path uses,
 * so two such operations never deadlock. x and y may be the same domain (one lock).
 */
struct evtchn_pair_locked {
    struct domain_locked a, b; /* a.d == b.d when both are the same domain */
    unsigned long fa, fb;
};
void evtchn_lock_pair(struct evtchn_pair_locked *p, struct domain *x, struct domain *y);
void evtchn_unlock_pair(struct evtchn_pair_locked *p);
/* The held lock of d, one of the pair's two domains. */
struct domain_locked evtchn_pair_locked_as(const struct evtchn_pair_locked *p,
                                           const struct domain *d);

/* What an ABI reports about a port, for EVTCHNOP_status-like dumps and tests. */
struct evtchn_abi_state {
    bool pending, masked, linked, busy;
    uint8_t priority;   /* FIFO: priority; other ABIs 0 */
    int16_t queue_vcpu; /* FIFO: vCPU of the queue it is linked on; -1 if none */
};

/*
 * One const table per ABI. The core calls these with the receiving domain's event_lock
 * held. Every hook is mandatory except set_priority, whose NULL means the ABI has no
 * priorities (-ENOSYS).
 */
struct evtchn_port_ops {
    const char *name;

    /* Ports this ABI can address for d now (2L: word_bits^2; 3L: word_bits^2*64; FIFO 2^17). */
    uint32_t (*max_ports)(const struct domain *d);

    /* A port was just bound: reset ABI-private per-port state (FIFO: default priority). */
    void (*bind)(struct domain_locked dl, struct evtchn *chn);

    /* Make chn pending and signal notify_vcpu if it became visible to the guest. */
    void (*set_pending)(struct domain_locked dl, struct evtchn *chn);
    void (*clear_pending)(struct domain_locked dl, struct evtchn *chn);
    /* EVTCHNOP_unmask: clear the mask; if pending, deliver again. */
    void (*unmask)(struct domain_locked dl, struct evtchn *chn);

    bool (*is_pending)(const struct domain *d, const struct evtchn *chn);
    bool (*is_masked)(const struct domain *d, const struct evtchn *chn);
    /* The guest may still reach this port (FIFO: LINKED): it must not be reused. */
    bool (*is_busy)(const struct domain *d, const struct evtchn *chn);

    /* NULL: -ENOSYS (the ABI has no priorities). */
    int (*set_priority)(struct domain_locked dl, struct evtchn *chn, unsigned int priority);

    /* Fill the ABI's view of one port (debug dump, tests). */
    void (*describe)(const struct domain *d, const struct evtchn *chn,
                     struct evtchn_abi_state *out);

    /* The domain leaves this ABI (reset, destroy): free its state. Never fails. */
    void (*leave)(struct domain_locked dl);
};

extern const struct evtchn_port_ops evtchn_ops_2l;
extern const struct evtchn_port_ops evtchn_ops_3l;
extern const struct evtchn_port_ops evtchn_ops_fifo;

/* ---- Port table (core.c) ---- */

/* NULL unless port < d->valid_evtchns (storage exists). Lock-free readers: see core.c. */
struct evtchn *evtchn_from_port(const struct domain *d, evtchn_port_t port);

static inline bool evtchn_port_is_valid(const struct domain *d, evtchn_port_t port)
{
    return port < __atomic_load_n(&d->valid_evtchns, __ATOMIC_ACQUIRE);
}

/* Lowest free, reusable port, growing storage as needed; -ENOSPC past the limit. */
int evtchn_get_free_port(struct domain_locked dl);
/*
 * The same for a port the caller names (static channels): storage grown up to it, and it
 * must be free and unreachable by the guest. 0 and *out, or -EINVAL (port 0), -ENOSPC
 * (past the domain's limit or its ABI's), -ENOMEM (heap budget), -EEXIST (in use).
 */
int evtchn_claim_port(struct domain_locked dl, evtchn_port_t port, struct evtchn **out);
/* Put a free port into a bound state (counts it, tells the ABI), and back. */
void evtchn_bind_port(struct domain_locked dl, struct evtchn *chn, enum evtchn_state state,
                      uint16_t notify_vcpu);
void evtchn_free_port(struct domain_locked dl, struct evtchn *chn);
/* d is going away: it no longer handles any global VIRQ. */
void virq_forget_domain(struct domain *d);
/* Close every port of d (interdomain peers become unbound). Not preemptible. */
void evtchn_close_all(struct domain *d);

/* Set chn pending through the domain's ABI, and wake pollers (the one place that does). */
void evtchn_port_set_pending(struct domain_locked dl, struct evtchn *chn);

/*
 * ABI switching, enforced here for every ABI: a domain enters another ABI only from the
 * default (2-level), as on Xen; -EINVAL otherwise (EVTCHNOP_reset brings it back). The
 * new ABI's state (its slot, enum evtchn_abi_slot) must be fully set up before the
 * switch; the switch then carries pending events over: every bound port pending under
 * the old ABI is set pending under the new one. An ABI checks evtchn_on_default_abi()
 * first, under the lock, before it builds anything.
 */
bool evtchn_on_default_abi(const struct domain *d);
int evtchn_switch_abi(struct domain_locked dl, const struct evtchn_port_ops *ops);

/* Iterate bound ports below `limit` (bounded by valid_evtchns). */
#define for_each_bound_evtchn(d, chn, p, limit)                                                    \
    for ((p) = 1; (p) < MIN((limit), (d)->valid_evtchns); (p)++)                                   \
        if (((chn) = evtchn_from_port((d), (p))) != NULL && (chn)->state > ECS_RESERVED)

/* Bytes the port table of d uses (groups and buckets): reported by the benchmark. */
size_t evtchn_port_table_bytes(const struct domain *d);

/* ---- ABI entry points the core dispatches to ---- */
int evtchn_fifo_init_control(struct domain *d, const struct evtchn_init_control *op);
int evtchn_fifo_expand_array(struct domain *d, const struct evtchn_expand_array *op);
int evtchn_3l_register(struct domain *d, const struct evtchn_register_3level *op);

#endif
