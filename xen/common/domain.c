/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The domain table: creation, lookup and destruction of domains and their vCPUs.
 * Ports hang their own state off d->arch / v->arch after domain_create().
 */
#include <xen/alloc.h>
#include <xen/arch_hooks.h>
#include <xen/console.h>
#include <xen/domain.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/evtchn.h>
#include <xen/grant_table.h>
#include <xen/lib.h>
#include <xen/nospec.h>
#include <xen/physmap.h>
#include <xen/vcpu_time.h>
#include <xen/wallclock.h>

static struct domain *domain_table[MAX_DOMAINS];
static size_t configured_budget[MAX_DOMAINS]; /* 0: DOMAIN_HEAP_BUDGET_DEFAULT */
static spinlock_t domain_table_lock = SPINLOCK_INIT;

struct domain *domain_lookup(domid_t id)
{
    if (id >= MAX_DOMAINS)
        return NULL;
    return __atomic_load_n(&domain_table[array_index_nospec(id, MAX_DOMAINS)], __ATOMIC_ACQUIRE);
}

void domain_set_configured_budget(domid_t id, size_t bytes)
{
    if (id < MAX_DOMAINS)
        configured_budget[id] = bytes;
}

size_t domain_configured_budget(domid_t id)
{
    if (id >= MAX_DOMAINS || configured_budget[id] == 0)
        return DOMAIN_HEAP_BUDGET_DEFAULT;
    return configured_budget[id];
}

struct domain *domain_resolve(struct domain *current, domid_t id)
{
    return id == DOMID_SELF ? current : domain_lookup(id);
}

int domain_for_caller(struct domain *caller, domid_t id, struct domain **out)
{
    struct domain *d = domain_resolve(caller, id);

    if (d == NULL)
        return -ESRCH;
    if (d != caller && !caller->is_privileged)
        return -EPERM;
    *out = d;
    return 0;
}

static COLD void vcpu_free(struct vcpu *v)
{
    if (v == NULL)
        return;
    domain_xfree(v->domain, v->dummy_vcpu_info);
    xfree(v);
}

static COLD struct vcpu *vcpu_create(struct domain *d, uint32_t id)
{
    const struct guest_layout *l = d->guest_layout;
    struct vcpu *v = xzalloc(struct vcpu);

    if (v == NULL)
        return NULL;
    v->domain = d;
    v->vcpu_id = id;
    if (id < l->nr_legacy_vcpus) {
        v->vcpu_info = (uint8_t *)d->shared_info + (size_t)id * l->vcpu_info_size;
    } else {
        /*
         * No slot in shared_info (ARM has one, x86 32): events are recorded in a private
         * vcpu_info until the guest registers its own, which then gets everything
         * marked pending (evtchn_vcpu_info_moved), so nothing is lost.
         */
        v->dummy_vcpu_info = domain_xzalloc_bytes(d, l->vcpu_info_size);
        if (v->dummy_vcpu_info == NULL) {
            xfree(v);
            return NULL;
        }
        v->vcpu_info = v->dummy_vcpu_info;
    }
    vcpu_time_publish(v);
    return v;
}

static COLD void domain_free(struct domain *d)
{
    uint32_t i;

    for (i = 0; i < d->max_vcpus; i++)
        vcpu_free(d->vcpu[i]);
    xfree(d->shared_info);
    xfree(d);
}

COLD struct domain *domain_create(domid_t id, uint32_t nr_vcpus, bool privileged,
                                  const struct guest_layout *layout)
{
    struct domain *d;
    unsigned long flags;
    uint32_t i;

    if (id >= MAX_DOMAINS || nr_vcpus == 0 || nr_vcpus > MAX_VCPUS || layout == NULL)
        return NULL;

    d = xzalloc(struct domain);
    if (d == NULL)
        return NULL;
    d->domain_id = id;
    d->is_privileged = privileged;
    d->guest_layout = d->created_layout = layout;
    d->heap_budget = domain_configured_budget(id);
    d->event_lock = (spinlock_t)SPINLOCK_INIT;
    d->physmap_lock = (spinlock_t)SPINLOCK_INIT;
    d->shared_info = xzalloc_bytes(PAGE_SIZE);
    if (d->shared_info == NULL)
        goto fail;
    wallclock_publish(d);
    d->max_vcpus = nr_vcpus;
    for (i = 0; i < nr_vcpus; i++) {
        d->vcpu[i] = vcpu_create(d, i);
        if (d->vcpu[i] == NULL)
            goto fail;
    }
    if (evtchn_domain_init(d) != 0)
        goto fail;

    /* Publish last, so lookups never see a half-built domain. */
    flags = spin_lock_irqsave(&domain_table_lock);
    if (domain_table[id] != NULL) {
        spin_unlock_irqrestore(&domain_table_lock, flags);
        evtchn_domain_destroy(d);
        domain_free(d);
        return NULL;
    }
    __atomic_store_n(&domain_table[id], d, __ATOMIC_RELEASE);
    spin_unlock_irqrestore(&domain_table_lock, flags);
    return d;

fail:
    domain_free(d);
    return NULL;
}

