/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libxenevtchn's backends: one const table of these per way of reaching event channels,
 * picked when a handle is opened (xenevtchn_open: the open flag or MINIXEN_EVTCHN_BACKEND,
 * see docs/libxenevtchn.md) and fixed for the handle's life. The public functions in
 * api.c only check the handle and call through the table, so a program written against
 * xenevtchn.h runs unchanged on either backend (xenner's switchable ops).
 *
 *   linux  /dev/xen/evtchn of a Linux guest (on Xen or on minixen)
 *   emu    minixen's own event core (xen/common/events) in an emulated machine shared by
 *          the processes of one host (built unless MINIXEN_EVTCHN_NO_EMU)
 *
 * Every op follows the public API's convention: >= 0 on success, -1 with errno set on
 * failure (errno carries the hypervisor's or the driver's error, positive).
 */
#ifndef MINIXEN_LIBXENEVTCHN_BACKEND_H
#define MINIXEN_LIBXENEVTCHN_BACKEND_H

#include <stdint.h>

#include "xenevtchn.h"

struct evtchn_backend_ops {
    const char *name; /* "linux", "emu": what MINIXEN_EVTCHN_BACKEND names */
    /* Fill h->priv (fd < 0: a fresh one; otherwise adopt this already open fd). */
    int (*open)(xenevtchn_handle *h, int fd, unsigned int flags);
    /* Unbind every port the handle bound and free h->priv. */
    int (*close)(xenevtchn_handle *h);
    /* A file descriptor that polls readable while xenevtchn_pending has a port. */
    int (*fd)(xenevtchn_handle *h);
    int (*notify)(xenevtchn_handle *h, evtchn_port_t port);
    xenevtchn_port_or_error_t (*bind_unbound_port)(xenevtchn_handle *h, uint32_t domid);
    xenevtchn_port_or_error_t (*bind_interdomain)(xenevtchn_handle *h, uint32_t domid,
                                                  evtchn_port_t remote_port);
    xenevtchn_port_or_error_t (*bind_virq)(xenevtchn_handle *h, unsigned int virq);
    int (*unbind)(xenevtchn_handle *h, evtchn_port_t port);
    /* The next port that fired (it is masked until unmask); with none, wait for one
     * unless the fd is O_NONBLOCK (then EAGAIN), as Xen's library does. */
    xenevtchn_port_or_error_t (*pending)(xenevtchn_handle *h);
    int (*unmask)(xenevtchn_handle *h, evtchn_port_t port);
    int (*restrict_domid)(xenevtchn_handle *h, domid_t domid);
    /* Unbind every port of the handle and drop its queued events. */
    int (*reset)(xenevtchn_handle *h);
};

struct xenevtchn_handle {
    const struct evtchn_backend_ops *ops;
    void *priv; /* the backend's own state */
};

extern const struct evtchn_backend_ops evtchn_backend_linux;
#ifndef MINIXEN_EVTCHN_NO_EMU
extern const struct evtchn_backend_ops evtchn_backend_emu;
#endif

#endif /* MINIXEN_LIBXENEVTCHN_BACKEND_H */
