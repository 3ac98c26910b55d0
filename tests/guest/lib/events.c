/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest's event-channel consumers and helpers (see events.h). The guest owns every
 * page it shares with the hypervisor: shared_info is mapped over a page of .bss with
 * XENMEM_add_to_physmap, vcpu_info, FIFO control blocks and event arrays and the 3-level
 * bitmaps are .bss pages whose frame numbers it hands over.
 */
#include "events.h"
#include "libc.h"

#define WORD_BITS  (sizeof(xen_ulong_t) * 8)
#define MAX_ROUNDS 16      /* upcall re-runs while the hypervisor keeps raising it */
#define SPIN_LIMIT 100000u /* guest cmpxchg loops on words the hypervisor also writes */
#define FIFO_WORDS (GUEST_PAGE_SIZE / sizeof(event_word_t))
#define W_P        (1u << EVTCHN_FIFO_PENDING)
#define W_M        (1u << EVTCHN_FIFO_MASKED)
#define W_L        (1u << EVTCHN_FIFO_LINKED)
#define W_B        (1u << EVTCHN_FIFO_BUSY)
#define L3_PAGES   EVTCHN_3L_MAX_PAGES
#define L3_PORTS   (L3_PAGES * GUEST_PAGE_SIZE * 8)

typedef uint8_t page_t[GUEST_PAGE_SIZE];

static page_t shared_page __attribute__((aligned(4096)));
static struct vcpu_info vcpu_infos[GUEST_MAX_CPUS] __attribute__((aligned(64)));
static page_t fifo_cb_pages[GUEST_MAX_CPUS] __attribute__((aligned(4096)));
static page_t fifo_array[EV_FIFO_PAGES] __attribute__((aligned(4096)));
static page_t l3_pending[L3_PAGES] __attribute__((aligned(4096)));
static page_t l3_mask[L3_PAGES] __attribute__((aligned(4096)));
static xen_ulong_t l3_l2[GUEST_MAX_CPUS][WORD_BITS] __attribute__((aligned(4096)));

struct shared_info *ev_shared_info;
volatile enum ev_abi ev_abi;
volatile uint32_t ev_count[EV_TRACK_PORTS];
volatile uint8_t ev_cpu_of[EV_TRACK_PORTS];
struct ev_log ev_log[GUEST_MAX_CPUS];
void (*volatile ev_hook)(unsigned int cpu, evtchn_port_t port);

static uint8_t bound_cpu[EV_TRACK_PORTS];
static unsigned int vcpu_info_registered; /* bit per vCPU */
static unsigned int fifo_nr_pages;
static uint32_t fifo_head[GUEST_MAX_CPUS][EVTCHN_FIFO_MAX_QUEUES];
static bool l2_registered[GUEST_MAX_CPUS];

struct vcpu_info *ev_vcpu_info(unsigned int cpu)
{
    if (cpu < GUEST_MAX_CPUS && (vcpu_info_registered & (1u << cpu)))
        return &vcpu_infos[cpu];
    return cpu == 0 && ev_shared_info != NULL ? &ev_shared_info->vcpu_info[0] : NULL;
}

long ev_init(unsigned int nr_cpus)
{
    struct xen_add_to_physmap xatp = {.domid = DOMID_SELF,
                                      .space = XENMAPSPACE_shared_info,
                                      .idx = 0,
                                      .gpfn = arch_gfn(shared_page)};
    unsigned int cpu;
    long rc = hc_memory(XENMEM_add_to_physmap, &xatp);

    if (rc != 0)
        return rc;
    ev_shared_info = (struct shared_info *)shared_page;
    /* Like Linux: every vCPU's vcpu_info in our memory, vCPU 0's included. */
    for (cpu = 0; cpu < nr_cpus && cpu < GUEST_MAX_CPUS; cpu++) {
        struct vcpu_register_vcpu_info info = {
            .mfn = arch_gfn(&vcpu_infos[cpu]),
            .offset = (uint32_t)((uintptr_t)&vcpu_infos[cpu] % GUEST_PAGE_SIZE)};

        rc = hc_vcpu(VCPUOP_register_vcpu_info, cpu, &info);
        if (rc != 0)
            return rc;
        vcpu_info_registered |= 1u << cpu;
    }
    return 0;
}

