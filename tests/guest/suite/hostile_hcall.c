/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hostile domain's random hypercalls: numbers 0..63, arguments drawn from a mix that
 * reaches past the first checks (0, small numbers, pointers into two pages of random
 * bytes, all-ones, random 32- and 64-bit values), buffer contents fresh for each call.
 *
 * A few calls are changed or left out, each counted and printed, because they would only
 * end or wreck this domain, which proves nothing about the hypervisor and would stop the
 * phases after this one: shutting itself down (SCHEDOP_shutdown, the watchdog), taking
 * its vCPU down or re-initialising it, moving its vcpu_info / time / runstate areas onto
 * its own code, unmapping its RAM (decrease_reservation, exchange, add_to_physmap over its
 * RAM), switching its event-channel ABI or resetting its ports under the control channel,
 * and re-routing its upcall. Blocking calls get a guard: SCHEDOP_block runs with the timer
 * armed and interrupts masked (the timer stays pending, so block returns), SCHEDOP_poll
 * with a 1 ms time-out. console_io writes are capped at 31 bytes
 * (the flood phase is about volume, and the hypervisor's per-domain rate limit would
 * otherwise drop this domain's own report lines).
 */
#include "hostile.h"
#include "hostile_rng.h"
#include "xtest.h"

#include <public/grant_table.h>
#include <public/hvm/hvm_op.h>

#define NR_HCALLS 64
#define SLOP      64  /* pointer offsets into a buffer page */
#define REFRESH   128 /* bytes of each page re-randomised per call */

uint64_t rng_state;

static uint8_t buf[2][GUEST_PAGE_SIZE] __attribute__((aligned(GUEST_PAGE_SIZE)));

enum skip { SK_SHUTDOWN, SK_VCPU, SK_AREA, SK_MEMORY, SK_EVTCHN, SK_CALLBACK, SK_NR };
static const char *const skip_name[SK_NR] = {
    "shutdown/watchdog", "vcpu up/down/init",         "vcpu areas",
    "unmapping own RAM", "own control channel / ABI", "upcall routing"};

static bool in_buf(unsigned long p, size_t len)
{
    uintptr_t b = (uintptr_t)buf;

    /* Written so that p near ~0 cannot wrap around. */
    return p >= b && len <= sizeof(buf) && p - b <= sizeof(buf) - len;
}

static unsigned long rand_arg(void)
{
    uint64_t r = rng_next();

    switch (r & 7) {
    case 0:
        return 0;
    case 1:
        return (r >> 8) & 15;
    case 2:
    case 3:
        return (unsigned long)(uintptr_t)&buf[0][(r >> 8) % SLOP];
    case 4:
        return (unsigned long)(uintptr_t)&buf[1][GUEST_PAGE_SIZE - 1 - (r >> 8) % SLOP];
    case 5:
        return ~0ul;
    case 6:
        /* 32-bit, but never our RAM: a random pointer into it would let a call that
         * writes its result (legitimately) scribble over this guest. */
        return (unsigned long)((uint32_t)(r >> 16) | 0x80000000u);
    default:
        return (unsigned long)rng_next() | 1ul << (sizeof(long) * 8 - 2); /* bit 62 or 30 */
    }
}

static uint32_t *word_at(unsigned long p, size_t off)
{
    return in_buf(p + off, 4) ? (uint32_t *)(uintptr_t)(p + off) : NULL;
}

/* Returns a skip reason, or SK_NR to make the call (possibly with a fixed argument). */
static enum skip vet(unsigned long nr, unsigned long *a, evtchn_port_t hctl, evtchn_port_t hstorm)
{
    unsigned long cmd = a[0];
    uint32_t *w;

    switch (nr) {
    case __HYPERVISOR_sched_op:
    case __HYPERVISOR_sched_op_compat:
        if (cmd == SCHEDOP_shutdown || cmd == SCHEDOP_watchdog)
            return SK_SHUTDOWN;
        if (cmd == SCHEDOP_block)
            arch_timer_arm(ticks_from_ms(1));
        if (cmd == SCHEDOP_poll) {
            struct sched_poll *sp = (struct sched_poll *)(uintptr_t)a[1];

            if (!in_buf(a[1], sizeof(*sp)))
                return SK_NR;
            sp->timeout = guest_now_ns() + 1000000;
        }
        return SK_NR;
    case __HYPERVISOR_vcpu_op:
        if (cmd == VCPUOP_initialise || cmd == VCPUOP_up || cmd == VCPUOP_down)
            return SK_VCPU;
        if (cmd == VCPUOP_register_vcpu_info || cmd == VCPUOP_register_runstate_memory_area ||
            cmd == VCPUOP_register_vcpu_time_memory_area)
            return SK_AREA;
        return SK_NR;
    case __HYPERVISOR_memory_op:
        /* Our own pages away, or a fresh zeroed one over them: self-harm, which the
         * hypervisor rightly allows. The op is cmd's low 6 bits, whatever the rest (a
         * continuation's progress) says. */
        cmd &= 0x3f;
        if (cmd == 1 /* decrease_reservation */ || cmd == 6 /* populate_physmap */ ||
            cmd == 11 /* exchange */ || cmd == 15 /* remove_from_physmap */ ||
            cmd == XENMEM_add_to_physmap_batch)
            return SK_MEMORY;
        if (cmd == XENMEM_add_to_physmap) {
            struct xen_add_to_physmap *xa = (struct xen_add_to_physmap *)(uintptr_t)a[1];

            if (!in_buf(a[1], sizeof(*xa)))
                return SK_NR;
            /* Anywhere past 4 GiB: never over our RAM. */
            xa->gpfn = 0x100000 + (xa->gpfn & 0xfffffff);
        }
        return SK_NR;
    case __HYPERVISOR_grant_table_op:
        /* One op, kept off our own memory: a mapping lands past 4 GiB, a copy writes into
         * a grant (of a domain that gave us none) rather than into one of our frames. */
        cmd &= 0xfff; /* the op; cache_flush alone may carry more bits */
        /* A few ops per call: a count of 2^32 walks ~100 million structs through our RAM
         * in continuations (as it would on Xen), and the phase would never end. */
        a[2] %= 4;
        if (cmd == GNTTABOP_map_grant_ref || cmd == GNTTABOP_copy) {
            if (!in_buf(a[1], sizeof(struct gnttab_copy)))
                return SK_MEMORY;
            a[2] = a[2] != 0;
            if (cmd == GNTTABOP_map_grant_ref)
                ((struct gnttab_map_grant_ref *)(uintptr_t)a[1])->host_addr =
                    (0x100000ull + (rng_next() & 0xfffffff)) << 12;
            else
                ((struct gnttab_copy *)(uintptr_t)a[1])->flags |= GNTCOPY_dest_gref;
        }
        return SK_NR;
    case __HYPERVISOR_event_channel_op:
        if (cmd == EVTCHNOP_init_control || cmd == EVTCHNOP_expand_array ||
            cmd == EVTCHNOP_register_3level || cmd == EVTCHNOP_reset || cmd == EVTCHNOP_reset_cont)
            return SK_EVTCHN;
        /* close, send, bind_vcpu, unmask, set_priority name the port first. */
        if ((cmd == EVTCHNOP_close || cmd == EVTCHNOP_send || cmd == EVTCHNOP_bind_vcpu ||
             cmd == EVTCHNOP_unmask || cmd == EVTCHNOP_set_priority) &&
            (w = word_at(a[1], 0)) != NULL && (*w == hctl || *w == hstorm))
            return SK_EVTCHN;
        return SK_NR;
    case __HYPERVISOR_event_channel_op_compat:
        /* struct evtchn_op: cmd, then the same argument; keep to harmless commands. */
        if ((w = word_at(a[0], 0)) != NULL) {
            static const uint32_t ok[] = {EVTCHNOP_status, EVTCHNOP_alloc_unbound,
                                          EVTCHNOP_bind_ipi, EVTCHNOP_bind_virq};

            *w = ok[*w % ARRAY_SIZE(ok)];
            return SK_NR;
        }
        return SK_NR;
    case __HYPERVISOR_hvm_op:
        if (cmd == HVMOP_set_param && (w = word_at(a[1], 4)) != NULL && *w == 0)
            return SK_CALLBACK; /* HVM_PARAM_CALLBACK_IRQ */
        if (cmd == HVMOP_set_param && !in_buf(a[1], 8))
            return SK_NR;
        return SK_NR;
    case __HYPERVISOR_console_io:
        if (cmd == CONSOLEIO_write && a[1] > 31)
            a[1] &= 31;
        return SK_NR;
    case __HYPERVISOR_multicall:
        /* Nested calls would escape every rule above. */
        if (in_buf(a[0], 1))
            return SK_SHUTDOWN;
        return SK_NR;
    default:
        return SK_NR;
    }
}

void hostile_hypercalls(evtchn_port_t hctl, evtchn_port_t hstorm, unsigned long calls,
                        unsigned long trace)
{
    unsigned long made = 0, skipped[SK_NR] = {0}, by_rc[4] = {0}, i;
    unsigned long per_nr[NR_HCALLS] = {0};
    unsigned int k;

    /* `calls` made, whatever was left out (bounded, in case nearly everything is). */
    for (i = 0; made < calls && i < 4 * calls; i++) {
        unsigned long nr = rng_next() % NR_HCALLS, a[5];
        enum skip why;
        long rc;

        for (k = 0; k < 2; k++) {
            uint64_t *p = (uint64_t *)buf[k];
            unsigned int j;

            for (j = 0; j < REFRESH / 8; j++)
                p[j] = rng_next();
            p = (uint64_t *)(buf[k] + GUEST_PAGE_SIZE - REFRESH);
            for (j = 0; j < REFRESH / 8; j++)
                p[j] = rng_next();
        }
        /* Commands: mostly small, to reach each handler's cases. */
        a[0] = (rng_next() & 3) != 0 ? rng_next() % 32 : rand_arg();
        for (k = 1; k < 5; k++)
            a[k] = rand_arg();
        why = vet(nr, a, hctl, hstorm);
        if (why != SK_NR) {
            skipped[why]++;
            continue;
        }
        if (i >= trace)
            printf("# hostile hypercall %lu: %lu(%lx, %lx, %lx, %lx, %lx)\n", i, nr, a[0], a[1],
                   a[2], a[3], a[4]);
        else if (i % 1000 == 0)
            ev_send(hstorm); /* a heartbeat: d0 knows we are alive, however slow */
        rc = arch_hypercall(nr, a[0], a[1], a[2], a[3], a[4]);
        /* SCHEDOP_block on arm64 returns with interrupts unmasked (Xen's rule): mask them
         * again, or a later block's guard timer could fire and be taken just before that
         * block, which would then sleep with nothing left to wake it. */
        arch_irq_disable();
        arch_timer_disarm();
        made++;
        per_nr[nr]++;
        by_rc[rc == 0 ? 0 : rc == -XEN_ENOSYS ? 1 : rc < 0 ? 2 : 3]++;
    }
    /* Random console writes may have left a partial line: end it first, once the
     * hypervisor's console rate limit has refilled for this domain. */
    hostile_quiet(1000);
    printf("\n# hostile hypercalls: %lu made: %lu returned 0, %lu ENOSYS, %lu other errors, %lu "
           "positive\n",
           made, by_rc[0], by_rc[1], by_rc[2], by_rc[3]);
    for (k = 0; k < SK_NR; k++)
        if (skipped[k])
            printf("# hostile hypercalls: %lu skipped (%s)\n", skipped[k], skip_name[k]);
    printf("# hostile hypercalls: per number:");
    for (k = 0; k < NR_HCALLS; k++)
        if (per_nr[k])
            printf(" %u:%lu", k, per_nr[k]);
    printf("\n");
}
