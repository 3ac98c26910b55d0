/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Event-channel core: the per-domain port table, port allocation, the signal that every
 * ABI raises, and switching between ABIs.
 *
 * Port storage grows on demand. Channels live in buckets of EVTCHNS_PER_BUCKET, reached
 * through groups of BUCKETS_PER_GROUP bucket pointers; both are allocated when a port in
 * them is first needed, so a domain with 10 ports pays for one bucket and one group.
 * Buckets are allocated in port order and never freed before the domain dies, so
 * `valid_evtchns` only grows ("once valid, always valid", XSA-338): lock-free readers
 * check it (acquire) and may then follow the pointers published before it (release).
 *
 * Storage is charged to the domain whose table it is (domain_xzalloc_bytes): the domain
 * whose hypercall binds the port, or, for a privileged EVTCHNOP_alloc_unbound on another
 * domain and the DT's static channels, the domain that will own the port. Past its budget
 * the port cannot be made and the binding op fails with -ENOMEM (Xen's answer when
 * evtchn_allocate_port cannot allocate). Buckets are given back only with the domain.
 */
#include <xen/alloc.h>
#include <xen/event.h>
#include <xen/evtchn.h>
#include <xen/errno.h>
#include <xen/fence.h>
#include <xen/guest_atomic.h>
#include <xen/lib.h>
#include <xen/nospec.h>
#include <xen/sched.h>

BUILD_BUG_ON(EVTCHN_MAX_PORTS % EVTCHNS_PER_GROUP != 0);
BUILD_BUG_ON(sizeof(struct evtchn) > 32);

struct domain_locked evtchn_lock(struct domain *d, unsigned long *flags)
{
    *flags = spin_lock_irqsave(&d->event_lock);
    return (struct domain_locked){d};
}

void evtchn_unlock(struct domain_locked dl, unsigned long flags)
{
    spin_unlock_irqrestore(&dl.d->event_lock, flags);
}

void evtchn_lock_pair(struct evtchn_pair_locked *p, struct domain *x, struct domain *y)
{
    struct domain *first = x->domain_id <= y->domain_id ? x : y;
    struct domain *second = first == x ? y : x;

    p->a = evtchn_lock(first, &p->fa);
    if (second != first)
        p->b = evtchn_lock(second, &p->fb);
    else {
        p->b = p->a;
        p->fb = p->fa; /* never restored (b is a); set, so no reader sees it undefined */
    }
}

void evtchn_unlock_pair(struct evtchn_pair_locked *p)
{
    if (p->b.d != p->a.d)
        evtchn_unlock(p->b, p->fb);
    evtchn_unlock(p->a, p->fa);
}

struct domain_locked evtchn_pair_locked_as(const struct evtchn_pair_locked *p,
                                           const struct domain *d)
{
    return p->a.d == d ? p->a : p->b;
}

struct evtchn *evtchn_from_port(const struct domain *d, evtchn_port_t port)
{
    uint32_t valid = __atomic_load_n(&d->valid_evtchns, __ATOMIC_ACQUIRE);
    struct evtchn **group;

    if (port >= valid)
        return NULL;
    port = array_index_nospec(port, valid);
    group = d->evtchn_group[port / EVTCHNS_PER_GROUP];
    return &group[(port % EVTCHNS_PER_GROUP) / EVTCHNS_PER_BUCKET][port % EVTCHNS_PER_BUCKET];
}

