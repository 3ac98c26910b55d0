/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vGIC core, common to GICv2 and GICv3 guests: interrupt state, injection from any
 * CPU, and the list registers of the vCPU a CPU runs.
 *
 * Delivery: vgic_inject_irq() sets a pending bit (atomic), marks the target vCPU dirty and
 * wakes it. On the way into the guest vgic_flush() looks at the dirty mark only, so an
 * exit with nothing new costs a few loads; when dirty it moves the highest-priority
 * pending, enabled interrupts into free list registers. What does not fit stays pending
 * (the spill set, again taken highest priority first) and the underflow maintenance
 * interrupt brings the guest back out as soon as the list registers drain. A pending
 * interrupt may also push out a lower-priority one that the guest has not acknowledged.
 * On the way out vgic_sync() retires the list registers the guest has EOIed (ELRSR).
 *
 * The event upcall (PPI 31) is level-like, as in Xen: it is pending while the vCPU's
 * vcpu_info.evtchn_upcall_pending is set, re-checked on every flush, so a guest that EOIs
 * with the flag still set gets the interrupt again.
 */
#include <asm/domain.h>
#include <asm/guest_memmap.h>
#include <asm/host_spis.h>
#include <asm/vgic_state.h>
#include <xen/alloc.h>
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/sched.h>

#define BIT(n) ((vgic_set_t)1 << (n))

/* The lowest INTID of a non-empty set. */
static unsigned int set_first(vgic_set_t s)
{
    uint64_t lo = (uint64_t)s;

    return lo != 0 ? (unsigned int)__builtin_ctzll(lo)
                   : 64 + (unsigned int)__builtin_ctzll((uint64_t)(s >> 64));
}

/* SPI word w (INTIDs 32 + 32w ..) as a set, from its bits. */
static vgic_set_t spi_word_set(unsigned int w, uint32_t bits)
{
    return (vgic_set_t)bits << (VGIC_NR_PRIVATE + 32 * w);
}

/* The word and bit of SPI INTID n (32 <= n < VGIC_NR_IRQS) in the SPI bitmaps. */
#define SPI_WORD(n) (((n)-VGIC_NR_PRIVATE) / 32)
#define SPI_BIT(n)  (1u << ((n) % 32))

/* The vCPU whose list registers each CPU holds (maintenance interrupt, save). */
static struct vgic_vcpu *loaded_on[NR_CPUS];

struct vgic_vcpu *vgic_vcpu_of(const struct vcpu *v)
{
    return v != NULL && v->arch != NULL ? arm_vcpu(v)->vgic : NULL;
}

struct vgic_domain *vgic_domain_of(const struct domain *d)
{
    return d != NULL && d->arch != NULL ? arm_domain(d)->vgic : NULL;
}

static void wake(struct vcpu *v)
{
    vcpu_wake(v); /* runnable if blocked; a kick (SGI_KICK) if it runs on another CPU */
}

