/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libxenevtchn's public functions: pick a backend when a handle is opened, then check the
 * handle and call through the backend's ops table. Errors follow Xen's library: -1 (NULL
 * for the opens) with errno set. Where Xen's library would crash (a NULL handle) this one
 * says EINVAL instead.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

#define API __attribute__((visibility("default")))

/* The emulation, or NULL (ENOSYS) in a build that left it out. */
static const struct evtchn_backend_ops *emu_backend(void)
{
#ifdef MINIXEN_EVTCHN_NO_EMU
    errno = ENOSYS;
    return NULL;
#else
    return &evtchn_backend_emu;
#endif
}

/* The backend an open flag, or else the environment, names; NULL (errno set) if none. */
static const struct evtchn_backend_ops *pick_backend(unsigned int flags)
{
    const unsigned int both = MINIXEN_EVTCHN_OPEN_LINUX | MINIXEN_EVTCHN_OPEN_EMU;
    const char *env;

    if ((flags & both) == both) {
        errno = EINVAL;
        return NULL;
    }
    if (flags & MINIXEN_EVTCHN_OPEN_LINUX)
        return &evtchn_backend_linux;
    if (flags & MINIXEN_EVTCHN_OPEN_EMU)
        return emu_backend();
    /* No flag: the environment decides, and an unset or empty one means Linux's device,
     * so an unmodified program behaves as with Xen's own library. */
    env = getenv("MINIXEN_EVTCHN_BACKEND");
    if (env == NULL || env[0] == '\0' || strcmp(env, "linux") == 0)
        return &evtchn_backend_linux;
    if (strcmp(env, "emu") == 0)
        return emu_backend();
    errno = EINVAL; /* a typo must not silently fall back to another backend */
    return NULL;
}

static xenevtchn_handle *open_with(const struct evtchn_backend_ops *ops, int fd, unsigned int flags)
{
    xenevtchn_handle *h;

    if (ops == NULL)
        return NULL;
    h = calloc(1, sizeof(*h));
    if (h == NULL)
        return NULL; /* errno: ENOMEM */
    h->ops = ops;
    if (ops->open(h, fd, flags) < 0) {
        int err = errno;

        free(h);
        errno = err;
        return NULL;
    }
    return h;
}

static const unsigned int known_flags =
    XENEVTCHN_NO_CLOEXEC | MINIXEN_EVTCHN_OPEN_LINUX | MINIXEN_EVTCHN_OPEN_EMU;

API xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger, unsigned int open_flags)
{
    (void)logger; /* nothing is logged: errors are errno */
    if (open_flags & ~known_flags) {
        errno = EINVAL; /* as Xen's library does for a flag it does not know */
        return NULL;
    }
    return open_with(pick_backend(open_flags), -1, open_flags);
}

API xenevtchn_handle *xenevtchn_fdopen(struct xentoollog_logger *logger, int fd,
                                       unsigned int open_flags)
{
    (void)logger;
    /* Xen's fdopen takes no flags at all (EINVAL, even for NO_CLOEXEC: the fd is open
     * already); ours takes the backend ones only. */
    if (open_flags & ~(MINIXEN_EVTCHN_OPEN_LINUX | MINIXEN_EVTCHN_OPEN_EMU)) {
        errno = EINVAL;
        return NULL;
    }
    if (fd < 0) {
        errno = EBADF;
        return NULL;
    }
    /* An fd is /dev/xen/evtchn's: only the linux backend can adopt one. */
    if (open_flags & MINIXEN_EVTCHN_OPEN_EMU) {
        errno = ENOSYS;
        return NULL;
    }
    return open_with(&evtchn_backend_linux, fd, open_flags);
}

API int xenevtchn_close(xenevtchn_handle *xce)
{
    int rc;

    if (xce == NULL)
        return 0;
    rc = xce->ops->close(xce);
    free(xce);
    return rc;
}

/* Every call below needs a handle; Xen's library would fault on NULL, we say EINVAL. */
#define CHECK_HANDLE(h)                                                                            \
    do {                                                                                           \
        if ((h) == NULL) {                                                                         \
            errno = EINVAL;                                                                        \
            return -1;                                                                             \
        }                                                                                          \
    } while (0)

API int xenevtchn_fd(xenevtchn_handle *xce)
{
    CHECK_HANDLE(xce);
    return xce->ops->fd(xce);
}

API int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
    CHECK_HANDLE(xce);
    return xce->ops->notify(xce, port);
}

API xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce, uint32_t domid)
{
    CHECK_HANDLE(xce);
    return xce->ops->bind_unbound_port(xce, domid);
}

API xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
                                                         evtchn_port_t remote_port)
{
    CHECK_HANDLE(xce);
    return xce->ops->bind_interdomain(xce, domid, remote_port);
}

API xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce, unsigned int virq)
{
    CHECK_HANDLE(xce);
    return xce->ops->bind_virq(xce, virq);
}

API int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
    CHECK_HANDLE(xce);
    return xce->ops->unbind(xce, port);
}

API xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
    CHECK_HANDLE(xce);
    return xce->ops->pending(xce);
}

API int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
    CHECK_HANDLE(xce);
    return xce->ops->unmask(xce, port);
}

API int xenevtchn_restrict(xenevtchn_handle *xce, domid_t domid)
{
    CHECK_HANDLE(xce);
    return xce->ops->restrict_domid(xce, domid);
}

API int xenevtchn_reset(xenevtchn_handle *xce)
{
    CHECK_HANDLE(xce);
    return xce->ops->reset(xce);
}
