/* SPDX-License-Identifier: MIT */
/*
 * Event channels: HYPERVISOR_event_channel_op(cmd, arg).
 *
 * Every argument struct here has one layout for all guests (x86_32,
 * x86_64, arm32, arm64): fixed-width members and explicit padding. Where
 * Xen leaves an implicit hole, minixen names it (_pad); guests built
 * against Xen's headers see the same offsets.
 *
 * Errors are returned as -XEN_E* (errno.h). Unknown cmd: -XEN_ENOSYS.
 *
 * Ports: port 0 is never allocated. The 2-level ABI (shared_info bitmaps)
 * is the default; EVTCHNOP_init_control switches a domain to FIFO, and the
 * minixen extension EVTCHNOP_register_3level switches it to 3-level.
 */
#ifndef MINIXEN_PUBLIC_EVENT_CHANNEL_H
#define MINIXEN_PUBLIC_EVENT_CHANNEL_H

#include <stdint.h>

#include "xen.h"

typedef uint32_t evtchn_port_t;
XEN_DEFINE_GUEST_HANDLE_64(evtchn_port_t);
XEN_DEFINE_GUEST_HANDLE_32(evtchn_port_t);

/* ---- Sub-op numbers (Xen's) ------------------------------------------- */

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq        1
#define EVTCHNOP_bind_pirq        2
#define EVTCHNOP_close            3
#define EVTCHNOP_send             4
#define EVTCHNOP_status           5
#define EVTCHNOP_alloc_unbound    6
#define EVTCHNOP_bind_ipi         7
#define EVTCHNOP_bind_vcpu        8
#define EVTCHNOP_unmask           9
#define EVTCHNOP_reset            10
#define EVTCHNOP_init_control     11
#define EVTCHNOP_expand_array     12
#define EVTCHNOP_set_priority     13
/* Hypervisor-internal continuation of EVTCHNOP_reset; never valid from a guest. */
#define EVTCHNOP_reset_cont       14

/* ---- minixen additions ------------------------------------------------ */

/*
 * Vendor range: "MX" (0x4d58) in the high half of cmd. Xen's numbers are
 * small (0-14) and Xen grows them one at a time, so no future Xen sub-op
 * can land here. Xen returns -ENOSYS for these, which lets a guest probe
 * for minixen.
 */
#define MINIXEN_EVTCHNOP_BASE    0x4d580000U
#define EVTCHNOP_set_limit       (MINIXEN_EVTCHNOP_BASE + 0)
#define EVTCHNOP_register_3level (MINIXEN_EVTCHNOP_BASE + 1)

/* ---- 2-level ABI ------------------------------------------------------ */

/*
 * Ports of the 2-level ABI: one pending and one mask bit per port in
 * shared_info, selected by evtchn_pending_sel (one bit per word). So the
 * count is word_bits squared: 1024 for x86_32, 4096 for 64-bit xen_ulong_t.
 */
#define EVTCHN_2L_NR_CHANNELS_BITS(word_bits) ((word_bits) * (word_bits))
#define EVTCHN_2L_NR_CHANNELS                 (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

/* ---- Argument structs, ops 0-13 --------------------------------------- */

/*
 * EVTCHNOP_alloc_unbound: allocate a port in <dom> that <remote_dom> may
 * later bind with bind_interdomain. Unprivileged callers use
 * dom = DOMID_SELF. remote_dom = DOMID_SELF means the caller.
 * Size: 8 bytes.
 */
struct evtchn_alloc_unbound {
    domid_t dom;        /* IN */
    domid_t remote_dom; /* IN */
    evtchn_port_t port; /* OUT */
};
typedef struct evtchn_alloc_unbound evtchn_alloc_unbound_t;

/*
 * EVTCHNOP_bind_interdomain: connect a new local port to <remote_dom,
 * remote_port>, which must be unbound and accept the caller. The new local
 * port starts pending, as notifications may have been lost.
 * Size: 12 bytes.
 */
struct evtchn_bind_interdomain {
    domid_t remote_dom; /* IN */
    uint16_t _pad;
    evtchn_port_t remote_port; /* IN */
    evtchn_port_t local_port;  /* OUT */
};
typedef struct evtchn_bind_interdomain evtchn_bind_interdomain_t;

/* EVTCHNOP_bind_virq: bind VIRQ <virq> on <vcpu> (global VIRQs: vcpu 0); 12 bytes. */
struct evtchn_bind_virq {
    uint32_t virq;      /* IN: VIRQ_* */
    uint32_t vcpu;      /* IN */
    evtchn_port_t port; /* OUT */
};
typedef struct evtchn_bind_virq evtchn_bind_virq_t;

/* EVTCHNOP_bind_pirq: bind a physical IRQ (x86; Xen 4.17 on ARM fails it, -ENOMEM); 12 bytes. */
struct evtchn_bind_pirq {
    uint32_t pirq; /* IN */
#define BIND_PIRQ__WILL_SHARE 1
    uint32_t flags;     /* IN: BIND_PIRQ__* */
    evtchn_port_t port; /* OUT */
};
typedef struct evtchn_bind_pirq evtchn_bind_pirq_t;

