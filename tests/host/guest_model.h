/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest side of the event-channel protocol, written the way Linux's Xen drivers do
 * it (events_2l.c, events_fifo.c; the 3-level RFC for 3-level), so tests check the real
 * protocol end to end rather than peeking at hypervisor state.
 *
 * A model is per domain. guest_setup_*() switches the domain's ABI the way a guest does
 * (hypercalls on guest pages); guest_consume() runs one upcall on a vCPU: it clears
 * evtchn_upcall_pending first, then scans or walks queues, calling `handler` for each
 * pending, unmasked port in the order the ABI delivers them.
 */
#ifndef MINIXEN_TEST_GUEST_MODEL_H
#define MINIXEN_TEST_GUEST_MODEL_H

#include "harness.h"

enum guest_abi { GUEST_ABI_2L, GUEST_ABI_3L, GUEST_ABI_FIFO };

typedef void (*guest_event_handler)(struct vcpu *v, evtchn_port_t port, void *ctx);

/* Switch d to an ABI, as a guest does. FIFO: init_control on every vCPU, then
 * `fifo_pages` expand_array calls (each page pre-set MASKED, as Linux does). */
int guest_setup_fifo(struct domain *d, unsigned int fifo_pages);
int guest_setup_3l(struct domain *d);
enum guest_abi guest_abi(struct domain *d); /* what the model set up (2L after reset) */
void guest_model_forget(struct domain *d);  /* after EVTCHNOP_reset: back to 2L */

/* One upcall on v. Returns the number of events handled. */
unsigned int guest_consume(struct vcpu *v, guest_event_handler handler, void *ctx);

/* Guest-side masking, as Linux does it for each ABI (unmask may hypercall). */
void guest_mask(struct domain *d, evtchn_port_t port);
void guest_unmask(struct vcpu *v, evtchn_port_t port);
bool guest_is_pending(struct domain *d, evtchn_port_t port); /* as the guest sees it */

/* Per-ABI entry points behind the dispatchers above (one file each). */
unsigned int guest_2l_consume(struct vcpu *v, guest_event_handler h, void *ctx);
unsigned int guest_3l_consume(struct vcpu *v, guest_event_handler h, void *ctx);
unsigned int guest_fifo_consume(struct vcpu *v, guest_event_handler h, void *ctx);
void guest_bitmap_mask(struct domain *d, evtchn_port_t port); /* 2L and 3L */
void guest_bitmap_unmask(struct vcpu *v, evtchn_port_t port);
bool guest_bitmap_is_pending(struct domain *d, evtchn_port_t port);
void guest_fifo_mask(struct domain *d, evtchn_port_t port);
void guest_fifo_unmask(struct vcpu *v, evtchn_port_t port);
bool guest_fifo_is_pending(struct domain *d, evtchn_port_t port);

/* Drop a model's per-domain state (guest_model_forget calls both). */
void guest_bitmap_forget(struct domain *d);
void guest_fifo_forget(struct domain *d);

/* guest_setup_3l in its two phases, for tests that register an L2 late. */
int guest_3l_register_bitmaps(struct domain *d);
int guest_3l_register_l2(struct vcpu *v);

/* FIFO internals, for tests that check or scribble over what the guest shares. */
int guest_fifo_expand(struct domain *d, unsigned int pages);         /* add pages to the array */
event_word_t *guest_fifo_word(struct domain *d, evtchn_port_t port); /* NULL if no page */
struct evtchn_fifo_control_block *guest_fifo_control_block(struct vcpu *v);
unsigned int guest_fifo_nr_pages(struct domain *d);

#endif