void ev_set_cpu(evtchn_port_t port, unsigned int cpu)
{
    if (port < EV_TRACK_PORTS)
        __atomic_store_n(&bound_cpu[port], (uint8_t)cpu, __ATOMIC_RELEASE);
}

static bool mine(evtchn_port_t port, unsigned int cpu)
{
    return port >= EV_TRACK_PORTS || __atomic_load_n(&bound_cpu[port], __ATOMIC_ACQUIRE) == cpu;
}

void ev_reset_counters(void)
{
    unsigned int i;

    for (i = 0; i < EV_TRACK_PORTS; i++)
        __atomic_store_n(&ev_count[i], 0, __ATOMIC_RELAXED);
    for (i = 0; i < GUEST_MAX_CPUS; i++)
        __atomic_store_n(&ev_log[i].n, 0, __ATOMIC_RELEASE);
}

static void deliver(unsigned int cpu, evtchn_port_t port)
{
    struct ev_log *log = &ev_log[cpu];
    void (*hook)(unsigned int, evtchn_port_t) = ev_hook;

    if (log->n < EV_LOG_LEN)
        log->port[log->n] = port;
    __atomic_store_n(&log->n, log->n + 1, __ATOMIC_RELEASE);
    if (port < EV_TRACK_PORTS) {
        ev_cpu_of[port] = (uint8_t)cpu;
        __atomic_fetch_add(&ev_count[port], 1, __ATOMIC_RELEASE);
    }
    if (hook != NULL)
        hook(cpu, port);
}

/* ---- Bitmaps: 2-level on shared_info, 3-level on our own pages ------------------------- */

static xen_ulong_t *bitmap_word(bool mask, evtchn_port_t port, unsigned int *bit)
{
    if (ev_abi == EV_ABI_3L) {
        uint64_t *map = (uint64_t *)(mask ? l3_mask : l3_pending);

        if (port >= L3_PORTS)
            return NULL;
        *bit = port % 64;
        return (xen_ulong_t *)&map[port / 64]; /* 3-level leaves are 64-bit on arm64 */
    }
    if (port >= EVTCHN_2L_NR_CHANNELS)
        return NULL;
    *bit = port % WORD_BITS;
    return (mask ? ev_shared_info->evtchn_mask : ev_shared_info->evtchn_pending) + port / WORD_BITS;
}

static bool word_test(xen_ulong_t *w, unsigned int bit)
{
    return (__atomic_load_n(w, __ATOMIC_ACQUIRE) >> bit) & 1;
}

static bool word_test_and_clear(xen_ulong_t *w, unsigned int bit)
{
    xen_ulong_t b = (xen_ulong_t)1 << bit;

    return (__atomic_fetch_and(w, ~b, __ATOMIC_SEQ_CST) & b) != 0;
}

static void word_set(xen_ulong_t *w, unsigned int bit)
{
    __atomic_fetch_or(w, (xen_ulong_t)1 << bit, __ATOMIC_SEQ_CST);
}

/* Handle the ready ports of leaf word `w` (pending & ~mask, bound to this vCPU). */
static void bitmap_leaf(unsigned int cpu, uint32_t w, unsigned int leaf_bits)
{
    unsigned int bit;
    xen_ulong_t *pend = bitmap_word(false, w * leaf_bits, &bit);
    xen_ulong_t *mask = bitmap_word(true, w * leaf_bits, &bit);
    xen_ulong_t ready;

    if (pend == NULL || mask == NULL)
        return;
    ready = __atomic_load_n(pend, __ATOMIC_ACQUIRE) & ~__atomic_load_n(mask, __ATOMIC_ACQUIRE);
    while (ready != 0) { /* at most leaf_bits rounds */
        unsigned int b = (unsigned int)__builtin_ctzll(ready);
        evtchn_port_t port = w * leaf_bits + b;

        ready &= ready - 1;
        if (!mine(port, cpu))
            continue;
        if (word_test_and_clear(pend, b)) /* clear first: a new event is seen again */
            deliver(cpu, port);
    }
}