static uint32_t load32(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static uint8_t prio_of(const struct vgic_vcpu *vv, const struct vgic_domain *vd, unsigned int n)
{
    return n < VGIC_NR_PRIVATE ? vv->priority[n] : vd->spi_priority[n - VGIC_NR_PRIVATE];
}

/* Pending interrupts of vv (routed to it, for SPIs), enabled ones only if asked. */
static vgic_set_t pending_set(const struct vgic_vcpu *vv, const struct vgic_domain *vd,
                              bool enabled_only)
{
    vgic_set_t set = load32(&vv->pending) & (enabled_only ? load32(&vv->enabled) : ~0u);

    for (unsigned int w = 0; w < VGIC_SPI_WORDS; w++) {
        uint32_t bits = load32(&vd->spi_pending[w]);

        if (bits == 0)
            continue; /* the usual case: no SPI of this word pending, nothing else to read */
        bits &= load32(&vv->spi_mask[w]) & (enabled_only ? load32(&vd->spi_enabled[w]) : ~0u);
        if (bits != 0)
            set |= spi_word_set(w, bits);
    }
    return set;
}

/* Pending, enabled interrupts of vv that are not in a list register. */
static vgic_set_t deliverable(const struct vgic_vcpu *vv, const struct vgic_domain *vd)
{
    return pending_set(vv, vd, true) & ~vv->in_lr;
}

static uint32_t *pending_word(struct vgic_vcpu *vv, struct vgic_domain *vd, unsigned int n)
{
    return n < VGIC_NR_PRIVATE ? &vv->pending : &vd->spi_pending[SPI_WORD(n)];
}

/* Take n's pending bit (false: another CPU took it first, e.g. an SPI that moved). */
static bool take_pending(struct vgic_vcpu *vv, struct vgic_domain *vd, unsigned int n)
{
    uint32_t bit = 1u << (n % 32);

    return (__atomic_fetch_and(pending_word(vv, vd, n), ~bit, __ATOMIC_ACQ_REL) & bit) != 0;
}

static void put_pending(struct vgic_vcpu *vv, struct vgic_domain *vd, unsigned int n)
{
    __atomic_fetch_or(pending_word(vv, vd, n), 1u << (n % 32), __ATOMIC_ACQ_REL);
}

/* The highest-priority INTID of set (lowest value; ties: lowest INTID). set != 0. */
static unsigned int best_of(const struct vgic_vcpu *vv, const struct vgic_domain *vd,
                            vgic_set_t set)
{
    unsigned int best = set_first(set);
    uint8_t best_prio = prio_of(vv, vd, best);

    for (set &= set - 1; set != 0; set &= set - 1) {
        unsigned int n = set_first(set);
        uint8_t p = prio_of(vv, vd, n);

        if (p < best_prio) {
            best = n;
            best_prio = p;
        }
    }
    return best;
}

static void lr_write(struct vgic_vcpu *vv, unsigned int i)
{
    if (vv->loaded)
        vv->lr_written[i] = gic_host.ops->write_lr(i, &vv->lr[i]);
}

static void lr_free(struct vgic_vcpu *vv, unsigned int i)
{
    vv->in_lr &= ~BIT(vv->lr[i].intid);
    vv->lr_used &= ~(1u << i);
    vv->lr[i].state = 0;
    lr_write(vv, i);
}

/* The list register holding INTID n (n is in in_lr). */
static unsigned int lr_of(const struct vgic_vcpu *vv, unsigned int n)
{
    for (uint32_t used = vv->lr_used; used != 0; used &= used - 1) {
        unsigned int i = (unsigned int)__builtin_ctz(used);

        if (vv->lr[i].intid == n)
            return i;
    }
    return GIC_MAX_LRS; /* not reached while in_lr and lr_used agree */
}

/*
 * A free list register for an interrupt of priority prio: a free one, or the one holding
 * the lowest-priority interrupt the guest has not acknowledged yet (pending, not active)
 * if that is below prio; its interrupt goes back to pending. GIC_MAX_LRS: none.
 */
static unsigned int lr_claim(struct vgic_vcpu *vv, struct vgic_domain *vd, uint8_t prio)
{
    uint32_t all = (1u << gic_host.nr_lrs) - 1;
    uint32_t free = ~vv->lr_used & all;
    unsigned int victim = GIC_MAX_LRS;
    uint8_t victim_prio = prio;

    if (free != 0)
        return (unsigned int)__builtin_ctz(free);
    for (uint32_t used = vv->lr_used; used != 0; used &= used - 1) {
        unsigned int i = (unsigned int)__builtin_ctz(used);

        if (vv->lr[i].state == LR_PENDING && vv->lr[i].priority > victim_prio) {
            victim = i;
            victim_prio = vv->lr[i].priority;
        }
    }
    if (victim == GIC_MAX_LRS)
        return GIC_MAX_LRS;
    if (vv->loaded) /* the guest may have acknowledged it since the last sync */
        gic_host.ops->read_lr(victim, &vv->lr[victim]);
    if (vv->lr[victim].state != LR_PENDING)
        return GIC_MAX_LRS;
    put_pending(vv, vd, vv->lr[victim].intid);
    lr_free(vv, victim);
    return victim;
}

/* Interrupts pending again while in a list register: add the pending state there. */
static void repend_in_lrs(struct vgic_vcpu *vv, struct vgic_domain *vd, vgic_set_t again)
{
    for (; again != 0; again &= again - 1) {
        unsigned int n = set_first(again);
        unsigned int i = lr_of(vv, n);

        if (i == GIC_MAX_LRS || !take_pending(vv, vd, n))
            continue;
        if (vv->loaded)
            gic_host.ops->read_lr(i, &vv->lr[i]);
        if (vv->lr[i].state == 0) {
            /* Retired under us (EOIed since the last sync): deliver afresh next time. */
            lr_free(vv, i);
            put_pending(vv, vd, n);
            continue;
        }
        vv->lr[i].state |= LR_PENDING; /* edge: a pending one collapses into itself */
        lr_write(vv, i);
    }
}

/* Move deliverable interrupts into list registers, highest priority first. */
static void fill_lrs(struct vgic_vcpu *vv, struct vgic_domain *vd)
{
    vgic_set_t pend, again;

    /* Pending again while still in a list register (active, or acknowledged and ended). */
    again = pending_set(vv, vd, false) & vv->in_lr;
    if (again != 0)
        repend_in_lrs(vv, vd, again);

    pend = deliverable(vv, vd);
    /* Bounded: each pass removes one INTID from pend (at most VGIC_NR_IRQS). */
    while (pend != 0) {
        unsigned int n = best_of(vv, vd, pend);
        uint8_t prio = prio_of(vv, vd, n);
        unsigned int i = lr_claim(vv, vd, prio);

        if (i == GIC_MAX_LRS)
            break; /* full of higher-priority or acknowledged interrupts: spill */
        pend &= ~BIT(n);
        if (!take_pending(vv, vd, n))
            continue;
        vv->lr[i] = (struct gic_lr){
            .intid = n,
            .priority = prio,
            .state = LR_PENDING,
            .source = n < 16 ? vv->sgi_source[n] : 0,
            .group1 = vd->ops->group1,
            /* Its host SPI stays masked until the guest ends it: know when that happens. */
            .eoi = n >= VGIC_NR_PRIVATE && (load32(&vd->spi_hw[SPI_WORD(n)]) & SPI_BIT(n)),
        };
        vv->lr_used |= 1u << i;
        vv->in_lr |= BIT(n);
        lr_write(vv, i);
    }
    /* Anything left (including what lr_claim pushed out) waits for the underflow. */
    vv->spilled = deliverable(vv, vd) != 0;
}

void vgic_flush(struct vcpu *v)
{
    struct vgic_vcpu *vv = vgic_vcpu_of(v);
    struct vgic_domain *vd;
    bool was_spilled;

    if (vv == NULL)
        return;
    vv->raised_here = 0;
    if (vcpu_upcall_pending(v) && !(vv->in_lr & BIT(GUEST_EVTCHN_PPI_INTID)) &&
        !(load32(&vv->pending) & (1u << GUEST_EVTCHN_PPI_INTID))) {
        __atomic_fetch_or(&vv->pending, 1u << GUEST_EVTCHN_PPI_INTID, __ATOMIC_RELEASE);
        __atomic_store_n(&vv->dirty, 1, __ATOMIC_RELEASE);
    }
    if (__atomic_load_n(&vv->dirty, __ATOMIC_RELAXED) == 0)
        return;                                        /* the common exit: nothing new */
    __atomic_store_n(&vv->dirty, 0, __ATOMIC_SEQ_CST); /* before reading what it announced */
    vd = vgic_domain_of(v->domain);
    was_spilled = vv->spilled;
    fill_lrs(vv, vd);
    if (vv->loaded && vv->spilled != was_spilled)
        gic_host.ops->set_hcr(true, vv->spilled);
}

/*
 * The list register holding interrupt n of vv, read back from the hardware (the guest may
 * have taken or ended it since); GIC_MAX_LRS if n is in none. vv is loaded here.
 */
static unsigned int lr_read_back(struct vgic_vcpu *vv, unsigned int n)
{
    unsigned int i;

    if (!(vv->in_lr & BIT(n)))
        return GIC_MAX_LRS;
    i = lr_of(vv, n);
    if (i != GIC_MAX_LRS)
        gic_host.ops->read_lr(i, &vv->lr[i]);
    return i;
}

bool vgic_exit_quiet(struct vcpu *v)
{
    struct vgic_vcpu *vv = vgic_vcpu_of(v);
    uint32_t raised;
    unsigned int i;

    if (vv == NULL)
        return false;
    raised = vv->raised_here;
    vv->raised_here = 0;
    /* Something announced since the last flush: sync and flush. */
    if (__atomic_load_n(&vv->dirty, __ATOMIC_ACQUIRE) != 0)
        return false;
    if ((raised & (1u << GUEST_EVTCHN_PPI_INTID)) || !vcpu_upcall_pending(v))
        return true;
    /*
     * The upcall is level-like: while it is pending the flush re-checks it, unless a list
     * register holds it pending still (the guest has not taken it yet): then the guest
     * gets it without us.
     */
    i = vv->loaded ? lr_read_back(vv, GUEST_EVTCHN_PPI_INTID) : GIC_MAX_LRS;
    return i != GIC_MAX_LRS && (vv->lr[i].state & LR_PENDING);
}

/*
 * v is the vCPU this CPU runs, inside its trap (the caller checked). Simple means: intid
 * is a PPI (an SGI carries its sender, which a list register holding another sender's must
 * not absorb) and enabled; nothing else was announced and not flushed yet, and nothing
 * waits spilled (either may outrank intid: the flush orders them); and a list register
 * already holds intid at its current priority (pending again on top of active collapses,
 * as an edge does; one the guest has ended is written afresh, by pend_lr from what was
 * written last), or one is free. The remote CPUs only ever set pending bits and dirty, so
 * the list-register bookkeeping here is this CPU's.
 */
ALWAYS_INLINE bool vgic_raise_here(struct vcpu *v, unsigned int intid)
{
    struct vgic_vcpu *vv = arm_vcpu(v)->vgic; /* v runs here: it has its arch part */
    unsigned int i;

    if (vv == NULL || !vv->loaded || intid < 16 || intid >= VGIC_NR_PRIVATE ||
        !(load32(&vv->enabled) & (1u << intid)) || vv->spilled ||
        __atomic_load_n(&vv->dirty, __ATOMIC_ACQUIRE) != 0)
        return false;
    if (vv->in_lr & BIT(intid)) { /* the usual case: the upcall's list register again */
        i = lr_of(vv, intid);
        if (i == GIC_MAX_LRS || vv->lr[i].priority != vv->priority[intid])
            return false; /* its priority changed meanwhile: the flush writes it afresh */
        gic_host.ops->pend_lr(i, vv->lr_written[i]);
        vv->lr[i].state |= LR_PENDING;
    } else {
        uint32_t free = ~vv->lr_used & ((1u << gic_host.nr_lrs) - 1);

        if (free == 0)
            return false;
        i = (unsigned int)__builtin_ctz(free);
        vv->lr[i] = (struct gic_lr){
            .intid = intid,
            .priority = vv->priority[intid],
            .state = LR_PENDING,
            .group1 = vgic_domain_of(v->domain)->ops->group1,
        };
        vv->lr_used |= 1u << i;
        vv->in_lr |= BIT(intid);
        lr_write(vv, i);
    }
    vv->raised_here |= 1u << intid;
    return true;
}

void vgic_sync(struct vcpu *v)
{
    struct vgic_vcpu *vv = vgic_vcpu_of(v);
    uint32_t gone;

    if (vv == NULL || vv->lr_used == 0 || !vv->loaded)
        return;
    /* ELRSR: list registers with nothing in them, i.e. the guest has ended (EOIed) them. */
    gone = gic_host.ops->empty_lrs() & vv->lr_used;
    if (gone == 0)
        return;
    for (; gone != 0; gone &= gone - 1) {
        unsigned int i = (unsigned int)__builtin_ctz(gone), n = vv->lr[i].intid;

        lr_free(vv, i);
        if (vv->lr[i].eoi) /* the guest ended an interrupt a host SPI stands behind */
            host_spi_guest_eoi(v->domain, n);
    }
    if (vv->spilled)
        __atomic_store_n(&vv->dirty, 1, __ATOMIC_RELAXED);
}

void vgic_save(struct vcpu *v)
{
    struct vgic_vcpu *vv = vgic_vcpu_of(v);
    unsigned int cpu = arch_this_cpu();

    if (vv == NULL || !vv->loaded)
        return;
    vgic_sync(v);
    for (uint32_t used = vv->lr_used; used != 0; used &= used - 1) {
        unsigned int i = (unsigned int)__builtin_ctz(used);

        gic_host.ops->read_lr(i, &vv->lr[i]);
        gic_host.ops->write_lr(i, &(struct gic_lr){0});
    }
    gic_host.ops->save(&vv->hw);
    gic_host.ops->set_hcr(false, false);
    vv->loaded = false;
    vv->raised_here = 0;
    if (cpu < NR_CPUS && loaded_on[cpu] == vv)
        loaded_on[cpu] = NULL;
}

void vgic_restore(struct vcpu *v)
{
    struct vgic_vcpu *vv = vgic_vcpu_of(v);
    unsigned int cpu = arch_this_cpu();

    if (vv == NULL || vv->loaded)
        return;
    gic_host.ops->restore(&vv->hw);
    for (uint32_t used = vv->lr_used; used != 0; used &= used - 1) {
        unsigned int i = (unsigned int)__builtin_ctz(used);

        vv->lr_written[i] = gic_host.ops->write_lr(i, &vv->lr[i]);
    }
    gic_host.ops->set_hcr(true, vv->spilled);
    vv->loaded = true;
    if (cpu < NR_CPUS)
        loaded_on[cpu] = vv;
}

void vgic_maintenance_interrupt(unsigned int intid)
{
    (void)intid;
    unsigned int cpu = arch_this_cpu();
    struct vgic_vcpu *vv = cpu < NR_CPUS ? loaded_on[cpu] : NULL;

    /*
     * Underflow: the list registers drained while more was waiting. The line stays up
     * until UIE is cleared; the way back into the guest (sync, flush) refills them.
     */
    gic_host.ops->set_hcr(vv != NULL, false);
    if (vv != NULL) {
        vv->spilled = false;
        __atomic_store_n(&vv->dirty, 1, __ATOMIC_RELAXED);
    }
}

/*
 * Make intid pending (for SGIs, from vCPU source). Returns the vCPU that should wake for
 * it: the one it is routed to, if it is enabled; NULL if it only waits (disabled, or an
 * SPI routed nowhere).
 */
static struct vcpu *mark_pending(struct vcpu *v, unsigned int intid, unsigned int source)
{
    struct vgic_vcpu *vv = vgic_vcpu_of(v);
    struct vgic_domain *vd;
    struct vcpu *target;
    bool enabled;

    if (vv == NULL)
        return NULL;
    vd = vgic_domain_of(v->domain);
    if (intid < VGIC_NR_PRIVATE) {
        if (intid < 16)
            vv->sgi_source[intid] = (uint8_t)source;
        __atomic_fetch_or(&vv->pending, 1u << intid, __ATOMIC_RELEASE);
        enabled = (load32(&vv->enabled) & (1u << intid)) != 0;
        target = v;
    } else if (intid < VGIC_NR_IRQS && vd != NULL) {
        unsigned int spi = intid - VGIC_NR_PRIVATE;
        unsigned int to = __atomic_load_n(&vd->spi_vcpu[spi], __ATOMIC_ACQUIRE);

        __atomic_fetch_or(&vd->spi_pending[SPI_WORD(intid)], SPI_BIT(intid), __ATOMIC_RELEASE);
        enabled = (load32(&vd->spi_enabled[SPI_WORD(intid)]) & SPI_BIT(intid)) != 0;
        target = to != VGIC_NO_VCPU ? domain_vcpu(v->domain, to) : NULL;
        vv = vgic_vcpu_of(target);
        if (vv == NULL)
            return NULL; /* stays pending until it is routed somewhere */
    } else {
        return NULL;
    }
    __atomic_store_n(&vv->dirty, 1, __ATOMIC_RELEASE);
    /* A disabled interrupt stays pending; enabling it wakes the vCPU then. */
    return enabled ? target : NULL;
}

static void inject(struct vcpu *v, unsigned int intid, unsigned int source)
{
    struct vcpu *target = mark_pending(v, intid, source);

    if (target != NULL)
        wake(target);
}

void vgic_inject_irq(struct vcpu *v, unsigned int intid)
{
    inject(v, intid, 0);
}

struct vcpu *vgic_mark_irq(struct vcpu *v, unsigned int intid)
{
    return mark_pending(v, intid, 0);
}

void vgic_send_sgi(struct vcpu *src, unsigned int sgi, uint64_t targets)
{
    struct domain *d = src->domain;

    /* Bounded by the domain's vCPUs (at most 64 bits). */
    for (; targets != 0; targets &= targets - 1) {
        struct vcpu *t = domain_vcpu(d, (uint32_t)__builtin_ctzll(targets));

        if (t != NULL)
            inject(t, sgi & 15, src->vcpu_id);
    }
}

bool vgic_vcpu_pending(struct vcpu *v)
{
    struct vgic_vcpu *vv = vgic_vcpu_of(v);
    struct vgic_domain *vd = vgic_domain_of(v->domain);

    if (vv == NULL || vd == NULL)
        return false;
    if (deliverable(vv, vd) != 0)
        return true;
    for (uint32_t used = vv->lr_used; used != 0; used &= used - 1) {
        if (vv->lr[__builtin_ctz(used)].state & LR_PENDING)
            return true;
    }
    return vcpu_upcall_pending(v) && (load32(&vv->enabled) & (1u << GUEST_EVTCHN_PPI_INTID));
}

/* ---- Register emulation helpers (vgic_v2.c, vgic_v3.c) ---- */

/* The bit word of INTIDs word*32.. for register r: the vCPU's bank or the domain's SPIs. */
static uint32_t *bits_word(struct vcpu *v, unsigned int word, enum vgic_bitreg r)
{
    struct vgic_vcpu *vv = vgic_vcpu_of(v);
    struct vgic_domain *vd = vgic_domain_of(v->domain);

    if (word == 0 && vv != NULL)
        return r == VGIC_ENABLE ? &vv->enabled : r == VGIC_PEND ? &vv->pending : &vv->active;
    if (word >= 1 && word <= VGIC_SPI_WORDS && vd != NULL)
        return r == VGIC_ENABLE ? &vd->spi_enabled[word - 1]
               : r == VGIC_PEND ? &vd->spi_pending[word - 1]
                                : &vd->spi_active[word - 1];
    return NULL;
}

/* List-register state bits of INTIDs word*32.. that v holds (its shadow copy). */
static uint32_t lr_bits(struct vcpu *v, unsigned int word, uint8_t state)
{
    struct vgic_vcpu *vv = vgic_vcpu_of(v);
    uint32_t bits = 0;

    if (vv == NULL)
        return 0;
    for (uint32_t used = vv->lr_used; used != 0; used &= used - 1) {
        const struct gic_lr *lr = &vv->lr[__builtin_ctz(used)];

        if ((lr->state & state) && lr->intid / 32 == word)
            bits |= 1u << (lr->intid % 32);
    }
    return bits;
}

COLD uint32_t vgic_bits_read(struct vcpu *v, unsigned int word, enum vgic_bitreg r)
{
    uint32_t *w = bits_word(v, word, r);
    uint32_t val;

    if (w == NULL)
        return 0;
    val = load32(w);
    if (r == VGIC_PEND)
        val |= lr_bits(v, word, LR_PENDING);
    else if (r == VGIC_ACTIVE)
        val |= lr_bits(v, word, LR_ACTIVE);
    if (word >= 1) {
        /* SPIs in another vCPU's list registers. */
        struct domain *d = v->domain;

        for (uint32_t i = 0; i < d->max_vcpus && r != VGIC_ENABLE; i++) {
            if (d->vcpu[i] != NULL && d->vcpu[i] != v)
                val |= lr_bits(d->vcpu[i], word, r == VGIC_PEND ? LR_PENDING : LR_ACTIVE);
        }
    }
    return val;
}

/* Something in word may have become deliverable: tell the vCPUs it concerns. */
static void poke(struct vcpu *v, unsigned int word, uint32_t bits)
{
    struct vgic_domain *vd = vgic_domain_of(v->domain);

    if (word == 0) {
        struct vgic_vcpu *vv = vgic_vcpu_of(v);

        if (vv == NULL)
            return;
        __atomic_store_n(&vv->dirty, 1, __ATOMIC_RELEASE);
        if (load32(&vv->pending) & load32(&vv->enabled) & bits)
            wake(v);
        return;
    }
    for (; bits != 0; bits &= bits - 1) {
        unsigned int to = vd->spi_vcpu[32 * (word - 1) + (unsigned int)__builtin_ctz(bits)];
        struct vcpu *t = to != VGIC_NO_VCPU ? domain_vcpu(v->domain, to) : NULL;
        struct vgic_vcpu *tv = vgic_vcpu_of(t);

        if (tv != NULL) {
            __atomic_store_n(&tv->dirty, 1, __ATOMIC_RELEASE);
            wake(t);
        }
    }
}

void vgic_bits_set(struct vcpu *v, unsigned int word, enum vgic_bitreg r, uint32_t bits)
{
    uint32_t *w = bits_word(v, word, r);

    if (w == NULL || bits == 0)
        return;
    __atomic_fetch_or(w, bits, __ATOMIC_ACQ_REL);
    if (r != VGIC_ACTIVE)
        poke(v, word, bits);
}

void vgic_bits_clear(struct vcpu *v, unsigned int word, enum vgic_bitreg r, uint32_t bits)
{
    uint32_t *w = bits_word(v, word, r);

    /*
     * Interrupts already in a list register stay there (the architecture lets an
     * in-flight interrupt complete); only the state outside them changes.
     */
    if (w != NULL)
        __atomic_fetch_and(w, ~bits, __ATOMIC_ACQ_REL);
}

uint8_t vgic_priority_read(struct vcpu *v, unsigned int intid)
{
    struct vgic_vcpu *vv = vgic_vcpu_of(v);
    struct vgic_domain *vd = vgic_domain_of(v->domain);

    if (intid < VGIC_NR_PRIVATE)
        return vv != NULL ? vv->priority[intid] : 0;
    if (intid < VGIC_NR_IRQS && vd != NULL)
        return vd->spi_priority[intid - VGIC_NR_PRIVATE];
    return 0;
}

void vgic_priority_write(struct vcpu *v, unsigned int intid, uint8_t prio)
{
    struct vgic_vcpu *vv = vgic_vcpu_of(v);
    struct vgic_domain *vd = vgic_domain_of(v->domain);

    /* Priorities are ordered only; the LR keeps what it was delivered with. */
    if (intid < VGIC_NR_PRIVATE && vv != NULL)
        vv->priority[intid] = prio;
    else if (intid < VGIC_NR_IRQS && vd != NULL)
        vd->spi_priority[intid - VGIC_NR_PRIVATE] = prio;
}

/* ICFGR word k covers INTIDs 16k..16k+15, two bits each (bit 1 of a pair: edge). */
uint32_t vgic_icfgr_read(struct vcpu *v, unsigned int word)
{
    struct vgic_vcpu *vv = vgic_vcpu_of(v);
    struct vgic_domain *vd = vgic_domain_of(v->domain);
    uint32_t edge, val = 0;

    if (word == 0)
        return 0xaaaaaaaau; /* SGIs: always edge */
    if (word == 1 && vv != NULL)
        edge = vv->edge >> 16;
    else if (word >= 2 && word < 2 + VGIC_NR_SPIS / 16 && vd != NULL)
        edge = vd->spi_edge[(word - 2) / 2] >> (16 * ((word - 2) % 2));
    else
        return 0;
    for (unsigned int i = 0; i < 16; i++)
        val |= ((edge >> i) & 1u) << (2 * i + 1);
    return val;
}

void vgic_icfgr_write(struct vcpu *v, unsigned int word, uint32_t val)
{
    struct vgic_vcpu *vv = vgic_vcpu_of(v);
    struct vgic_domain *vd = vgic_domain_of(v->domain);
    uint32_t edge = 0;
    uint32_t *dst;
    unsigned int shift;

    if (word == 1 && vv != NULL) {
        dst = &vv->edge;
        shift = 16;
    } else if (word >= 2 && word < 2 + VGIC_NR_SPIS / 16 && vd != NULL) {
        dst = &vd->spi_edge[(word - 2) / 2];
        shift = 16 * ((word - 2) % 2);
    } else {
        return; /* SGIs are fixed; beyond our SPIs nothing exists */
    }
    for (unsigned int i = 0; i < 16; i++)
        edge |= ((val >> (2 * i + 1)) & 1u) << i;
    *dst = (*dst & ~(0xffffu << shift)) | edge << shift;
}

int vgic_bind_hw_spi(struct domain *d, unsigned int intid)
{
    struct vgic_domain *vd = vgic_domain_of(d);

    if (vd == NULL || intid < VGIC_NR_PRIVATE || intid >= VGIC_NR_IRQS)
        return -ENOSPC;
    __atomic_fetch_or(&vd->spi_hw[SPI_WORD(intid)], SPI_BIT(intid), __ATOMIC_RELEASE);
    return 0;
}

void vgic_spi_route(struct domain *d, unsigned int spi, unsigned int vcpu_id)
{
    struct vgic_domain *vd = vgic_domain_of(d);
    unsigned int to = vcpu_id < d->max_vcpus ? vcpu_id : VGIC_NO_VCPU;

    if (vd == NULL || spi >= VGIC_NR_SPIS)
        return;
    __atomic_store_n(&vd->spi_vcpu[spi], (uint8_t)to, __ATOMIC_RELEASE);
    for (uint32_t i = 0; i < d->max_vcpus; i++) {
        struct vgic_vcpu *vv = vgic_vcpu_of(d->vcpu[i]);

        if (vv == NULL)
            continue;
        if (i == to)
            __atomic_fetch_or(&vv->spi_mask[spi / 32], 1u << (spi % 32), __ATOMIC_ACQ_REL);
        else
            __atomic_fetch_and(&vv->spi_mask[spi / 32], ~(1u << (spi % 32)), __ATOMIC_ACQ_REL);
    }
    if (to != VGIC_NO_VCPU && (load32(&vd->spi_pending[spi / 32]) & (1u << (spi % 32))))
        poke(d->vcpu[to] != NULL ? d->vcpu[to] : d->vcpu[0], 1 + spi / 32, 1u << (spi % 32));
}

/* ---- Life cycle ---- */

COLD void vgic_init(void)
{
    if (gic_host.ops == NULL)
        panic("vgic: no host GIC");
    if (gic_host.nr_lrs < 2)
        panic("vgic: %u list registers (need 2 for the underflow interrupt)", gic_host.nr_lrs);
    printk("vgic: GICv%u guests, %u list registers, %u SPIs per domain\n", gic_host.ops->version,
           gic_host.nr_lrs, VGIC_NR_SPIS);
}

COLD int vgic_domain_init(struct domain *d)
{
    struct vgic_domain *vd;
    int rc;

    if (d == NULL || d->arch == NULL || gic_host.ops == NULL || gic_host.ops->vgic == NULL)
        return -EINVAL;
    if (d->max_vcpus > gic_host.ops->vgic->max_vcpus)
        return -EINVAL;
    vd = xzalloc(struct vgic_domain);
    if (vd == NULL)
        return -ENOMEM;
    vd->d = d;
    vd->ops = gic_host.ops->vgic;
    for (unsigned int i = 0; i < VGIC_NR_SPIS; i++) {
        vd->spi_targets[i] = 1; /* vCPU 0, as after reset on most GICs */
        vd->spi_vcpu[i] = 0;
    }
    arm_domain(d)->vgic = vd;
    rc = vd->ops->domain_init(d);
    if (rc != 0) {
        arm_domain(d)->vgic = NULL;
        xfree(vd);
    }
    return rc;
}

COLD void vgic_domain_destroy(struct domain *d)
{
    if (d == NULL || d->arch == NULL)
        return;
    for (uint32_t i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];

        if (v != NULL && v->arch != NULL && arm_vcpu(v)->vgic != NULL) {
            struct vgic_vcpu *vv = arm_vcpu(v)->vgic;

            for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
                if (loaded_on[cpu] == vv)
                    loaded_on[cpu] = NULL;
            }
            arm_vcpu(v)->vgic = NULL;
            xfree(vv);
        }
    }
    xfree(arm_domain(d)->vgic);
    arm_domain(d)->vgic = NULL;
}

