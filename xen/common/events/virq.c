/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Virtual IRQs: events the hypervisor itself raises (timer, console, debug, domain
 * exceptions). Per-vCPU VIRQs are bound on each vCPU; global ones once per system, in the
 * domain that handles them, on vCPU 0's table (bind_vcpu may move their notifications).
 */
#include <xen/event.h>
#include <xen/evtchn.h>
#include <xen/errno.h>
#include <xen/nospec.h>

/* Domain that owns each global VIRQ; NULL means the hardware domain. */
static struct domain *global_virq_handlers[NR_VIRQS];

bool virq_is_global(uint32_t virq)
{
    switch (virq) {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false; /* per vCPU */
    default:
        return true; /* global (VIRQ_ARGO is per domain: it also binds on vCPU 0) */
    }
}

struct domain *global_virq_owner(uint32_t virq)
{
    struct domain *d;

    if (virq >= NR_VIRQS)
        return NULL;
    d = __atomic_load_n(&global_virq_handlers[array_index_nospec(virq, NR_VIRQS)],
                        __ATOMIC_ACQUIRE);
    return d != NULL ? d : domain_lookup(0);
}

int set_global_virq_handler(struct domain *d, uint32_t virq)
{
    if (virq >= NR_VIRQS || !virq_is_global(virq))
        return -EINVAL;
    __atomic_store_n(&global_virq_handlers[array_index_nospec(virq, NR_VIRQS)], d,
                     __ATOMIC_RELEASE);
    return 0;
}

/* Raise the VIRQ bound in v's table, if any. */
static void send_virq_on(struct vcpu *v, uint32_t virq)
{
    struct domain *d = v->domain;
    unsigned long flags;
    struct domain_locked dl = evtchn_lock(d, &flags);
    evtchn_port_t port = v->virq_to_evtchn[array_index_nospec(virq, NR_VIRQS)];
    struct evtchn *chn = port ? evtchn_from_port(d, port) : NULL;

    if (chn != NULL && chn->state == ECS_VIRQ && chn->u.virq == virq)
        evtchn_port_set_pending(dl, chn);
    evtchn_unlock(dl, flags);
}

void send_guest_vcpu_virq(struct vcpu *v, uint32_t virq)
{
    if (v == NULL || virq >= NR_VIRQS || virq_is_global(virq))
        return;
    send_virq_on(v, virq);
}

void send_guest_global_virq(uint32_t virq)
{
    struct domain *d;

    if (virq >= NR_VIRQS || !virq_is_global(virq))
        return;
    d = global_virq_owner(virq);
    if (d != NULL && d->vcpu[0] != NULL)
        send_virq_on(d->vcpu[0], virq);
}

void virq_forget_domain(struct domain *d)
{
    unsigned int virq;

    for (virq = 0; virq < NR_VIRQS; virq++)
        __atomic_compare_exchange_n(&global_virq_handlers[virq], &(struct domain *){d}, NULL, false,
                                    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}