static void bitmap_consume(unsigned int cpu, struct vcpu_info *vi)
{
    xen_ulong_t l1 = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);

    while (l1 != 0) { /* at most WORD_BITS rounds */
        unsigned int i = (unsigned int)__builtin_ctzll(l1);

        l1 &= l1 - 1;
        if (ev_abi != EV_ABI_3L) {
            bitmap_leaf(cpu, i, WORD_BITS);
            continue;
        }
        if (cpu >= GUEST_MAX_CPUS || !l2_registered[cpu])
            continue;
        xen_ulong_t l2 = __atomic_exchange_n(&l3_l2[cpu][i], 0, __ATOMIC_SEQ_CST);

        while (l2 != 0) {
            unsigned int j = (unsigned int)__builtin_ctzll(l2);

            l2 &= l2 - 1;
            bitmap_leaf(cpu, i * WORD_BITS + j, 64);
        }
    }
}

/* ---- FIFO ----------------------------------------------------------------------------- */

uint32_t *ev_fifo_word(evtchn_port_t port)
{
    unsigned int pages = __atomic_load_n(&fifo_nr_pages, __ATOMIC_ACQUIRE);

    if (port == 0 || port >= pages * FIFO_WORDS)
        return NULL;
    return (uint32_t *)fifo_array[port / FIFO_WORDS] + port % FIFO_WORDS;
}

struct evtchn_fifo_control_block *ev_fifo_control_block(unsigned int cpu)
{
    return cpu < GUEST_MAX_CPUS ? (struct evtchn_fifo_control_block *)fifo_cb_pages[cpu] : NULL;
}

unsigned int ev_fifo_pages(void)
{
    return fifo_nr_pages;
}

/* Linux's clear_linked(): clear LINKED and LINK together; the old word comes back. */
static uint32_t fifo_unlink(uint32_t *word)
{
    uint32_t old = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    unsigned int spins;

    for (spins = 0; spins < SPIN_LIMIT; spins++) {
        uint32_t new = old & ~(W_L | EVTCHN_FIFO_LINK_MASK);

        if (__atomic_compare_exchange_n(word, &old, new, false, __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE))
            return old;
    }
    return old & ~EVTCHN_FIFO_LINK_MASK; /* gave up: treat as the end of the queue */
}

static void fifo_consume(unsigned int cpu)
{
    struct evtchn_fifo_control_block *cb = ev_fifo_control_block(cpu);
    uint32_t ready = __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
    unsigned int budget;

    for (budget = 0; ready != 0 && budget < 4 * EV_TRACK_PORTS; budget++) {
        unsigned int q = (unsigned int)__builtin_ctz(ready); /* priority 0 first */
        evtchn_port_t port = fifo_head[cpu][q];
        uint32_t *word, old;

        if (port == 0)
            port = __atomic_load_n(&cb->head[q], __ATOMIC_ACQUIRE);
        word = ev_fifo_word(port);
        if (word == NULL) {
            ready &= ~(1u << q);
            fifo_head[cpu][q] = 0;
            continue;
        }
        old = fifo_unlink(word);
        fifo_head[cpu][q] = old & EVTCHN_FIFO_LINK_MASK;
        if (fifo_head[cpu][q] == 0)
            ready &= ~(1u << q);
        if ((old & W_P) && !(old & W_M) && (__atomic_fetch_and(word, ~W_P, __ATOMIC_SEQ_CST) & W_P))
            deliver(cpu, port);
        ready |= __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
    }
}

long ev_fifo_init_control(unsigned int vcpu, uint64_t gfn, uint32_t offset)
{
    struct evtchn_init_control op = {.control_gfn = gfn, .offset = offset, .vcpu = vcpu};
    long rc = hc_evtchn(EVTCHNOP_init_control, &op);

    if (rc == 0 && op.link_bits != EVTCHN_FIFO_LINK_BITS)
        return -XEN_EINVAL;
    if (rc == 0)
        ev_abi = EV_ABI_FIFO;
    return rc;
}

long ev_fifo_expand(unsigned int pages)
{
    unsigned int i, w;

    for (i = 0; i < pages; i++) {
        unsigned int n = fifo_nr_pages;
        struct evtchn_expand_array op;
        long rc;

        if (n >= EV_FIFO_PAGES)
            return -XEN_ENOSPC;
        for (w = 0; w < FIFO_WORDS; w++) /* every port masked until bound (Linux) */
            ((uint32_t *)fifo_array[n])[w] = W_M;
        op.array_gfn = arch_gfn(fifo_array[n]);
        rc = hc_evtchn(EVTCHNOP_expand_array, &op);
        if (rc != 0)
            return rc;
        __atomic_store_n(&fifo_nr_pages, n + 1, __ATOMIC_RELEASE);
    }
    return 0;
}

