/* SPDX-License-Identifier: Apache-2.0 */
/*
 * minixen's libxenevtchn: Xen's user-space event-channel API, binary-compatible with Xen
 * 4.17's libxenevtchn.so.1 (same functions, types, flags and symbol versions), so a
 * program built against either library runs with the other. docs/libxenevtchn.md says how
 * to use it and which backend serves a handle.
 *
 * Every function returns -1 (NULL for the opens) with errno set on failure.
 */
#ifndef XENEVTCHN_H
#define XENEVTCHN_H

#include <stdint.h>

#include <xen/event_channel.h> /* evtchn_port_t, domid_t */

/* A port number, or -1 with errno set. */
typedef int xenevtchn_port_or_error_t;

typedef struct xenevtchn_handle xenevtchn_handle;

/* Xen's logger type; this library logs nothing and accepts any value (NULL included). */
struct xentoollog_logger;

/* Open flags. Xen's: */
#define XENEVTCHN_NO_CLOEXEC      (1 << 0) /* the handle's fd survives exec */
/* minixen's, in bits Xen leaves clear: which backend (Xen 4.17's library refuses them, EINVAL). */
#define MINIXEN_EVTCHN_OPEN_LINUX (1u << 30) /* /dev/xen/evtchn */
#define MINIXEN_EVTCHN_OPEN_EMU   (1u << 31) /* the emulated machine (docs/libxenevtchn.md) */

/* A handle on the event channels of the domain this program runs in. */
xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger, unsigned int open_flags);
/* The same around an already open /dev/xen/evtchn descriptor (linux backend only). */
xenevtchn_handle *xenevtchn_fdopen(struct xentoollog_logger *logger, int fd,
                                   unsigned int open_flags);
/* Unbind every port the handle bound and free it; NULL is a no-op returning 0. */
int xenevtchn_close(xenevtchn_handle *xce);

/* A descriptor to poll: readable when xenevtchn_pending has a port. */
int xenevtchn_fd(xenevtchn_handle *xce);

/* Send an event on one of the handle's ports. */
int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port);

/* A new port for domid to bind to. */
xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce, uint32_t domid);
/* A local port connected to domid's unbound remote_port. */
xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
                                                     evtchn_port_t remote_port);
/* A local port for a virtual IRQ (VIRQ_*). */
xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce, unsigned int virq);
/* Close one of the handle's ports. */
int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port);

/* The next port that fired, masked until xenevtchn_unmask. With none yet it waits for
 * one, unless the program made xenevtchn_fd O_NONBLOCK: then -1, EAGAIN (as Xen's). */
xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce);
/* Unmask a port xenevtchn_pending returned. */
int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port);

/* From now on the handle may only bind to domid's ports (cannot be undone). */
int xenevtchn_restrict(xenevtchn_handle *xce, domid_t domid);

/*
 * minixen's addition (not in Xen 4.17's library; symbol version MINIXEN_1.0): unbind every
 * port of the handle at once and drop its queued events (Linux's IOCTL_EVTCHN_RESET only
 * does the latter: the linux backend unbinds each port it bound).
 */
int xenevtchn_reset(xenevtchn_handle *xce);

#endif /* XENEVTCHN_H */
