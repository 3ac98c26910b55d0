/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest kernel's side of an emulated domain's event ABI, run by the broker (see
 * emu_guest.h). Facts of the protocol it follows (Xen's public event_channel.h):
 *
 * 2-level: clear vcpu_info.evtchn_upcall_pending, take evtchn_pending_sel with an atomic
 * exchange, then in each selected word handle pending & ~mask.
 * FIFO: take the control block's READY bits with an exchange; in each ready queue, from
 * the guest's own head (the control block's HEAD when it has none), clear LINKED and the
 * LINK field of each word, which gives the next port (0: the queue is empty).
 */
#include <string.h>

#include <xen/errno.h>
#include <xen/event.h>

#include "emu_guest.h"
#include "emu_guest_atomics.h"

#define EMU_UPCALL_ROUNDS   8 /* upcall re-runs per call: a flood cannot hold the broker */
#define FIFO_WORDS_PER_PAGE (PAGE_SIZE / sizeof(event_word_t))

/* ---- FIFO set-up ---------------------------------------------------------------------- */

static int fifo_add_page(struct emu_domain *ed)
{
    struct evtchn_expand_array ex = {
        .array_gfn = EMU_RAM_GFN + EMU_SHM_FIFO_ARRAY + ed->fifo_pages,
    };
    uint32_t *words = (uint32_t *)(ed->shm + (EMU_SHM_FIFO_ARRAY + ed->fifo_pages) * PAGE_SIZE);
    long rc;

    if (ed->fifo_pages >= EMU_FIFO_MAX_PAGES)
        return -ENOSPC;
    /* A new page starts all MASKED, so no port fires before its owner unmasks it. */
    for (unsigned int i = 0; i < FIFO_WORDS_PER_PAGE; i++)
        __atomic_store_n(&words[i], 1u << EVTCHN_FIFO_MASKED, __ATOMIC_RELAXED);
    rc = emu_hypercall(ed, EVTCHNOP_expand_array, &ex, sizeof(ex));
    if (rc == 0)
        ed->fifo_pages++;
    return (int)rc;
}

int emu_guest_setup_fifo(struct emu_domain *ed)
{
    struct evtchn_init_control init = {
        .control_gfn = EMU_RAM_GFN + EMU_SHM_FIFO_CONTROL,
        .offset = 0,
        .vcpu = 0,
    };
    long rc = emu_hypercall(ed, EVTCHNOP_init_control, &init, sizeof(init));

    if (rc != 0)
        return (int)rc;
    return fifo_add_page(ed);
}

int emu_guest_fifo_cover(struct emu_domain *ed, evtchn_port_t port)
{
    if (ed->fifo_pages == 0)
        return 0; /* 2-level */
    while ((uint64_t)ed->fifo_pages * FIFO_WORDS_PER_PAGE <= port) {
        int rc = fifo_add_page(ed);

        if (rc != 0)
            return rc;
    }
    return 0;
}

/* ---- 2-level upcall ------------------------------------------------------------------- */

static void upcall_2l(struct emu_domain *ed, emu_deliver_fn deliver)
{
    const struct guest_layout *l = ed->d->guest_layout;
    uint8_t *shinfo = ed->shm + EMU_SHM_SHARED_INFO * PAGE_SIZE;
    uint8_t *info = shinfo; /* vCPU 0's vcpu_info: the first legacy slot */
    uint32_t *pending = (uint32_t *)(shinfo + l->shinfo_pending_off);
    uint32_t *mask = (uint32_t *)(shinfo + l->shinfo_mask_off);
    unsigned int chunks = l->word_bits / 32; /* 32-bit words per selector bit */
    uint64_t sel;

    if (l->word_bits == 64)
        sel = emu_g_xchg64((uint64_t *)(info + l->pending_sel_off), 0);
    else
        sel = emu_g_xchg32((uint32_t *)(info + l->pending_sel_off), 0);
    while (sel != 0) {
        unsigned int w = (unsigned int)__builtin_ctzll(sel);

        sel &= sel - 1;
        if (w >= l->word_bits)
            break;
        for (unsigned int c = w * chunks; c < (w + 1) * chunks; c++) {
            uint32_t ready = __atomic_load_n(&pending[c], __ATOMIC_ACQUIRE) &
                             ~__atomic_load_n(&mask[c], __ATOMIC_ACQUIRE);

            while (ready != 0) {
                unsigned int b = (unsigned int)__builtin_ctz(ready);

                ready &= ready - 1;
                /* Masked first, then cleared: a new event stays pending for unmask. */
                if (emu_g_set_bit(&mask[c], b))
                    continue; /* someone masked it meanwhile: not ours to take */
                if (emu_g_clear_bit(&pending[c], b))
                    deliver(ed, c * 32 + b);
            }
        }
    }
}