long ev_setup_fifo(unsigned int nr_cpus, unsigned int pages)
{
    unsigned int cpu;
    long rc;

    memset(fifo_head, 0, sizeof(fifo_head));
    for (cpu = 0; cpu < nr_cpus && cpu < GUEST_MAX_CPUS; cpu++) {
        memset(fifo_cb_pages[cpu], 0, GUEST_PAGE_SIZE);
        rc = ev_fifo_init_control(cpu, arch_gfn(fifo_cb_pages[cpu]), 0);
        if (rc != 0)
            return rc;
    }
    return ev_fifo_expand(pages);
}

/* ---- 3-level (minixen) ------------------------------------------------------------------ */

long ev_setup_3l(unsigned int nr_cpus)
{
    struct evtchn_register_3level op = {.cmd = EVTCHN_3L_CMD_REGISTER_BITMAPS,
                                        .nr_pages = L3_PAGES};
    unsigned int i;
    long rc;

    memset(l3_pending, 0, sizeof(l3_pending));
    memset(l3_mask, 0, sizeof(l3_mask));
    memset(l3_l2, 0, sizeof(l3_l2));
    for (i = 0; i < L3_PAGES; i++) {
        op.pending_gfn[i] = arch_gfn(l3_pending[i]);
        op.mask_gfn[i] = arch_gfn(l3_mask[i]);
    }
    rc = hc_evtchn(EVTCHNOP_register_3level, &op);
    if (rc != 0)
        return rc;
    ev_abi = EV_ABI_3L;
    for (i = 0; i < nr_cpus && i < GUEST_MAX_CPUS; i++) {
        struct evtchn_register_3level l2 = {.cmd = EVTCHN_3L_CMD_REGISTER_L2, .vcpu = i};

        l2.l2_gfn = arch_gfn(l3_l2[i]);
        l2.offset = (uint32_t)((uintptr_t)l3_l2[i] % GUEST_PAGE_SIZE);
        rc = hc_evtchn(EVTCHNOP_register_3level, &l2);
        if (rc != 0)
            return rc;
        l2_registered[i] = true;
    }
    return 0;
}

void ev_forget_abi(void)
{
    ev_abi = EV_ABI_2L;
    __atomic_store_n(&fifo_nr_pages, 0, __ATOMIC_RELEASE);
    memset(fifo_head, 0, sizeof(fifo_head));
    memset(l2_registered, 0, sizeof(l2_registered));
}

/* ---- The upcall ------------------------------------------------------------------------- */

void ev_upcall(unsigned int cpu)
{
    struct vcpu_info *vi = ev_vcpu_info(cpu);
    unsigned int round;

    if (vi == NULL)
        return;
    for (round = 0; round < MAX_ROUNDS; round++) {
        /* The master flag is cleared before any selector is read (xen.h). */
        __atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
        if (ev_abi == EV_ABI_FIFO)
            fifo_consume(cpu);
        else
            bitmap_consume(cpu, vi);
        if (!__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST))
            break;
    }
}

void guest_irq_upcall(unsigned int cpu)
{
    ev_upcall(cpu);
}

/* ---- Masking ----------------------------------------------------------------------------- */

void ev_mask(evtchn_port_t port)
{
    unsigned int bit;
    xen_ulong_t *w;

    if (ev_abi == EV_ABI_FIFO) {
        uint32_t *word = ev_fifo_word(port);

        if (word != NULL)
            __atomic_fetch_or(word, W_M, __ATOMIC_SEQ_CST);
        return;
    }
    w = bitmap_word(true, port, &bit);
    if (w != NULL)
        word_set(w, bit);
}

/*
 * Unmask as Linux does: clear the mask ourselves, and if the event is pending let the
 * hypervisor re-deliver it with EVTCHNOP_unmask (it raises the upcall only for a mask it
 * clears itself, so 2-level masks again first; FIFO must not clear MASKED while BUSY).
 */