/* Give the bucket holding `port` storage; port must be the first invalid one. */
static int evtchn_grow(struct domain_locked dl, evtchn_port_t port)
{
    struct domain *d = dl.d;
    struct evtchn ***groupp = &d->evtchn_group[port / EVTCHNS_PER_GROUP];
    struct evtchn *bucket;
    unsigned int i;

    if (port >= EVTCHN_MAX_PORTS)
        return -ENOSPC;
    if (*groupp == NULL) {
        *groupp = domain_xzalloc_array(d, struct evtchn *, BUCKETS_PER_GROUP);
        if (*groupp == NULL)
            return -ENOMEM;
    }
    bucket = domain_xzalloc_array(d, struct evtchn, EVTCHNS_PER_BUCKET);
    if (bucket == NULL)
        return -ENOMEM; /* an empty group stays: harmless, freed with the domain */
    for (i = 0; i < EVTCHNS_PER_BUCKET; i++)
        bucket[i].port = port + i;
    (*groupp)[(port % EVTCHNS_PER_GROUP) / EVTCHNS_PER_BUCKET] = bucket;
    /* The bucket is complete before any reader can find it through valid_evtchns. */
    __atomic_store_n(&d->valid_evtchns, port + EVTCHNS_PER_BUCKET, __ATOMIC_RELEASE);
    return 0;
}

/* The highest port d may bind now: its limit, and what its ABI can address. */
static uint32_t evtchn_bind_limit(const struct domain *d)
{
    uint32_t abi_max = d->evtchn_ops->max_ports(d);

    return MIN(d->max_evtchn_port, abi_max ? abi_max - 1 : 0);
}

/*
 * The lowest free port that the guest can no longer reach (FIFO: not LINKED), growing
 * storage when every existing one is taken. -ENOSPC past the domain's limit.
 */
int evtchn_get_free_port(struct domain_locked dl)
{
    struct domain *d = dl.d;
    uint32_t limit = evtchn_bind_limit(d);
    uint32_t first_busy = 0;
    evtchn_port_t port;

    for (port = MAX(d->free_hint, 1u); port <= limit; port++) {
        struct evtchn *chn;
        int rc;

        if (port >= d->valid_evtchns) {
            rc = evtchn_grow(dl, port);
            if (rc != 0)
                return rc;
        }
        chn = evtchn_from_port(d, port);
        if (chn->state != ECS_FREE)
            continue;
        if (d->evtchn_ops->is_busy(d, chn)) {
            /* Skip, but look here again next time: the guest may unlink it. */
            if (first_busy == 0)
                first_busy = port;
            continue;
        }
        d->free_hint = first_busy ? first_busy : port + 1;
        return (int)port;
    }
    if (first_busy != 0)
        d->free_hint = first_busy;
    return -ENOSPC;
}

int evtchn_claim_port(struct domain_locked dl, evtchn_port_t port, struct evtchn **out)
{
    struct domain *d = dl.d;
    struct evtchn *chn;

    if (port == 0)
        return -EINVAL;
    if (port > evtchn_bind_limit(d))
        return -ENOSPC;
    /* port < 2^17: at most 4096 buckets, and each round adds one or returns. */
    while (port >= d->valid_evtchns) {
        int rc = evtchn_grow(dl, d->valid_evtchns);

        if (rc != 0)
            return rc;
    }
    chn = evtchn_from_port(d, port);
    if (chn == NULL)
        return -ENOSPC;
    if (chn->state != ECS_FREE || d->evtchn_ops->is_busy(d, chn))
        return -EEXIST;
    *out = chn;
    return 0;
}

void evtchn_bind_port(struct domain_locked dl, struct evtchn *chn, enum evtchn_state state,
                      uint16_t notify_vcpu)
{
    chn->state = (uint8_t)state;
    chn->notify_vcpu = notify_vcpu;
    chn->pending = 0;
    dl.d->active_evtchns++;
    dl.d->evtchn_ops->bind(dl, chn);
}

void evtchn_free_port(struct domain_locked dl, struct evtchn *chn)
{
    struct domain *d = dl.d;

    d->evtchn_ops->clear_pending(dl, chn);
    chn->state = ECS_FREE;
    chn->notify_vcpu = 0;
    chn->pending = 0;
    chn->peer_domid = 0;
    chn->u.peer_port = 0;
    d->active_evtchns--;
    if (chn->port < d->free_hint)
        d->free_hint = chn->port;
}

void vcpu_raise_upcall(struct vcpu *v)
{
    if (arch_vcpu_raise_upcall(v))
        vcpu_wake(v); /* runnable if blocked; its CPU kicked if it runs elsewhere */
}