/* EVTCHNOP_bind_ipi: a port that notifies <vcpu> of the same domain; 8 bytes. */
struct evtchn_bind_ipi {
    uint32_t vcpu;      /* IN */
    evtchn_port_t port; /* OUT */
};
typedef struct evtchn_bind_ipi evtchn_bind_ipi_t;

/* EVTCHNOP_close: free a port; an interdomain peer reverts to unbound; 4 bytes. */
struct evtchn_close {
    evtchn_port_t port; /* IN */
};
typedef struct evtchn_close evtchn_close_t;

/* EVTCHNOP_send: notify the other end (interdomain) or self (IPI); 4 bytes. */
struct evtchn_send {
    evtchn_port_t port; /* IN */
};
typedef struct evtchn_send evtchn_send_t;

/* EVTCHNOP_status: describe <dom, port>; 24 bytes. */
struct evtchn_status {
    domid_t dom; /* IN */
    uint16_t _pad;
    evtchn_port_t port;          /* IN */
#define EVTCHNSTAT_closed      0 /* free */
#define EVTCHNSTAT_unbound     1 /* waiting for bind_interdomain */
#define EVTCHNSTAT_interdomain 2 /* connected to a remote domain */
#define EVTCHNSTAT_pirq        3 /* bound to a physical IRQ */
#define EVTCHNSTAT_virq        4 /* bound to a VIRQ */
#define EVTCHNSTAT_ipi         5 /* bound to a vCPU of this domain */
    uint32_t status;             /* OUT: EVTCHNSTAT_* */
    uint32_t vcpu;               /* OUT: vCPU notified */
    union {
        struct {
            domid_t dom;
        } unbound; /* EVTCHNSTAT_unbound: who may bind */
        struct {
            domid_t dom;
            uint16_t _pad;
            evtchn_port_t port;
        } interdomain; /* EVTCHNSTAT_interdomain */
        uint32_t pirq; /* EVTCHNSTAT_pirq */
        uint32_t virq; /* EVTCHNSTAT_virq */
    } u;
};
typedef struct evtchn_status evtchn_status_t;

/*
 * EVTCHNOP_bind_vcpu: notify <vcpu> from now on. Allowed for unbound,
 * interdomain, pirq and per-domain/global VIRQ ports.
 * Size: 8 bytes.
 */
struct evtchn_bind_vcpu {
    evtchn_port_t port; /* IN */
    uint32_t vcpu;      /* IN */
};
typedef struct evtchn_bind_vcpu evtchn_bind_vcpu_t;

/*
 * EVTCHNOP_unmask: clear the mask and re-deliver if pending. A guest that
 * clears the mask bit by hand gets no new upcall for an already-pending
 * port.
 * Size: 4 bytes.
 */
struct evtchn_unmask {
    evtchn_port_t port; /* IN */
};
typedef struct evtchn_unmask evtchn_unmask_t;

/*
 * EVTCHNOP_reset: close every port of <dom>. For dom = self this also
 * returns a FIFO or 3-level domain to the 2-level ABI.
 * Size: 2 bytes.
 */
struct evtchn_reset {
    domid_t dom; /* IN */
};
typedef struct evtchn_reset evtchn_reset_t;

/*
 * EVTCHNOP_init_control: register <vcpu>'s FIFO control block at
 * <control_gfn, offset>; the first call switches the domain to FIFO.
 * offset must be 8-aligned and <= PAGE_SIZE - 72. Call it before binding
 * ports: events pending at the switch may be lost.
 * Size: 24 bytes.
 */
struct evtchn_init_control {
    uint64_t control_gfn; /* IN */
    uint32_t offset;      /* IN */
    uint32_t vcpu;        /* IN */
    uint8_t link_bits;    /* OUT: EVTCHN_FIFO_LINK_BITS */
    uint8_t _pad[7];
};
typedef struct evtchn_init_control evtchn_init_control_t;

/*
 * EVTCHNOP_expand_array: append one page of event words (the guest should
 * initialise every word to MASKED first).
 * Size: 8 bytes.
 */
struct evtchn_expand_array {
    uint64_t array_gfn; /* IN */
};
typedef struct evtchn_expand_array evtchn_expand_array_t;

/* EVTCHNOP_set_priority: FIFO priority of future events on <port>; 8 bytes. */
struct evtchn_set_priority {
    evtchn_port_t port; /* IN */
    uint32_t priority;  /* IN: EVTCHN_FIFO_PRIORITY_* range */
};
typedef struct evtchn_set_priority evtchn_set_priority_t;

/*
 * Argument of the obsolete __HYPERVISOR_event_channel_op_compat (16): the
 * sub-op number followed by its argument. Only ops 0-9 existed then.
 * Size: 28 bytes.
 */
