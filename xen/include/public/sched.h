/* SPDX-License-Identifier: MIT */
/*
 * Scheduler operations: HYPERVISOR_sched_op(cmd, arg).
 *
 * sched_poll carries a guest address and a uint64_t, so Xen's layout
 * depends on the guest's width. Both layouts are always defined:
 *   struct sched_poll_64      x86_64, arm32, arm64 guests: a 64-bit
 *                             handle (XEN_GUEST_HANDLE_64), 24 bytes;
 *   struct sched_poll_x86_32  32-bit x86 guests: 4-byte handle, 16 bytes;
 * struct sched_poll is the compiling target's layout.
 */
#ifndef MINIXEN_PUBLIC_SCHED_H
#define MINIXEN_PUBLIC_SCHED_H

#include <stdint.h>

#include "event_channel.h"

#define SCHEDOP_yield           0 /* arg NULL: give up the CPU */
#define SCHEDOP_block           1 /* arg NULL: sleep until an event (also on ARM) */
#define SCHEDOP_shutdown        2 /* struct sched_shutdown */
#define SCHEDOP_poll            3 /* struct sched_poll */
#define SCHEDOP_remote_shutdown 4 /* struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code   5 /* struct sched_shutdown: record a code only */
#define SCHEDOP_watchdog        6
#define SCHEDOP_pin_override    7

/* Reasons for SCHEDOP_shutdown. */
#define SHUTDOWN_poweroff   0
#define SHUTDOWN_reboot     1
#define SHUTDOWN_suspend    2
#define SHUTDOWN_crash      3
#define SHUTDOWN_watchdog   4
#define SHUTDOWN_soft_reset 5

/* 4 bytes */
struct sched_shutdown {
    uint32_t reason; /* SHUTDOWN_* */
};
typedef struct sched_shutdown sched_shutdown_t;

/* 8 bytes */
struct sched_remote_shutdown {
    domid_t domain_id; /* IN */
    uint16_t _pad;
    uint32_t reason; /* IN: SHUTDOWN_* */
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;

/*
 * SCHEDOP_poll: block until one of nr_ports ports (at most 128) is pending
 * or system time timeout (ns; 0 = none) passes.
 */
#define XEN_SCHED_POLL_MAX_PORTS 128

#define XEN_SCHED_POLL_64_MEMBERS                                                                  \
    XEN_GUEST_HANDLE_64(evtchn_port_t) ports; /* IN: array of ports */                             \
    uint32_t nr_ports;                                                                             \
    uint32_t _pad;                                                                                 \
    uint64_t timeout;

/* 24 bytes */
struct sched_poll_64 {
    XEN_SCHED_POLL_64_MEMBERS
};

/* 16 bytes */
struct sched_poll_x86_32 {
    XEN_GUEST_HANDLE_32(evtchn_port_t) ports;
    uint32_t nr_ports;
    uint32_t timeout[2]; /* little-endian halves: low, high */
};

#if defined(__i386__)
struct sched_poll {
    XEN_GUEST_HANDLE_32(evtchn_port_t) ports;
    uint32_t nr_ports;
    uint64_t timeout;
};
#else
struct sched_poll {
    XEN_SCHED_POLL_64_MEMBERS
};
#endif
typedef struct sched_poll sched_poll_t;

#endif /* MINIXEN_PUBLIC_SCHED_H */