void vcpu_mark_events_pending(struct vcpu *v)
{
    if (!guest_test_and_set_bit(v->domain, VCPU_INFO_UPCALL_PENDING_BIT, v->vcpu_info))
        vcpu_raise_upcall(v);
}

/*
 * A vCPU blocked in SCHEDOP_poll on this port (or on several) wakes up. Out of line: most
 * sends find no poller (evtchn_port_set_pending looks at the count first) and should not
 * pay for this loop's registers.
 */
static NOINLINE void evtchn_wake_pollers(struct domain *d, evtchn_port_t port)
{
    uint32_t i;

    for (i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];
        evtchn_port_t polled = READ_ONCE(v->poll_evtchn);

        if (polled != port && polled != POLL_MANY_PORTS)
            continue;
        if (__atomic_exchange_n(&v->poll_evtchn, 0, __ATOMIC_ACQ_REL) == 0)
            continue; /* someone else woke it */
        __atomic_fetch_sub(&d->polling_vcpus, 1, __ATOMIC_RELAXED);
        arch_vcpu_wake_poller(v);
    }
}

void evtchn_port_set_pending(struct domain_locked dl, struct evtchn *chn)
{
    dl.d->evtchn_ops->set_pending(dl, chn);
    if (READ_ONCE(dl.d->polling_vcpus) != 0)
        evtchn_wake_pollers(dl.d, chn->port);
}

bool evtchn_on_default_abi(const struct domain *d)
{
    return __atomic_load_n(&d->evtchn_ops, __ATOMIC_ACQUIRE) == &evtchn_ops_2l;
}

int evtchn_switch_abi(struct domain_locked dl, const struct evtchn_port_ops *ops)
{
    struct domain *d = dl.d;
    const struct evtchn_port_ops *old = d->evtchn_ops;
    uint32_t limit = d->valid_evtchns;
    struct evtchn *chn;
    evtchn_port_t port;

    if (old == ops)
        return 0;
    /* Xen's rule: another ABI is entered from the default only (EVTCHNOP_reset first). */
    if (old != &evtchn_ops_2l)
        return -EINVAL;
    /*
     * Carry pending events over, so ports bound before the switch keep working. The new
     * ABI's state is complete (its entry point built it), and we hold the event lock, so
     * no event can slip between the old ABI and the new one.
     */
    for_each_bound_evtchn(d, chn, port, limit)
    {
        chn->pending = (uint8_t)(chn->pending | old->is_pending(d, chn));
        old->clear_pending(dl, chn);
    }
    __atomic_store_n(&d->evtchn_ops, ops, __ATOMIC_RELEASE);
    for_each_bound_evtchn(d, chn, port, limit)
    {
        bool pending = chn->pending;

        chn->pending = 0;
        ops->bind(dl, chn);
        if (pending)
            evtchn_port_set_pending(dl, chn); /* the ABI may latch it again (no page yet) */
    }
    return 0;
}

size_t evtchn_port_table_bytes(const struct domain *d)
{
    size_t bytes = 0;
    unsigned int g, b;

    for (g = 0; g < EVTCHN_NR_GROUPS; g++) {
        if (d->evtchn_group[g] == NULL)
            continue;
        bytes += BUCKETS_PER_GROUP * sizeof(struct evtchn *);
        for (b = 0; b < BUCKETS_PER_GROUP; b++)
            if (d->evtchn_group[g][b] != NULL)
                bytes += EVTCHNS_PER_BUCKET * sizeof(struct evtchn);
    }
    return bytes;
}

int evtchn_domain_init(struct domain *d)
{
    unsigned long flags;
    struct domain_locked dl;
    int rc = 0;

    if (d->evtchn_ops != NULL)
        return 0; /* already done */
    d->evtchn_ops = &evtchn_ops_2l;
    /* Xen's defaults: 1023 for ordinary guests, the ABI maximum for privileged ones. */
    d->max_evtchn_port = d->is_privileged ? EVTCHN_MAX_PORTS - 1 : 1023;
    d->free_hint = 1;

    dl = evtchn_lock(d, &flags);
    rc = evtchn_grow(dl, 0);
    if (rc == 0)
        evtchn_from_port(d, 0)->state = ECS_RESERVED; /* port 0 is never bound */
    evtchn_unlock(dl, flags);
    return rc;
}