struct evtchn_op {
    uint32_t cmd; /* EVTCHNOP_* */
    union {
        struct evtchn_alloc_unbound alloc_unbound;
        struct evtchn_bind_interdomain bind_interdomain;
        struct evtchn_bind_virq bind_virq;
        struct evtchn_bind_pirq bind_pirq;
        struct evtchn_bind_ipi bind_ipi;
        struct evtchn_close close;
        struct evtchn_send send;
        struct evtchn_status status;
        struct evtchn_bind_vcpu bind_vcpu;
        struct evtchn_unmask unmask;
    } u;
};
typedef struct evtchn_op evtchn_op_t;

/* ---- FIFO ABI --------------------------------------------------------- */

/* Priorities: 0 is served first. */
#define EVTCHN_FIFO_PRIORITY_MAX     0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN     15
#define EVTCHN_FIFO_MAX_QUEUES       (EVTCHN_FIFO_PRIORITY_MIN + 1) /* per vCPU */

/* One 32-bit word per port in the guest's event-array pages. */
typedef uint32_t event_word_t;

#define EVTCHN_FIFO_PENDING 31 /* bit numbers in event_word_t */
#define EVTCHN_FIFO_MASKED  30
#define EVTCHN_FIFO_LINKED  29
#define EVTCHN_FIFO_BUSY    28 /* hypervisor is updating LINK: do not unmask */

#define EVTCHN_FIFO_LINK_BITS   17
#define EVTCHN_FIFO_LINK_MASK   ((1U << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS (1U << EVTCHN_FIFO_LINK_BITS)

/*
 * Per-vCPU control block. ready bit p: queue p has a new head (the guest
 * takes it with an atomic exchange). head[p]: first port of queue p; only
 * the hypervisor writes it.
 * Size: 72 bytes.
 */
struct evtchn_fifo_control_block {
    uint32_t ready;
    uint32_t _rsvd;
    uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};
typedef struct evtchn_fifo_control_block evtchn_fifo_control_block_t;

/* ---- minixen: EVTCHNOP_set_limit -------------------------------------- */

/*
 * Privileged: highest port <domid> may bind from now on (ports above it
 * get -XEN_ENOSPC). Xen sets this at domain creation (max_evtchn_port); a
 * minixen control domain can change it at run time.
 * Size: 8 bytes.
 */
struct evtchn_set_limit {
    domid_t domid; /* IN (DOMID_SELF allowed) */
    uint16_t _pad;
    uint32_t max_port; /* IN */
};
typedef struct evtchn_set_limit evtchn_set_limit_t;

/* ---- minixen: 3-level ABI (EVTCHNOP_register_3level) ------------------ */

/*
 * Three levels of bitmaps so one vCPU scan finds any of up to 262144
 * ports (64-bit xen_ulong_t) in three steps:
 *   L1: vcpu_info.evtchn_pending_sel, one xen_ulong_t; bit i selects
 *       word i of L2;
 *   L2: per vCPU, (bits of xen_ulong_t) words of xen_ulong_t, registered
 *       with EVTCHN_3L_CMD_REGISTER_L2; bit j of word i selects L3 word
 *       i * word_bits + j;
 *   L3: shared pending and mask bitmaps, arrays of uint64_t words, bit b of
 *       word w is port w * 64 + b; registered with
 *       EVTCHN_3L_CMD_REGISTER_BITMAPS (nr_pages pages each).
 * Registration is in two phases: first the bitmaps (switches the domain to
 * 3-level; the shared_info bitmaps are then unused), then every vCPU's L2.
 * Until a vCPU has registered its L2, events for it stay pending in L3.
 */
#define EVTCHN_3L_CMD_REGISTER_BITMAPS   0 /* phase 1: shared L3 pending+mask pages */
#define EVTCHN_3L_CMD_REGISTER_L2        1 /* phase 2, per vCPU: its L2 selector */
#define EVTCHN_3L_MAX_PAGES              8 /* 262144 bits / 8 / 4096 */
/* 262144 for 64-bit xen_ulong_t, 65536 for x86_32. */
#define EVTCHN_3L_NR_CHANNELS(word_bits) ((word_bits) * (word_bits)*64)

/* 152 bytes */
struct evtchn_register_3level {
    uint32_t cmd;      /* IN: EVTCHN_3L_CMD_* */
    uint32_t vcpu;     /* IN (REGISTER_L2) */
    uint32_t nr_pages; /* IN (REGISTER_BITMAPS): pages in EACH bitmap, 1..8 */
    uint32_t offset;   /* IN (REGISTER_L2): byte offset of the L2 selector in l2_gfn */
    uint64_t l2_gfn;   /* IN (REGISTER_L2) */
    uint64_t pending_gfn[EVTCHN_3L_MAX_PAGES]; /* IN (REGISTER_BITMAPS) */
    uint64_t mask_gfn[EVTCHN_3L_MAX_PAGES];    /* IN (REGISTER_BITMAPS) */
};
typedef struct evtchn_register_3level evtchn_register_3level_t;

#endif /* MINIXEN_PUBLIC_EVENT_CHANNEL_H */