COLD int vgic_vcpu_init(struct vcpu *v)
{
    struct vgic_domain *vd;
    struct vgic_vcpu *vv;

    if (v == NULL || v->arch == NULL)
        return -EINVAL;
    if (arm_vcpu(v)->vgic != NULL)
        return 0;
    vv = xzalloc(struct vgic_vcpu);
    if (vv == NULL)
        return -ENOMEM;
    vv->v = v;
    vv->hw.vmcr = GIC_VMCR_RESET;
    vv->edge = 0x0000ffffu; /* SGIs edge, PPIs level */
    vd = vgic_domain_of(v->domain);
    if (vd != NULL) {
        for (unsigned int i = 0; i < VGIC_NR_SPIS; i++) {
            if (vd->spi_vcpu[i] == v->vcpu_id)
                vv->spi_mask[i / 32] |= 1u << (i % 32);
        }
    }
    /* v3 redistributors come out of reset asleep; the guest wakes its own (GICR_WAKER). */
    vv->waker = 1;
    arm_vcpu(v)->vgic = vv;
    return 0;
}

void vgic_dt_info(const struct domain *d, struct vgic_dt_info *info)
{
    const struct vgic_ops *ops = gic_host.ops != NULL ? gic_host.ops->vgic : NULL;

    memset(info, 0, sizeof(*info));
    info->maint_ppi = GUEST_MAINT_PPI_INTID - 16;
    if (ops == NULL)
        return; /* version 0: no GIC for the guest's DT */
    info->version = ops->version;
    ops->dt_info(d, info);
}
