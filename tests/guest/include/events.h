/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest side of event channels: the consumer of each ABI (2-level, 3-level, FIFO) run
 * from the real upcall interrupt, guest-side masking, and bounded waits. Tests observe
 * deliveries through per-port counters and a per-vCPU log of delivered ports in order.
 *
 * Consumers follow what Linux's drivers do (events_2l.c, events_fifo.c): clear
 * evtchn_upcall_pending before scanning; take selectors / READY with an exchange; handle a
 * port only on the vCPU the guest bound it to; clear PENDING before handling. Every loop
 * over memory the hypervisor also writes is bounded.
 */
#ifndef GUEST_EVENTS_H
#define GUEST_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "guest_arch.h"
#include "hcall.h"

enum ev_abi { EV_ABI_2L, EV_ABI_3L, EV_ABI_FIFO };

#define EV_TRACK_PORTS 8192u /* ports with delivery counters */
#define EV_LOG_LEN     64u   /* per-vCPU delivery log */
#define EV_FIFO_PAGES  128u  /* event-array pages the guest owns (the ABI's maximum) */

struct ev_log {
    uint32_t n; /* deliveries logged (the first EV_LOG_LEN are kept) */
    evtchn_port_t port[EV_LOG_LEN];
};

extern struct shared_info *ev_shared_info;
extern volatile enum ev_abi ev_abi;
extern volatile uint32_t ev_count[EV_TRACK_PORTS]; /* deliveries per port */
extern volatile uint8_t ev_cpu_of[EV_TRACK_PORTS]; /* vCPU that handled it last */
extern struct ev_log ev_log[GUEST_MAX_CPUS];
/* Optional hook run in the upcall for each delivered port (echo, benchmarks). */
extern void (*volatile ev_hook)(unsigned int cpu, evtchn_port_t port);

/* Map shared_info and register a vcpu_info for every vCPU (all still down but 0). */
long ev_init(unsigned int nr_cpus);
struct vcpu_info *ev_vcpu_info(unsigned int cpu);

/* The guest's binding of a port to a vCPU (Linux's per-CPU mask): only that vCPU's
 * consumer handles the port. Tests set it when they bind or re-bind. */
void ev_set_cpu(evtchn_port_t port, unsigned int cpu);

/* ABI switches, as a guest does them. FIFO: a control block for every vCPU, then `pages`
 * array pages (pre-set MASKED, as Linux does). Return 0 or the first failure. */
long ev_fifo_init_control(unsigned int vcpu, uint64_t gfn, uint32_t offset);
long ev_setup_fifo(unsigned int nr_cpus, unsigned int pages);
long ev_fifo_expand(unsigned int pages);
unsigned int ev_fifo_pages(void);
uint32_t *ev_fifo_word(evtchn_port_t port); /* NULL if no page covers it */
struct evtchn_fifo_control_block *ev_fifo_control_block(unsigned int cpu);
long ev_setup_3l(unsigned int nr_cpus);
/* After EVTCHNOP_reset of ourselves: back to 2-level, guest state forgotten. */
void ev_forget_abi(void);

/* The upcall: consume everything pending for this vCPU. Interrupts masked. */
void ev_upcall(unsigned int cpu);

/* Guest-side mask, unmask (hypercall only when needed), and what the guest sees. */
void ev_mask(evtchn_port_t port);
void ev_unmask_guest(evtchn_port_t port);
bool ev_pending(evtchn_port_t port);
bool ev_masked(evtchn_port_t port);
void ev_clear(evtchn_port_t port); /* drop a pending event without handling it */

/* Forget the delivery counters and logs. */
void ev_reset_counters(void);

/*
 * Wait with interrupts open until cond(arg) holds or `ms` pass. Blocks in the hypervisor
 * (SCHEDOP_block) with the virtual timer armed as a guard, so it never hangs, and wakes at
 * least every millisecond to re-check cond (it may depend on another vCPU's memory).
 * Returns the final cond(arg).
 */
bool ev_wait(bool (*cond)(void *), void *arg, unsigned int ms);
/* Wait until port's counter reaches `count`. */
bool ev_wait_count(evtchn_port_t port, uint32_t count, unsigned int ms);
/* Open interrupts briefly so anything pending is taken now. */
void ev_take_pending_irqs(void);

#endif