/*
 * Callers guarantee no other CPU still runs a hypercall on d's behalf or holds a pointer
 * from domain_lookup(d); events sent to d afterwards find no domain and are dropped.
 */
COLD void domain_destroy(struct domain *d)
{
    unsigned long flags;

    if (d == NULL)
        return;
    flags = spin_lock_irqsave(&domain_table_lock);
    if (domain_table[d->domain_id] == d)
        __atomic_store_n(&domain_table[d->domain_id], NULL, __ATOMIC_RELEASE);
    spin_unlock_irqrestore(&domain_table_lock, flags);

    console_unregister_input(d); /* no character may reach it once it is freed */
    evtchn_domain_destroy(d);
    gnttab_domain_destroy(d);
    physmap_domain_reset(d);
    domain_free(d);
}

/* v's vcpu_info back where domain_create() put it, its registrations forgotten. */
static COLD void vcpu_reset(struct vcpu *v)
{
    struct domain *d = v->domain;
    const struct guest_layout *l = d->guest_layout;

    if (v->vcpu_info_registered)
        arch_unmap_guest_frame(d, (void *)((uintptr_t)v->vcpu_info & ~(uintptr_t)(PAGE_SIZE - 1)));
    v->vcpu_info_registered = false;
    if (v->dummy_vcpu_info != NULL) {
        memset(v->dummy_vcpu_info, 0, l->vcpu_info_size);
        v->vcpu_info = v->dummy_vcpu_info;
    } else {
        v->vcpu_info = (uint8_t *)d->shared_info + (size_t)v->vcpu_id * l->vcpu_info_size;
    }
    memset(v->virq_to_evtchn, 0, sizeof(v->virq_to_evtchn));
    v->poll_evtchn = 0;
    v->upcall_vector = 0;
    v->runstate_area = 0;
    v->guest_timer_ns = 0;
    v->poll_deadline_ns = 0;
    v->poll_timed_out = false;
    /* Never online in its new life: VCPUOP_up has no context to resume. */
    v->sched_initialised = false;
}

COLD void domain_reset(struct domain *d)
{
    uint32_t i;

    /* Ports first: closing them still reads the old vcpu_infos and ABI state. */
    evtchn_domain_reset(d);
    gnttab_domain_reset(d);
    physmap_domain_reset(d); /* after the grants: they held references on its frames */
    for (i = 0; i < d->max_vcpus; i++)
        vcpu_reset(d->vcpu[i]);
    d->guest_layout = d->created_layout; /* its ports are all closed: no lock needed */
    memset(d->shared_info, 0, PAGE_SIZE);
    /* The new life finds the wall clock and its time base where the first one did. */
    wallclock_publish(d);
    for (i = 0; i < d->max_vcpus; i++)
        vcpu_time_publish(d->vcpu[i]);
    memset(d->hvm_params, 0, sizeof(d->hvm_params));
    d->atomics_paused = 0;
    d->atomics_starved = 0;
    d->shutdown_code_set = false;
    d->shutdown_code = 0;
    d->shutdown_reason = 0;
}

COLD void domain_latch_guest_layout(struct vcpu *curr)
{
    struct domain *d = curr->domain;
    const struct guest_layout *l = arch_guest_layout_now(curr);
    struct domain_locked dl;
    unsigned long flags;

    if (l == d->guest_layout)
        return;
    /* Under the event lock: no delivery is half-way through the old layout's words. */
    dl = evtchn_lock(d, &flags);
    __atomic_store_n(&d->guest_layout, l, __ATOMIC_RELEASE); /* guest_kind_of() reads it unlocked */
    evtchn_unlock(dl, flags);
    /* The wall clock moves (x86_32 has it at 0x900, x86_64 at 0xc00, and wc_sec_hi in
     * arch_shared_info); vcpu_info.time is at 32 in both vcpu_infos and stays. */
    wallclock_publish(d);
}
