/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host harness: domains with guest RAM, and hypercalls issued the way a guest issues them
 * (arguments in guest memory, -ERESTART re-executed). See harness.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/alloc.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/sched.h>

#include "harness.h"

/* From arch_host.c. */
int host_domain_attach(struct domain *d);
void host_domain_release(domid_t id);

/*
 * Hypercall arguments live in guest RAM, in per-domain scratch slots. Each slot is claimed
 * for one call, so threads acting as different vCPUs (or several threads on one vCPU, as
 * the stress tests do) never share one.
 */
#define SCRATCH_SLOT  256 /* the largest argument struct is 152 bytes */
#define SCRATCH_SLOTS 64
#define SCRATCH_PAGES (SCRATCH_SLOTS * SCRATCH_SLOT / PAGE_SIZE)

/* A hypercall restarted this often is not making progress: fail loudly, don't hang. */
#define MAX_RESTARTS (1u << 22)

struct harness_domain_state {
    gfn_t scratch_gfn;     /* first of SCRATCH_PAGES consecutive pages */
    uint64_t scratch_busy; /* one bit per slot */
};

static struct harness_domain_state states[MAX_DOMAINS];

/*
 * vCPUs without a vcpu_info slot in shared_info (ARM has one slot, x86 32) get theirs in
 * guest RAM, as Linux registers them at boot (VCPUOP_register_vcpu_info): the guest model
 * then reads and writes the guest's own memory, never the hypervisor's placeholder.
 */
static int place_vcpu_infos(struct domain *d)
{
    const struct guest_layout *l = d->guest_layout;
    unsigned int per_page = PAGE_SIZE / l->vcpu_info_size;
    uint8_t *page = NULL;
    unsigned int used = per_page;

    for (uint32_t i = l->nr_legacy_vcpus; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];

        if (used == per_page) {
            page = harness_gfn_to_va(d, harness_alloc_gfn(d));
            if (page == NULL)
                return -ENOMEM;
            used = 0;
        }
        /* A just-created vCPU has nothing pending; carry the placeholder over anyway. */
        memcpy(page + used * l->vcpu_info_size, v->vcpu_info, l->vcpu_info_size);
        __atomic_store_n(&v->vcpu_info, page + used * l->vcpu_info_size, __ATOMIC_RELEASE);
        v->vcpu_info_registered = true;
        used++;
    }
    return 0;
}

struct domain *harness_domain(domid_t id, uint32_t nr_vcpus, bool privileged,
                              const struct guest_layout *layout)
{
    struct harness_domain_state *st;
    struct domain *d;

    if (id >= MAX_DOMAINS)
        return NULL;
    d = domain_create(id, nr_vcpus, privileged, layout);
    if (d == NULL)
        return NULL;
    if (host_domain_attach(d) != 0)
        goto fail;

    st = &states[id];
    st->scratch_busy = 0;
    st->scratch_gfn = harness_alloc_gfn(d);
    for (unsigned int i = 1; i < SCRATCH_PAGES; i++)
        if (harness_alloc_gfn(d) != st->scratch_gfn + i)
            goto fail;
    if (st->scratch_gfn == 0 || place_vcpu_infos(d) != 0)
        goto fail;
    return d;

fail:
    fprintf(stderr, "harness: cannot set up domain %u\n", id);
    domain_destroy(d);
    host_domain_release(id);
    return NULL;
}

static unsigned int sched_cpus_in_use; /* nr_cpus of the last harness_sched_init(), 0: none */

int harness_sched_init(unsigned int nr_cpus)
{
    if (nr_cpus > HARNESS_MAX_CPUS)
        return -EINVAL;
    sched_cpus_in_use = nr_cpus;
    return sched_init(nr_cpus);
}

/*
 * Destroy d and check that it gave back exactly what it held: its charged allocations
 * (heap_charged) and the few fixed blocks that are not charged (the domain, shared_info,
 * the vCPUs). A charge without its block, or a block without its charge, aborts the test.
 */
