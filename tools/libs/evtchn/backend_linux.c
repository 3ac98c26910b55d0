/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The linux backend: Linux's event-channel device, /dev/xen/evtchn, in a guest of Xen or
 * of minixen. Binds, unbinds and sends go through its ioctls; read() yields the ports that
 * fired (the driver masks each until it is written back); write() unmasks.
 *
 * The request numbers and argument layouts are Linux's UAPI (include/uapi/xen/evtchn.h),
 * restated here so that no build (the static guest ones included) needs kernel headers.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "backend.h"

/* Linux's UAPI: _IOC(_IOC_NONE, 'E', nr, size) with these argument structs. */
struct lx_bind_virq {
    unsigned int virq;
};
struct lx_bind_interdomain {
    unsigned int remote_domain, remote_port;
};
struct lx_bind_unbound_port {
    unsigned int remote_domain;
};
struct lx_port {
    unsigned int port; /* unbind, notify */
};
struct lx_restrict_domid {
    domid_t domid;
};
#define LX_EVTCHN_IOC(nr, size) _IOC(_IOC_NONE, 'E', (nr), (size))
#define LX_BIND_VIRQ            LX_EVTCHN_IOC(0, sizeof(struct lx_bind_virq))
#define LX_BIND_INTERDOMAIN     LX_EVTCHN_IOC(1, sizeof(struct lx_bind_interdomain))
#define LX_BIND_UNBOUND_PORT    LX_EVTCHN_IOC(2, sizeof(struct lx_bind_unbound_port))
#define LX_UNBIND               LX_EVTCHN_IOC(3, sizeof(struct lx_port))
#define LX_NOTIFY               LX_EVTCHN_IOC(4, sizeof(struct lx_port))
#define LX_RESET                LX_EVTCHN_IOC(5, 0)
#define LX_RESTRICT_DOMID       LX_EVTCHN_IOC(6, sizeof(struct lx_restrict_domid))

#define LX_DEVICE "/dev/xen/evtchn"

/*
 * The driver's reset only empties its queue of fired ports; it unbinds nothing. So the
 * handle remembers what it bound, for xenevtchn_reset to unbind one by one.
 */
struct lx_handle {
    int fd;
    evtchn_port_t *ports;
    size_t nports, cap;
};

static struct lx_handle *lx(xenevtchn_handle *h)
{
    return h->priv;
}

static int remember(struct lx_handle *l, evtchn_port_t port)
{
    if (l->nports == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        evtchn_port_t *p = realloc(l->ports, cap * sizeof(*p));

        if (p == NULL)
            return -1;
        l->ports = p;
        l->cap = cap;
    }
    l->ports[l->nports++] = port;
    return 0;
}

static void forget(struct lx_handle *l, evtchn_port_t port)
{
    for (size_t i = 0; i < l->nports; i++) {
        if (l->ports[i] == port) {
            l->ports[i] = l->ports[--l->nports];
            return;
        }
    }
}

static int lx_open(xenevtchn_handle *h, int fd, unsigned int flags)
{
    struct lx_handle *l = calloc(1, sizeof(*l));

    if (l == NULL)
        return -1;
    if (fd < 0) {
        /* Blocking, as Xen's library opens it: xenevtchn_pending waits for a port unless
         * the program makes the descriptor O_NONBLOCK. */
        fd = open(LX_DEVICE, O_RDWR | (flags & XENEVTCHN_NO_CLOEXEC ? 0 : O_CLOEXEC));
        if (fd < 0) {
            free(l);
            return -1;
        }
    }
    l->fd = fd;
    h->priv = l;
    return 0;
}

static int lx_close(xenevtchn_handle *h)
{
    struct lx_handle *l = lx(h);
    /* The driver unbinds every port of the file when its last reference goes. */
    int rc = close(l->fd);

    free(l->ports);
    free(l);
    return rc;
}

static int lx_fd(xenevtchn_handle *h)
{
    return lx(h)->fd;
}