void ev_unmask_guest(evtchn_port_t port)
{
    unsigned int bit;
    xen_ulong_t *m, *p;

    if (ev_abi == EV_ABI_FIFO) {
        uint32_t *word = ev_fifo_word(port), old;
        unsigned int spins;

        if (word == NULL)
            return;
        old = __atomic_load_n(word, __ATOMIC_ACQUIRE);
        for (spins = 0; spins < SPIN_LIMIT; spins++) {
            old &= ~W_B;
            if (__atomic_compare_exchange_n(word, &old, old & ~W_M, false, __ATOMIC_SEQ_CST,
                                            __ATOMIC_ACQUIRE))
                break;
        }
        if (__atomic_load_n(word, __ATOMIC_ACQUIRE) & W_P)
            ev_unmask(port);
        return;
    }
    m = bitmap_word(true, port, &bit);
    p = bitmap_word(false, port, &bit);
    if (m == NULL || p == NULL)
        return;
    word_test_and_clear(m, bit);
    if (word_test(p, bit)) {
        word_set(m, bit);
        ev_unmask(port);
    }
}

bool ev_pending(evtchn_port_t port)
{
    unsigned int bit;
    xen_ulong_t *w;

    if (ev_abi == EV_ABI_FIFO) {
        uint32_t *word = ev_fifo_word(port);

        return word != NULL && (__atomic_load_n(word, __ATOMIC_ACQUIRE) & W_P);
    }
    w = bitmap_word(false, port, &bit);
    return w != NULL && word_test(w, bit);
}

bool ev_masked(evtchn_port_t port)
{
    unsigned int bit;
    xen_ulong_t *w;

    if (ev_abi == EV_ABI_FIFO) {
        uint32_t *word = ev_fifo_word(port);

        return word == NULL || (__atomic_load_n(word, __ATOMIC_ACQUIRE) & W_M);
    }
    w = bitmap_word(true, port, &bit);
    return w == NULL || word_test(w, bit);
}

void ev_clear(evtchn_port_t port)
{
    unsigned int bit;
    xen_ulong_t *w;

    if (ev_abi == EV_ABI_FIFO) {
        uint32_t *word = ev_fifo_word(port);

        if (word != NULL)
            __atomic_fetch_and(word, ~W_P, __ATOMIC_SEQ_CST);
        return;
    }
    w = bitmap_word(false, port, &bit);
    if (w != NULL)
        word_test_and_clear(w, bit);
}

/* ---- Waiting ------------------------------------------------------------------------------ */

static volatile bool timer_fired[GUEST_MAX_CPUS];

void guest_irq_timer(unsigned int cpu)
{
    if (cpu < GUEST_MAX_CPUS)
        timer_fired[cpu] = true;
}

void ev_take_pending_irqs(void)
{
    arch_irq_enable();
    __asm__ volatile("" ::: "memory");
    arch_relax();
    arch_irq_disable();
}

bool ev_wait(bool (*cond)(void *), void *arg, unsigned int ms)
{
    uint64_t deadline = arch_counter() + ticks_from_ms(ms), slice = ticks_from_ms(1);
    unsigned int rounds;

    for (rounds = 0; rounds < 10000000; rounds++) {
        uint64_t now;

        arch_irq_disable();
        if (cond(arg))
            return true;
        now = arch_counter();
        if (now >= deadline)
            break;
        /* Re-check at least every slice: cond may depend on another vCPU's memory. */
        arch_timer_arm(deadline - now < slice ? deadline - now : slice);
        /* SCHEDOP_block on Arm (Xen returns with PSTATE.I cleared), `sti; hlt` on x86. */
        arch_wait_for_interrupt();
        ev_take_pending_irqs();
        arch_timer_disarm();
    }
    arch_irq_disable();
    return cond(arg);
}

struct count_wait {
    evtchn_port_t port;
    uint32_t count;
};

static bool count_reached(void *arg)
{
    struct count_wait *w = arg;

    return w->port < EV_TRACK_PORTS &&
           __atomic_load_n(&ev_count[w->port], __ATOMIC_ACQUIRE) >= w->count;
}

bool ev_wait_count(evtchn_port_t port, uint32_t count, unsigned int ms)
{
    struct count_wait w = {port, count};

    return ev_wait(count_reached, &w, ms);
}