static void destroy_balanced(struct domain *d)
{
    size_t fixed = xalloc_size(d) + xalloc_size(d->shared_info), charged = d->heap_charged;
    size_t before = xalloc_bytes_in_use(), after;
    domid_t id = d->domain_id;

    for (uint32_t i = 0; i < d->max_vcpus; i++)
        fixed += xalloc_size(d->vcpu[i]);
    domain_destroy(d);
    after = xalloc_bytes_in_use();
    if (before - after != fixed + charged) {
        fprintf(stderr, "harness: d%u gave back %zu bytes, held %zu charged + %zu fixed\n", id,
                before - after, charged, fixed);
        abort();
    }
}

void harness_reset(void)
{
    for (unsigned int id = 0; id < MAX_DOMAINS; id++) {
        struct domain *d = domain_lookup((domid_t)id);

        /* Guest RAM outlives domain_destroy(): closing ports may still touch event words. */
        if (d != NULL)
            destroy_balanced(d);
        host_domain_release((domid_t)id);
        memset(&states[id], 0, sizeof(states[id]));
    }
    /* The scheduler still points at the vCPUs just freed: give it a clean machine. */
    if (sched_cpus_in_use != 0)
        sched_init(sched_cpus_in_use);
    harness_machine_reset();
    harness_set_heap_total(64u << 20);
    harness_pv_console_gfn = 0;
}

/* The pages holding d's hypercall arguments (tests that scribble guest memory skip them). */
gfn_t harness_scratch_gfn(struct domain *d, unsigned int *nr_pages)
{
    *nr_pages = SCRATCH_PAGES;
    return states[d->domain_id].scratch_gfn;
}

static int claim_slot(struct harness_domain_state *st)
{
    for (;;) {
        uint64_t busy = __atomic_load_n(&st->scratch_busy, __ATOMIC_RELAXED);

        if (busy == ~0ull) {
            arch_cpu_relax();
            continue;
        }
        int slot = __builtin_ctzll(~busy);

        if (__atomic_compare_exchange_n(&st->scratch_busy, &busy, busy | (1ull << slot), false,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return slot;
    }
}

long harness_evtchn_op(struct vcpu *v, int cmd, void *arg, size_t size)
{
    struct domain *d = v->domain;
    struct harness_domain_state *st = &states[d->domain_id];
    gpaddr_t gpa;
    unsigned int restarts = 0;
    long rc;
    int slot;

    if (size > SCRATCH_SLOT) {
        fprintf(stderr, "harness_evtchn_op: argument of %zu bytes is too large\n", size);
        abort();
    }
    slot = claim_slot(st);
    gpa = (st->scratch_gfn << PAGE_SHIFT) + (gpaddr_t)slot * SCRATCH_SLOT;
    if (size > 0 && arch_copy_to_guest(d, gpa, arg, size) != 0)
        abort();
    while ((rc = do_event_channel_op(v, cmd, gpa)) == -ERESTART) {
        if (++restarts == MAX_RESTARTS) {
            fprintf(stderr, "harness_evtchn_op: cmd %d restarted %u times\n", cmd, restarts);
            abort();
        }
    }
    if (size > 0 && arch_copy_from_guest(d, arg, gpa, size) != 0)
        abort();
    __atomic_fetch_and(&st->scratch_busy, ~(1ull << slot), __ATOMIC_RELEASE);
    return rc;
}

long harness_hypercall(struct vcpu *v, unsigned long nr, unsigned long a0, unsigned long a1,
                       unsigned long a2, unsigned long a3, unsigned long a4)
{
    unsigned long args[HYPERCALL_NR_ARGS] = {a0, a1, a2, a3, a4};
    unsigned int restarts = 0;
    long rc;

    while ((rc = hypercall_dispatch(v, nr, args)) == -ERESTART) {
        if (++restarts == MAX_RESTARTS) {
            fprintf(stderr, "harness_hypercall: %lu restarted %u times\n", nr, restarts);
            abort();
        }
    }
    return rc;
}

void *harness_guest_buf(struct domain *d, gpaddr_t *gpa)
{
    gfn_t gfn = harness_alloc_gfn(d);
    void *va = harness_gfn_to_va(d, gfn);

    if (va == NULL) {
        fprintf(stderr, "harness_guest_buf: d%u is out of guest pages\n", d->domain_id);
        abort();
    }
    *gpa = gfn << PAGE_SHIFT;
    return va;
}
