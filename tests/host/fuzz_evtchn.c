/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness for the event-channel hypercall and everything a guest can do around it.
 *
 * Each input is a little program run against three fresh domains (layouts and vCPU counts
 * from the first bytes; domain 0 is privileged). Its steps, decoded from the bytes:
 *
 *   - an EVTCHNOP from any vCPU of any domain: every Xen sub-op (0-14), minixen's
 *     set_limit and register_3level, and arbitrary command numbers. Arguments are built
 *     field by field from values that matter (ports just allocated, 0, the ABI limits and
 *     one past them, DOMID_SELF, other domains, vCPU ids in and out of range, guest frames
 *     that are and are not RAM, offsets at and past the control-block limit, priorities
 *     up to 16...) or taken raw from the input; now and then the argument address itself
 *     is bad;
 *   - guest-memory writes into what the guest shares with the hypervisor: shared_info and
 *     vcpu_info words (pending/mask bitmaps, selectors), FIFO event words and control
 *     blocks, 3-level bitmaps and L2 selectors, any page the guest allocated;
 *   - the guest model: ABI set-up as a guest does it, consumes, masks and unmasks;
 *   - the hypervisor's own senders (VIRQs), poll checks, debug dumps, domain destruction
 *     and re-creation, starved atomics and failing allocations;
 *   - any hypercall at all, through the common table's dispatch: every number up to the
 *     last arch-specific one (each entry of the table and the holes between), and now and
 *     then a huge one; each of the five arguments a small number (a command), the address
 *     of a guest page filled with input bytes (and pointers back into it, so nested guest
 *     handles such as frame lists and port arrays lead somewhere), a bad address, or raw
 *     bits. That reaches memory_op, grant_table_op, vcpu_op, sched_op, hvm_op, console_io,
 *     xen_version and set_timer_op with hostile arguments and hostile guest memory.
 *
 * It must never crash, hang or leak: after every input all domains are destroyed and the
 * hypervisor heap must be back to zero bytes (a stricter check than LeakSanitizer's, which
 * cannot see memory still reachable from a forgotten table).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/alloc.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/shutdown.h>

#include "guest_model.h"

#define NR_DOMS   3
#define MAX_STEPS 256
#define ARG_MAX   160 /* the largest argument struct is 152 bytes */

struct input {
    const uint8_t *p;
    size_t n;
};

