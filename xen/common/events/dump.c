/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Debug key 'e': every bound port of every domain, with its ABI's view of it.
 *
 * Printing to a serial console is slow, so the event lock is never held while printing:
 * copy a snapshot of up to DUMP_CHUNK ports under the lock, drop it, print, repeat.
 */
#include <xen/event.h>
#include <xen/evtchn.h>
#include <xen/lib.h>

#define DUMP_CHUNK 32

struct port_snapshot {
    struct evtchn chn;
    struct evtchn_abi_state abi;
};

static const char *const state_names[] = {
    [ECS_FREE] = "free",       [ECS_RESERVED] = "reserved",
    [ECS_UNBOUND] = "unbound", [ECS_INTERDOMAIN] = "interdomain",
    [ECS_PIRQ] = "pirq",       [ECS_VIRQ] = "virq",
    [ECS_IPI] = "ipi",
};

static void print_port(const struct port_snapshot *s)
{
    const struct evtchn *c = &s->chn;
    char detail[32] = "";

    switch (c->state) {
    case ECS_UNBOUND:
        xen_snprintf(detail, sizeof(detail), "peer d%u", c->peer_domid);
        break;
    case ECS_INTERDOMAIN:
        xen_snprintf(detail, sizeof(detail), "peer d%u:%u", c->peer_domid, c->u.peer_port);
        break;
    case ECS_VIRQ:
        xen_snprintf(detail, sizeof(detail), "virq %u", c->u.virq);
        break;
    case ECS_PIRQ:
        xen_snprintf(detail, sizeof(detail), "pirq %u", c->u.pirq);
        break;
    default:
        break;
    }
    printk("  %6u %-11s v%-2u %-16s %c%c%c%c prio %2u q %d\n", c->port,
           c->state < ARRAY_SIZE(state_names) ? state_names[c->state] : "?", c->notify_vcpu, detail,
           s->abi.pending ? 'P' : '-', s->abi.masked ? 'M' : '-', s->abi.linked ? 'L' : '-',
           s->abi.busy ? 'B' : '-', s->abi.priority, s->abi.queue_vcpu);
}

void evtchn_dump_domain(struct domain *d)
{
    struct port_snapshot snap[DUMP_CHUNK];
    evtchn_port_t next = 1;
    uint32_t total = 0;

    printk("d%u: event channels, %s ABI, limit %u, %u bound, storage for %u ports\n", d->domain_id,
           d->evtchn_ops->name, d->max_evtchn_port, d->active_evtchns, d->valid_evtchns);
    printk("    port state       vcpu detail           PMLB\n");
    for (;;) {
        unsigned long flags;
        struct domain_locked dl = evtchn_lock(d, &flags);
        unsigned int n = 0, i;
        uint32_t valid = d->valid_evtchns;

        for (; next < valid && n < DUMP_CHUNK; next++) {
            struct evtchn *chn = evtchn_from_port(d, next);

            if (chn->state <= ECS_RESERVED)
                continue;
            snap[n].chn = *chn;
            snap[n].abi = (struct evtchn_abi_state){.queue_vcpu = -1};
            d->evtchn_ops->describe(d, chn, &snap[n].abi);
            n++;
        }
        evtchn_unlock(dl, flags);

        for (i = 0; i < n; i++)
            print_port(&snap[i]);
        total += n;
        if (next >= valid)
            break;
    }
    if (total == 0)
        printk("  (no bound ports)\n");
}

void evtchn_dump_all(void)
{
    domid_t id;

    for (id = 0; id < MAX_DOMAINS; id++) {
        struct domain *d = domain_lookup(id);

        if (d != NULL)
            evtchn_dump_domain(d);
    }
}