void evtchn_domain_destroy(struct domain *d)
{
    unsigned long flags;
    struct domain_locked dl;
    unsigned int g, b;

    if (d->evtchn_ops == NULL)
        return;
    virq_forget_domain(d);
    evtchn_close_all(d);

    dl = evtchn_lock(d, &flags);
    d->evtchn_ops->leave(dl);
    d->evtchn_ops = &evtchn_ops_2l;
    __atomic_store_n(&d->valid_evtchns, 0, __ATOMIC_RELEASE);
    evtchn_unlock(dl, flags);

    for (g = 0; g < EVTCHN_NR_GROUPS; g++) {
        if (d->evtchn_group[g] == NULL)
            continue;
        for (b = 0; b < BUCKETS_PER_GROUP; b++)
            domain_xfree(d, d->evtchn_group[g][b]);
        domain_xfree(d, d->evtchn_group[g]);
        d->evtchn_group[g] = NULL;
    }
}

void evtchn_domain_reset(struct domain *d)
{
    unsigned long flags;
    struct domain_locked dl;

    if (d->evtchn_ops == NULL)
        return;
    virq_forget_domain(d);
    evtchn_close_all(d);

    /* Storage stays: valid_evtchns never shrinks (XSA-338), and the new life reuses it. */
    dl = evtchn_lock(d, &flags);
    d->evtchn_ops->leave(dl);
    __atomic_store_n(&d->evtchn_ops, &evtchn_ops_2l, __ATOMIC_RELEASE);
    d->max_evtchn_port = d->is_privileged ? EVTCHN_MAX_PORTS - 1 : 1023;
    d->free_hint = 1;
    d->reset_next_port = 0;
    evtchn_unlock(dl, flags);
}

void evtchn_vcpu_info_moved(struct vcpu *v)
{
    const struct guest_layout *l = v->domain->guest_layout;
    uint8_t *sel = (uint8_t *)v->vcpu_info + l->pending_sel_off;
    unsigned int bit;

    /*
     * The new vcpu_info starts with nothing we know of. Mark every selector bit and the
     * upcall: the guest scans once, finds what is really pending, and nothing is lost.
     */
    for (bit = 0; bit < l->word_bits; bit++)
        guest_set_bit(v->domain, bit, sel);
    vcpu_mark_events_pending(v);
}

uint32_t evtchn_abi_max_ports(struct domain *d)
{
    unsigned long flags;
    struct domain_locked dl = evtchn_lock(d, &flags);
    uint32_t max = d->evtchn_ops->max_ports(d);

    evtchn_unlock(dl, flags);
    return max;
}

int evtchn_poll_any_pending(struct vcpu *v, const evtchn_port_t *ports, unsigned int n)
{
    struct domain *d = v->domain;
    unsigned long flags;
    struct domain_locked dl = evtchn_lock(d, &flags);
    int rc = 0;
    unsigned int i;

    for (i = 0; i < n && rc == 0; i++) {
        struct evtchn *chn = evtchn_from_port(d, ports[i]);

        if (chn == NULL)
            rc = -EINVAL;
        else if (d->evtchn_ops->is_pending(d, chn))
            rc = 1;
    }
    evtchn_unlock(dl, flags);
    return rc;
}

void guest_atomic_starved(struct domain *d)
{
    /* Say it once per domain: a guest must not be able to flood the console (XSA-169). */
    if (__atomic_fetch_add(&d->atomics_starved, 1, __ATOMIC_RELAXED) == 0)
        printk("(d%u) guest keeps shared event words busy even while paused: its events may "
               "be lost\n",
               d->domain_id);
}