static uint8_t get8(struct input *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

static uint16_t get16(struct input *in)
{
    return (uint16_t)(get8(in) | get8(in) << 8);
}

static uint32_t get32(struct input *in)
{
    return (uint32_t)get16(in) | (uint32_t)get16(in) << 16;
}

static uint64_t get64(struct input *in)
{
    return (uint64_t)get32(in) | (uint64_t)get32(in) << 32;
}

/* ---- The world of one input ------------------------------------------------------------- */

static struct domain *doms[NR_DOMS];
static gfn_t arg_page[NR_DOMS]; /* the page do_any_hypercall fills, 0 until needed */
static const struct guest_layout *layouts[NR_DOMS];
static uint32_t nr_vcpus[NR_DOMS];
static evtchn_port_t last_port[NR_DOMS]; /* the most recent port a hypercall handed out */
/*
 * The 3-level model registered bitmaps for this domain: only then may it register an L2
 * (guest_3l_register_l2 divides by the model's word size, which is 0 before).
 */
static bool model_3l[NR_DOMS];

static const struct guest_layout *const all_layouts[] = {&guest_layout_arm, &guest_layout_x86_64,
                                                         &guest_layout_x86_32};

static struct domain *pick_domain(struct input *in)
{
    return doms[get8(in) % NR_DOMS]; /* may be NULL: destroyed */
}

static struct vcpu *pick_vcpu(struct input *in, struct domain *d)
{
    return d->vcpu[get8(in) % d->max_vcpus];
}

static evtchn_port_t pick_port(struct input *in, struct domain *d)
{
    static const uint32_t edges[] = {0,      1,      2,      63,         64,        1023,
                                     1024,   4095,   4096,   32767,      32768,     131071,
                                     131072, 262143, 262144, 0x7fffffff, 0xffffffff};
    uint8_t how = get8(in);

    switch (how % 6) {
    case 0:
        return d != NULL ? last_port[d->domain_id] : 1;
    case 1:
        return get8(in) % 80; /* where most ports live */
    case 2:
        return edges[get8(in) % (sizeof(edges) / sizeof(edges[0]))];
    case 3:
        return get32(in);
    default:
        return (d != NULL ? last_port[d->domain_id] : 0) - 3 + get8(in) % 7;
    }
}

static domid_t pick_domid(struct input *in)
{
    static const domid_t ids[] = {DOMID_SELF, 0, 1, 2, 3, MAX_DOMAINS, 0x7ff0, 0xffff};
    uint8_t b = get8(in);

    return b < 200 ? ids[b % (sizeof(ids) / sizeof(ids[0]))] : get16(in);
}

static uint32_t pick_small(struct input *in, uint32_t usual)
{
    uint8_t b = get8(in);

    if (b < 200)
        return b % usual;
    if (b < 240)
        return usual + b % 4; /* just past the end */
    return get32(in);
}

/* A guest frame: a fresh RAM page of d (pre-set like a guest would or not), or a bad one. */
static uint64_t pick_gfn(struct input *in, struct domain *d)
{
    uint8_t b = get8(in);

    switch (b % 8) {
    case 0:
        return 0;
    case 1:
        return harness_first_gfn() - 1;
    case 2:
        return harness_first_gfn() + HARNESS_GUEST_PAGES; /* just past RAM */
    case 3:
        return get64(in);
    case 4: /* a page the guest already uses for something else */
        return harness_first_gfn() + get16(in) % MAX(harness_gfns_allocated(d), 1u);
    case 5: { /* a fresh page, every FIFO word MASKED as Linux pre-sets it */
        gfn_t gfn = harness_alloc_gfn(d);
        uint32_t *w = harness_gfn_to_va(d, gfn);

        for (unsigned int i = 0; w != NULL && i < PAGE_SIZE / 4; i++)
            w[i] = 1u << EVTCHN_FIFO_MASKED;
        return gfn;
    }
    default:
        return harness_alloc_gfn(d);
    }
}

static uint32_t pick_cmd(struct input *in)
{
    uint8_t b = get8(in);

    if (b < 220)
        return b % 15; /* Xen's 0..14 */
    switch (b % 5) {
    case 0:
        return EVTCHNOP_set_limit;
    case 1:
        return EVTCHNOP_register_3level;
    case 2:
        return MINIXEN_EVTCHNOP_BASE + 2 + get8(in) % 4;
    case 3:
        return 15 + get8(in);
    default:
        return get32(in);
    }
}

/* Fill the argument of `cmd` for domain d. Returns its size. */
static size_t build_arg(struct input *in, struct domain *d, uint32_t cmd, uint8_t *arg)
{
    memset(arg, 0, ARG_MAX);
    if (get8(in) >= 240) { /* raw bytes, whatever the command */
        size_t n = get8(in) % ARG_MAX;

        for (size_t i = 0; i < n; i++)
            arg[i] = get8(in);
        return ARG_MAX;
    }
    switch (cmd) {
    case EVTCHNOP_alloc_unbound: {
        struct evtchn_alloc_unbound *a = (void *)arg;

        a->dom = pick_domid(in);
        a->remote_dom = pick_domid(in);
        return sizeof(*a);
    }
    case EVTCHNOP_bind_interdomain: {
        struct evtchn_bind_interdomain *a = (void *)arg;

        a->remote_dom = pick_domid(in);
        a->remote_port = pick_port(in, a->remote_dom < NR_DOMS ? doms[a->remote_dom] : d);
        return sizeof(*a);
    }
    case EVTCHNOP_bind_virq: {
        struct evtchn_bind_virq *a = (void *)arg;

        a->virq = pick_small(in, NR_VIRQS);
        a->vcpu = pick_small(in, d->max_vcpus);
        return sizeof(*a);
    }
    case EVTCHNOP_bind_pirq: {
        struct evtchn_bind_pirq *a = (void *)arg;

        a->pirq = pick_small(in, 64);
        a->flags = get8(in) % 3;
        return sizeof(*a);
    }
    case EVTCHNOP_bind_ipi: {
        struct evtchn_bind_ipi *a = (void *)arg;

        a->vcpu = pick_small(in, d->max_vcpus);
        return sizeof(*a);
    }
    case EVTCHNOP_close:
    case EVTCHNOP_send:
    case EVTCHNOP_unmask: {
        evtchn_port_t *port = (void *)arg;

        *port = pick_port(in, d);
        return sizeof(*port);
    }
    case EVTCHNOP_status: {
        struct evtchn_status *a = (void *)arg;

        a->dom = pick_domid(in);
        a->port = pick_port(in, a->dom < NR_DOMS ? doms[a->dom] : d);
        return sizeof(*a);
    }
    case EVTCHNOP_bind_vcpu: {
        struct evtchn_bind_vcpu *a = (void *)arg;

        a->port = pick_port(in, d);
        a->vcpu = pick_small(in, d->max_vcpus);
        return sizeof(*a);
    }
    case EVTCHNOP_reset: {
        struct evtchn_reset *a = (void *)arg;

        a->dom = pick_domid(in);
        return sizeof(*a);
    }
    case EVTCHNOP_init_control: {
        static const uint32_t offs[] = {0, 8, 64, 4016, 4024, 4025, 4028, 4032, 4096};
        struct evtchn_init_control *a = (void *)arg;
        uint8_t b = get8(in);

        a->control_gfn = pick_gfn(in, d);
        a->offset = b < 200 ? offs[b % (sizeof(offs) / sizeof(offs[0]))] : get32(in);
        a->vcpu = pick_small(in, d->max_vcpus);
        a->link_bits = get8(in);
        return sizeof(*a);
    }
    case EVTCHNOP_expand_array: {
        struct evtchn_expand_array *a = (void *)arg;

        a->array_gfn = pick_gfn(in, d);
        return sizeof(*a);
    }
    case EVTCHNOP_set_priority: {
        struct evtchn_set_priority *a = (void *)arg;

        a->port = pick_port(in, d);
        a->priority = pick_small(in, EVTCHN_FIFO_MAX_QUEUES + 1);
        return sizeof(*a);
    }
    case EVTCHNOP_set_limit: {
        static const uint32_t lims[] = {0,    1,      63,     64,     1023,
                                        4095, 131071, 262143, 262144, 0xffffffff};
        struct evtchn_set_limit *a = (void *)arg;
        uint8_t b = get8(in);

        a->domid = pick_domid(in);
        a->max_port = b < 200 ? lims[b % (sizeof(lims) / sizeof(lims[0]))] : get32(in);
        return sizeof(*a);
    }
    case EVTCHNOP_register_3level: {
        struct evtchn_register_3level *a = (void *)arg;
        uint8_t b = get8(in);

        a->cmd = b < 200 ? b % 2 : get32(in);
        a->vcpu = pick_small(in, d->max_vcpus);
        a->nr_pages = pick_small(in, EVTCHN_3L_MAX_PAGES + 1);
        a->offset = get8(in) < 200 ? (uint32_t)(get8(in) % 8) * 512 : get32(in);
        a->l2_gfn = pick_gfn(in, d);
        for (unsigned int i = 0; i < EVTCHN_3L_MAX_PAGES && i < a->nr_pages; i++) {
            a->pending_gfn[i] = pick_gfn(in, d);
            a->mask_gfn[i] = pick_gfn(in, d);
        }
        return sizeof(*a);
    }
    default: /* ops without an argument, or unknown ones: a little of everything */
        for (size_t i = 0; i < 16; i++)
            arg[i] = get8(in);
        return ARG_MAX;
    }
}

/* Remember ports the hypervisor hands out, so later steps can aim at them. */
static void note_result(struct domain *d, uint32_t cmd, const uint8_t *arg, long rc)
{
    evtchn_port_t port = 0;

    if (rc != 0)
        return;
    switch (cmd) {
    case EVTCHNOP_alloc_unbound:
        port = ((const struct evtchn_alloc_unbound *)arg)->port;
        break;
    case EVTCHNOP_bind_interdomain:
        port = ((const struct evtchn_bind_interdomain *)arg)->local_port;
        break;
    case EVTCHNOP_bind_virq:
        port = ((const struct evtchn_bind_virq *)arg)->port;
        break;
    case EVTCHNOP_bind_ipi:
        port = ((const struct evtchn_bind_ipi *)arg)->port;
        break;
    case EVTCHNOP_bind_pirq:
        port = ((const struct evtchn_bind_pirq *)arg)->port;
        break;
    default:
        return;
    }
    last_port[d->domain_id] = port;
}

static void do_hypercall(struct input *in)
{
    struct domain *d = pick_domain(in);
    uint8_t arg[256];
    struct vcpu *v;
    uint32_t cmd;
    size_t size;
    long rc;

    if (d == NULL)
        return;
    v = pick_vcpu(in, d);
    cmd = pick_cmd(in);
    size = build_arg(in, d, cmd, arg);
    if (get8(in) >= 250) {
        /* A bad argument address: not RAM, or RAM's last bytes so the struct runs off. */
        gpaddr_t gpa = get8(in) % 2 ? get64(in)
                                    : ((harness_first_gfn() + HARNESS_GUEST_PAGES) << PAGE_SHIFT) -
                                          get8(in) % 16;

        rc = do_event_channel_op(v, (int)cmd, gpa);
        if (rc == -ERESTART) /* a guest would re-issue; enough that it returned */
            return;
    } else {
        rc = harness_evtchn_op(v, (int)cmd, arg, size);
        note_result(d, cmd, arg, rc);
    }
    if (rc > 0 || rc < -200) {
        fprintf(stderr, "fuzz: EVTCHNOP %u returned %ld\n", cmd, rc);
        abort();
    }
}

/* A guest scribbles one word of memory it shares with the hypervisor. */
static void do_scribble(struct input *in)
{
    struct domain *d = pick_domain(in);
    uint8_t where = get8(in), width = get8(in) % 3;
    uint32_t pages;
    uint8_t *base;
    size_t off;

    if (d == NULL)
        return;
    pages = harness_gfns_allocated(d);
    switch (where % 4) {
    case 0:
    case 1:
        base = d->shared_info;
        break;
    case 2:
        base = pick_vcpu(in, d)->vcpu_info;
        break;
    default:
        if (pages == 0)
            return;
        base = harness_gfn_to_va(d, harness_first_gfn() + get16(in) % pages);
        break;
    }
    if (base == NULL)
        return;
    if (where % 4 == 2)
        off = get8(in) % d->guest_layout->vcpu_info_size;
    else
        off = get16(in) % PAGE_SIZE;
    /* Natural alignment, as a guest's own atomic or plain store would be. */
    if (width == 0) {
        __atomic_store_n(base + off, get8(in), __ATOMIC_RELAXED);
    } else if (width == 1) {
        off &= ~(size_t)3;
        if (where % 4 == 2 && off + 4 > d->guest_layout->vcpu_info_size)
            return;
        __atomic_store_n((uint32_t *)(base + off), get32(in), __ATOMIC_RELAXED);
    } else {
        off &= ~(size_t)7;
        if (where % 4 == 2 && off + 8 > d->guest_layout->vcpu_info_size)
            return;
        __atomic_store_n((uint64_t *)(base + off), get64(in), __ATOMIC_RELAXED);
    }
}

static void do_guest(struct input *in)
{
    struct domain *d = pick_domain(in);
    uint8_t what = get8(in);
    evtchn_port_t port;

    if (d == NULL)
        return;
    switch (what % 10) {
    case 0:
        (void)guest_setup_fifo(d, get8(in) % 4);
        break;
    case 1:
        if (guest_setup_3l(d) == 0)
            model_3l[d->domain_id] = true;
        break;
    case 2:
        if (guest_3l_register_bitmaps(d) == 0)
            model_3l[d->domain_id] = true;
        break;
    case 3:
        if (model_3l[d->domain_id])
            (void)guest_3l_register_l2(pick_vcpu(in, d));
        break;
    case 4:
        (void)guest_fifo_expand(d, 1 + get8(in) % 2);
        break;
    case 5:
        port = pick_port(in, d);
        guest_mask(d, port);
        break;
    case 6:
        port = pick_port(in, d);
        guest_unmask(pick_vcpu(in, d), port);
        break;
    case 7:
        (void)guest_is_pending(d, pick_port(in, d));
        break;
    default:
        (void)guest_consume(pick_vcpu(in, d), NULL, NULL);
        break;
    }
}

static void create_domain(unsigned int id)
{
    doms[id] = harness_domain((domid_t)id, nr_vcpus[id], id == 0, layouts[id]);
    arg_page[id] = 0;
    last_port[id] = 0;
    model_3l[id] = false;
}

static void do_hypervisor(struct input *in)
{
    struct domain *d = pick_domain(in);
    uint8_t what = get8(in);

    switch (what % 10) {
    case 0:
        if (d != NULL)
            send_guest_vcpu_virq(pick_vcpu(in, d), pick_small(in, NR_VIRQS));
        break;
    case 1:
        send_guest_global_virq(pick_small(in, NR_VIRQS));
        break;
    case 2:
        if (d != NULL)
            (void)set_global_virq_handler(d, pick_small(in, NR_VIRQS));
        break;
    case 3:
        if (d != NULL) {
            evtchn_port_t ports[8];
            unsigned int n = get8(in) % 9;

            for (unsigned int i = 0; i < n; i++)
                ports[i] = pick_port(in, d);
            (void)evtchn_poll_any_pending(pick_vcpu(in, d), ports, n);
        }
        break;
    case 4:
        if (get8(in) < 16) /* dumps are slow: rarely */
            evtchn_dump_all();
        else if (d != NULL)
            evtchn_dump_domain(d);
        free(harness_take_console());
        break;
    case 5:
        harness_starve_atomics(d, get8(in) % 8);
        break;
    case 6:
        harness_fail_next_allocs(get8(in) % 4);
        break;
    case 7: /* the domain dies (its peers' ports become unbound); maybe comes back */
        if (d != NULL && d->domain_id != 0) {
            unsigned int id = d->domain_id;

            guest_model_forget(d);
            domain_destroy(d);
            doms[id] = NULL;
        } else {
            for (unsigned int id = 1; id < NR_DOMS; id++)
                if (doms[id] == NULL) {
                    create_domain(id);
                    break;
                }
        }
        break;
    case 8:
        /* VCPUOP_register_vcpu_info: once, to an aligned slot in a fresh guest page. */
        if (d != NULL) {
            struct vcpu *v = pick_vcpu(in, d);
            uint8_t *page = harness_gfn_to_va(d, harness_alloc_gfn(d));
            size_t off = (get8(in) % 8) * 64;

            if (!v->vcpu_info_registered && page != NULL) {
                memcpy(page + off, v->vcpu_info, d->guest_layout->vcpu_info_size);
                __atomic_store_n(&v->vcpu_info, page + off, __ATOMIC_RELEASE);
                v->vcpu_info_registered = true;
                evtchn_vcpu_info_moved(v);
            }
        }
        break;
    default:
        if (d != NULL)
            vcpu_mark_events_pending(pick_vcpu(in, d));
        break;
    }
}

/* The last hypercall number any port gives a meaning (__HYPERVISOR_arch_7). */
#define HYPERCALL_NR_FUZZED 56

/* One argument of do_any_hypercall: see the header comment. */
static unsigned long pick_arg(struct input *in, gpaddr_t page_gpa)
{
    switch (get8(in) % 8) {
    case 0:
    case 1:
    case 2:
        return get8(in) % 48; /* sub-op numbers, counts, vCPU ids, domids */
    case 3:
    case 4:
        return page_gpa != 0 ? page_gpa + (get8(in) % 4 == 0 ? get8(in) : 0) : 0;
    case 5:
        return get8(in) & 1 ? 0x1000ul : ~0ul; /* no RAM of any domain */
    case 6:
        return get32(in);
    default:
        return (unsigned long)get64(in);
    }
}

/* One hypercall that may stop the machine (run under harness_catch_machine_stop). */
struct any_call {
    struct vcpu *v;
    unsigned long nr;
    unsigned long a[HYPERCALL_NR_ARGS];
};
static struct any_call any_call;
static bool machine_stopped;

static void run_any_call(void *arg)
{
    const struct any_call *c = arg;

    (void)harness_hypercall(c->v, c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
}

static void do_any_hypercall(struct input *in)
{
    struct domain *d = pick_domain(in);
    unsigned long nr, a[HYPERCALL_NR_ARGS];
    gpaddr_t gpa = 0;
    uint8_t *page;
    struct vcpu *v;
    unsigned int id, n;

    if (d == NULL)
        return;
    id = d->domain_id;
    v = pick_vcpu(in, d);
    nr = get8(in) < 240 ? get8(in) % HYPERCALL_NR_FUZZED : (unsigned long)get64(in);
    if (arg_page[id] == 0)
        arg_page[id] = harness_alloc_gfn(d);
    page = harness_gfn_to_va(d, arg_page[id]);
    if (page != NULL) {
        gpa = harness_va_to_gpa(d, page);
        /* Guest-buffer contents: input bytes, then a few pointers back into the page. */
        n = get8(in);
        for (unsigned int i = 0; i < n && in->n > 0; i++)
            page[i] = get8(in);
        for (unsigned int k = get8(in) % 4; k > 0; k--) {
            uint64_t self = gpa + (get8(in) % 16) * 16;

            memcpy(page + (get8(in) % 32) * 8, &self, sizeof(self));
        }
    }
    for (unsigned int i = 0; i < HYPERCALL_NR_ARGS; i++)
        a[i] = pick_arg(in, gpa);
    any_call = (struct any_call){v, nr, {a[0], a[1], a[2], a[3], a[4]}};
    /*
     * dom0 is the hardware domain: its shutdown stops the machine (xen/common/shutdown.c,
     * with `noreboot` so a crash halts at once instead of waiting out the reboot delay on a
     * clock that does not move here). Caught, that ends this input: nothing runs after a
     * machine stops.
     */
    if (harness_catch_machine_stop(run_any_call, &any_call) != HARNESS_MACHINE_RUNS)
        machine_stopped = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, size};
    uint8_t shape = get8(&in);
    size_t leaked;

    for (unsigned int id = 0; id < NR_DOMS; id++) {
        layouts[id] = all_layouts[(shape >> (2 * id)) % 3];
        nr_vcpus[id] = 1 + (get8(&in) % 3);
        create_domain(id);
        if (doms[id] == NULL)
            abort();
    }

    shutdown_parse_cmdline("noreboot");
    machine_stopped = false;
    for (unsigned int step = 0; step < MAX_STEPS && in.n > 0 && !machine_stopped; step++) {
        switch (get8(&in) % 9) {
        case 0:
        case 1:
        case 2:
            do_hypercall(&in);
            break;
        case 8:
            do_any_hypercall(&in);
            break;
        case 3:
        case 4:
            do_scribble(&in);
            break;
        case 5:
        case 6:
            do_guest(&in);
            break;
        default:
            do_hypervisor(&in);
            break;
        }
    }

    harness_fail_next_allocs(0);
    harness_reset();
    for (unsigned int id = 0; id < NR_DOMS; id++)
        doms[id] = NULL;
    free(harness_take_console());
    leaked = xalloc_bytes_in_use();
    if (leaked != 0) {
        fprintf(stderr,
                "fuzz: %zu bytes of hypervisor heap still allocated after every "
                "domain was destroyed\n",
                leaked);
        abort();
    }
    return 0;
}