/* ---- FIFO upcall ---------------------------------------------------------------------- */

static event_word_t *fifo_word(struct emu_domain *ed, evtchn_port_t port)
{
    if (port == 0 || port >= ed->fifo_pages * FIFO_WORDS_PER_PAGE)
        return NULL;
    return (event_word_t *)(ed->shm + EMU_SHM_FIFO_ARRAY * PAGE_SIZE) + port;
}

/* Clear LINKED and LINK of *word; its old value. */
static uint32_t fifo_unlink(event_word_t *word)
{
    uint32_t seen = __atomic_load_n(word, __ATOMIC_ACQUIRE);

    for (unsigned int i = 0; i < 1024; i++) {
        uint32_t old = seen;

        if (emu_g_cmpxchg32(word, old, old & ~((1u << EVTCHN_FIFO_LINKED) | EVTCHN_FIFO_LINK_MASK),
                            &seen))
            return old;
    }
    return seen & ~(1u << EVTCHN_FIFO_LINKED); /* never settled: treat as the queue's end */
}

static void upcall_fifo(struct emu_domain *ed, emu_deliver_fn deliver)
{
    struct evtchn_fifo_control_block *cb = (void *)(ed->shm + EMU_SHM_FIFO_CONTROL * PAGE_SIZE);
    uint32_t ready = emu_g_xchg32(&cb->ready, 0) & ((1u << EVTCHN_FIFO_MAX_QUEUES) - 1);
    /* Each port is in at most one queue once: more steps than ports is a looped list. */
    uint64_t budget = (uint64_t)ed->fifo_pages * FIFO_WORDS_PER_PAGE + EVTCHN_FIFO_MAX_QUEUES;

    while (ready != 0 && budget-- != 0) {
        unsigned int q = (unsigned int)__builtin_ctz(ready); /* highest priority first */
        evtchn_port_t port = ed->fifo_head[q];
        event_word_t *word;
        uint32_t old;

        if (port == 0)
            port = __atomic_load_n(&cb->head[q], __ATOMIC_ACQUIRE);
        word = fifo_word(ed, port);
        if (word == NULL) {
            ed->fifo_head[q] = 0; /* empty, or a head the guest's memory made up */
            ready &= ~(1u << q);
            continue;
        }
        old = fifo_unlink(word);
        ed->fifo_head[q] = old & EVTCHN_FIFO_LINK_MASK;
        if (ed->fifo_head[q] == 0)
            ready &= ~(1u << q);
        if ((old & (1u << EVTCHN_FIFO_PENDING)) && !(old & (1u << EVTCHN_FIFO_MASKED))) {
            if (emu_g_set_bit(word, EVTCHN_FIFO_MASKED))
                continue;
            if (emu_g_clear_bit(word, EVTCHN_FIFO_PENDING))
                deliver(ed, port);
        }
    }
    if (ready != 0) { /* out of budget: leave the rest for the next round */
        __atomic_fetch_or(&cb->ready, ready, __ATOMIC_SEQ_CST);
        ed->upcall = true;
    }
}

void emu_guest_upcall(struct emu_domain *ed, emu_deliver_fn deliver)
{
    uint8_t *upcall_pending = ed->shm + EMU_SHM_SHARED_INFO * PAGE_SIZE; /* vcpu_info byte 0 */

    for (unsigned int round = 0; round < EMU_UPCALL_ROUNDS && ed->upcall; round++) {
        ed->upcall = false;
        /* Cleared before the scan: an event set after it raises the flag again. */
        __atomic_store_n(upcall_pending, 0, __ATOMIC_SEQ_CST);
        if (ed->fifo_pages != 0)
            upcall_fifo(ed, deliver);
        else
            upcall_2l(ed, deliver);
        /* Not re-run on the flag's word alone: any process may set it, and the core (this
         * thread) raises ed->upcall for every event it sets anyway. */
    }
}
