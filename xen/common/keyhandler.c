/* SPDX-License-Identifier: Apache-2.0 */
/* The debug keys (xen/include/xen/keyhandler.h): help, event channels, domains. */
#include <xen/console.h>
#include <xen/event.h>
#include <xen/evtchn.h>
#include <xen/fence.h>
#include <xen/keyhandler.h>
#include <xen/lib.h>
#include <xen/sched.h>

static void key_help(void)
{
    char cycle[128];

    console_input_describe(cycle, sizeof(cycle));
    /* printk cuts at 256 characters: one call per part. */
    printk("minixen debug keys:\n"
           "  h  this help\n"
           "  e  event channels of every domain\n"
           "  q  domains and vCPUs\n");
    printk("  Ctrl-A three times: serial input moves on, round the cycle dom0 -> each domU\n"
           "    with a console -> minixen (these keys) -> dom0\n");
    printk("    now: %s\n", cycle);
}

static void dump_domain(struct domain *d)
{
    uint32_t i;

    printk("d%u%s%s%s: %u vCPU(s)%s, %s, pause count %u, %u event channel(s) (%s)\n", d->domain_id,
           d->name[0] ? " (" : "", d->name, d->name[0] ? ")" : "", d->max_vcpus,
           d->is_privileged ? ", privileged" : "",
           READ_ONCE(d->is_shut_down) ? "shut down" : "alive", READ_ONCE(d->pause_count),
           READ_ONCE(d->active_evtchns), d->evtchn_ops != NULL ? d->evtchn_ops->name : "-");
    for (i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];
        uint8_t *info;

        if (v == NULL)
            continue;
        info = __atomic_load_n((uint8_t **)&v->vcpu_info, __ATOMIC_ACQUIRE);
        printk("  v%u: cpu %u, %s, upcall pending %u, timer %llu, polling port %d\n", v->vcpu_id,
               v->processor, sched_vcpu_state_name(v),
               info != NULL ? __atomic_load_n(info, __ATOMIC_RELAXED) & 1 : 0,
               (unsigned long long)READ_ONCE(v->guest_timer_ns), (int)READ_ONCE(v->poll_evtchn));
    }
}

static void key_domains(void)
{
    unsigned int id;

    printk("minixen: domains at %llu ns\n", (unsigned long long)arch_now_ns());
    for (id = 0; id < MAX_DOMAINS; id++) {
        struct domain *d = domain_lookup((domid_t)id);

        if (d != NULL)
            dump_domain(d);
    }
}

void debug_key(char c)
{
    switch (c) {
    case 'h':
        key_help();
        break;
    case 'e':
        evtchn_dump_all();
        break;
    case 'q':
        key_domains();
        break;
    default:
        break; /* unassigned keys do nothing, as on Xen */
    }
}