/* A bind ioctl: the new local port, remembered for reset. */
static int lx_bind(xenevtchn_handle *h, unsigned long req, void *arg)
{
    struct lx_handle *l = lx(h);
    int port = ioctl(l->fd, req, arg);

    if (port < 0)
        return -1;
    if (remember(l, (evtchn_port_t)port) < 0) {
        struct lx_port u = {.port = (unsigned int)port};
        int err = errno;

        ioctl(l->fd, LX_UNBIND, &u);
        errno = err;
        return -1;
    }
    return port;
}

static int lx_notify(xenevtchn_handle *h, evtchn_port_t port)
{
    struct lx_port n = {.port = port};

    return ioctl(lx(h)->fd, LX_NOTIFY, &n) < 0 ? -1 : 0;
}

static int lx_bind_unbound_port(xenevtchn_handle *h, uint32_t domid)
{
    struct lx_bind_unbound_port b = {.remote_domain = domid};

    return lx_bind(h, LX_BIND_UNBOUND_PORT, &b);
}

static int lx_bind_interdomain(xenevtchn_handle *h, uint32_t domid, evtchn_port_t remote_port)
{
    struct lx_bind_interdomain b = {.remote_domain = domid, .remote_port = remote_port};

    return lx_bind(h, LX_BIND_INTERDOMAIN, &b);
}

static int lx_bind_virq(xenevtchn_handle *h, unsigned int virq)
{
    struct lx_bind_virq b = {.virq = virq};

    return lx_bind(h, LX_BIND_VIRQ, &b);
}

static int lx_unbind(xenevtchn_handle *h, evtchn_port_t port)
{
    struct lx_port u = {.port = port};

    if (ioctl(lx(h)->fd, LX_UNBIND, &u) < 0)
        return -1;
    forget(lx(h), port);
    return 0;
}

static int lx_pending(xenevtchn_handle *h)
{
    struct lx_handle *l = lx(h);
    evtchn_port_t port;
    ssize_t n;

    /* The driver hands out whole ports only: one per sizeof(evtchn_port_t) bytes. */
    n = read(l->fd, &port, sizeof(port));
    if (n < 0)
        return -1;
    if (n != (ssize_t)sizeof(port)) {
        errno = EIO;
        return -1;
    }
    return (int)port;
}

static int lx_unmask(xenevtchn_handle *h, evtchn_port_t port)
{
    ssize_t n = write(lx(h)->fd, &port, sizeof(port));

    if (n < 0)
        return -1;
    if (n != (ssize_t)sizeof(port)) {
        errno = EIO;
        return -1;
    }
    return 0;
}

static int lx_restrict_domid(xenevtchn_handle *h, domid_t domid)
{
    struct lx_restrict_domid r = {.domid = domid};

    return ioctl(lx(h)->fd, LX_RESTRICT_DOMID, &r) < 0 ? -1 : 0;
}

static int lx_reset(xenevtchn_handle *h)
{
    struct lx_handle *l = lx(h);
    int rc = 0;

    while (l->nports > 0) {
        struct lx_port u = {.port = l->ports[--l->nports]};

        /* Already gone (closed by the peer's domain, say) is not a failure of reset. */
        if (ioctl(l->fd, LX_UNBIND, &u) < 0 && errno != ENOTCONN)
            rc = -1;
    }
    /* Ports that fired before they were unbound would still be queued: drop them. */
    if (ioctl(l->fd, LX_RESET) < 0)
        rc = -1;
    return rc;
}

const struct evtchn_backend_ops evtchn_backend_linux = {
    .name = "linux",
    .open = lx_open,
    .close = lx_close,
    .fd = lx_fd,
    .notify = lx_notify,
    .bind_unbound_port = lx_bind_unbound_port,
    .bind_interdomain = lx_bind_interdomain,
    .bind_virq = lx_bind_virq,
    .unbind = lx_unbind,
    .pending = lx_pending,
    .unmask = lx_unmask,
    .restrict_domid = lx_restrict_domid,
    .reset = lx_reset,
};
