/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The emu backend's wire protocol between a client handle (emu_client.c) and the broker
 * (emu_broker.c), and the layout of an emulated domain's shared memory. Both ends are
 * the same library build (the broker is forked from it), so nothing here is versioned;
 * the broker still checks every field, because any process of the user can connect.
 *
 * Control: one SOCK_SEQPACKET connection per handle. A request is struct emu_req (a Xen
 * EVTCHNOP_* number with Xen's own argument struct, or one of the EMU_OP_* below); each
 * request gets one struct emu_rep. The reply to EMU_OP_HELLO carries two descriptors
 * (SCM_RIGHTS): the domain's shared memory and the handle's event stream.
 *
 * Events: one SOCK_STREAM socket per handle, written by the broker only: a stream of
 * uint32_t port numbers, each a port of this handle that fired and is now masked.
 */
#ifndef MINIXEN_EVTCHN_EMU_PROTO_H
#define MINIXEN_EVTCHN_EMU_PROTO_H

#include <stdint.h>

#include <xen/event_channel.h> /* the public header, as xenevtchn.h includes it */

/* Requests of minixen's own that have no EVTCHNOP_* (far above Xen's numbers). */
#define EMU_OP_HELLO    0x4d580001u /* first request: a0 = domid, a1 = enum emu_abi */
#define EMU_OP_RESTRICT 0x4d580002u /* a0 = domid (xenevtchn_restrict) */
#define EMU_OP_RESET    0x4d580003u /* unbind every port of this handle */

/* The event ABI of the machine. EMU_ABI_ANY: the client takes whatever runs. */
enum emu_abi { EMU_ABI_ANY = 0, EMU_ABI_2L = 2, EMU_ABI_FIFO = 3 };

struct emu_req {
    uint32_t op; /* EVTCHNOP_* or EMU_OP_* */
    uint32_t _pad;
    union {
        struct evtchn_alloc_unbound alloc_unbound;
        struct evtchn_bind_interdomain bind_interdomain;
        struct evtchn_bind_virq bind_virq;
        struct evtchn_close close;
        struct evtchn_send send;
        struct evtchn_unmask unmask;
        uint32_t a[2]; /* EMU_OP_* arguments */
    } u;
};

struct emu_rep {
    int32_t rc;    /* 0 or more: success; otherwise -(Xen errno) */
    uint32_t port; /* the port a bind made */
};

/*
 * The reply to EMU_OP_HELLO: where the guest's words are in the shared memory, so the
 * client need not know the machine's guest layout. Offsets are bytes from its start.
 */
struct emu_hello_rep {
    struct emu_rep rep;
    uint32_t abi;         /* enum emu_abi: what the machine runs */
    uint32_t shm_bytes;   /* size of the shared memory */
    uint32_t word_bits;   /* 2-level: bits of the guest's xen_ulong_t */
    uint32_t pending_off; /* 2-level: shared_info.evtchn_pending */
    uint32_t mask_off;    /* 2-level: shared_info.evtchn_mask */
    uint32_t nr_2l_ports; /* 2-level: ports the bitmaps hold */
    uint32_t fifo_off;    /* FIFO: event array page 0 (the array's pages are contiguous) */
    uint32_t fifo_pages;  /* FIFO: pages the array may grow to */
};

/*
 * An emulated domain's shared memory, in pages: shared_info (the hypervisor's page the
 * guest maps), then guest RAM: the FIFO control block, then the FIFO event array.
 */
#define EMU_SHM_SHARED_INFO  0
#define EMU_SHM_FIFO_CONTROL 1
#define EMU_SHM_FIFO_ARRAY   2
#define EMU_FIFO_MAX_PAGES   128 /* 128 Ki ports: EVTCHN_FIFO_NR_CHANNELS */
#define EMU_SHM_PAGES        (EMU_SHM_FIFO_ARRAY + EMU_FIFO_MAX_PAGES)

#endif /* MINIXEN_EVTCHN_EMU_PROTO_H */
