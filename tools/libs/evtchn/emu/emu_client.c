/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The emu backend's handle (evtchn_backend_emu): a client of an emulated machine's broker.
 *
 * A handle belongs to one emulated domain (MINIXEN_EVTCHN_EMU_DOMID) and does what that
 * domain's kernel and its evtchn driver would do for the program: binds, unbinds and sends
 * are hypercalls, i.e. requests to the broker (emu_proto.h); unmasking is done on the
 * domain's shared memory with the port's atomics and only asks the broker when the port
 * is pending meanwhile, as Linux's driver only hypercalls then. The ports that fire come
 * from the broker on the handle's event stream, which is the handle's fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "emu_broker.h"
#include "emu_guest_atomics.h"
#include "emu_proto.h"

#define OPEN_ATTEMPTS 200 /* x 10 ms: how long an open waits for a broker to come up */
#define EMU_OVERFLOW  UINT32_MAX

struct emu_handle {
    pthread_mutex_t lock; /* one request at a time on ctl */
    int ctl, ev;
    uint8_t *shm;
    struct emu_hello_rep info;
    uint32_t nr_ports;
    uint8_t *owned;     /* bitmap: ports this handle bound (unmask acts on these only) */
    uint8_t partial[4]; /* a port read in part from the event stream */
    unsigned int have;
    bool drop_partial; /* the port being completed was queued before a reset */
};

static struct emu_handle *H(xenevtchn_handle *h)
{
    return h->priv;
}

/* ---- Finding and starting the machine ------------------------------------------------- */

/*
 * The machine's socket: MINIXEN_EVTCHN_EMU_MACHINE, a path if it has a '/', else a name in
 * the user's own directory ($XDG_RUNTIME_DIR/minixen-evtchn, or /tmp/minixen-evtchn-UID,
 * which must be a directory of the user's, mode 0700, not a link).
 */
static int machine_path(char *out, size_t len)
{
    const char *name = getenv("MINIXEN_EVTCHN_EMU_MACHINE");
    const char *run = getenv("XDG_RUNTIME_DIR");
    char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
    struct stat st;
    int n;

    if (name == NULL || name[0] == '\0')
        name = "default";
    if (strchr(name, '/') != NULL) {
        n = snprintf(out, len, "%s", name);
        return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
    }
    if (run != NULL && run[0] == '/')
        n = snprintf(dir, sizeof(dir), "%s/minixen-evtchn", run);
    else
        n = snprintf(dir, sizeof(dir), "/tmp/minixen-evtchn-%lu", (unsigned long)getuid());
    if (n < 0 || (size_t)n >= sizeof(dir))
        return -ENAMETOOLONG;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return -errno;
    if (lstat(dir, &st) != 0)
        return -errno;
    if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077) != 0)
        return -EACCES; /* someone else's (a /tmp squatter): never talk through it */
    n = snprintf(out, len, "%s/%s.sock", dir, name);
    return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int env_domid(uint32_t *domid)
{
    const char *s = getenv("MINIXEN_EVTCHN_EMU_DOMID");
    char *end;
    unsigned long v;

    *domid = 0;
    if (s == NULL || s[0] == '\0')
        return 0;
    errno = 0;
    v = strtoul(s, &end, 0);
    if (errno != 0 || *end != '\0' || v >= DOMID_FIRST_RESERVED)
        return -EINVAL;
    *domid = (uint32_t)v;
    return 0;
}

static int env_abi(enum emu_abi *abi)
{
    const char *s = getenv("MINIXEN_EVTCHN_EMU_ABI");

    if (s == NULL || s[0] == '\0')
        *abi = EMU_ABI_ANY;
    else if (strcmp(s, "2level") == 0)
        *abi = EMU_ABI_2L;
    else if (strcmp(s, "fifo") == 0)
        *abi = EMU_ABI_FIFO;
    else
        return -EINVAL;
    return 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* ---- Requests ------------------------------------------------------------------------- */

/* Send req, wait for its reply (n bytes) and the descriptors it carries. 0 or -errno. */
static int transact(int ctl, const struct emu_req *req, void *rep, size_t n, int *fds,
                    unsigned int nfds)
{
    char cbuf[CMSG_SPACE(2 * sizeof(int))];
    struct iovec iov = {.iov_base = rep, .iov_len = n};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    ssize_t got;

    if (send(ctl, req, sizeof(*req), MSG_NOSIGNAL) != (ssize_t)sizeof(*req))
        return errno == EPIPE || errno == ECONNRESET ? -EIO : -errno;
    if (nfds != 0) {
        msg.msg_control = cbuf;
        msg.msg_controllen = sizeof(cbuf);
    }
    do
        got = recvmsg(ctl, &msg, MSG_CMSG_CLOEXEC);
    while (got < 0 && errno == EINTR);
    for (unsigned int i = 0; i < nfds; i++)
        fds[i] = -1;
    if (nfds != 0) {
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
            if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
                cm->cmsg_len == CMSG_LEN(nfds * sizeof(int)))
                memcpy(fds, CMSG_DATA(cm), nfds * sizeof(int));
    }
    if (got == 0 || (got < 0 && errno == ECONNRESET))
        return -EIO; /* the broker is gone (or was leaving when we connected) */
    if (got < 0)
        return -errno;
    if ((size_t)got < sizeof(struct emu_rep))
        return -EIO;
    if ((size_t)got != n)
        ((struct emu_rep *)rep)->rc =
            ((struct emu_rep *)rep)->rc < 0 ? ((struct emu_rep *)rep)->rc : -EIO;
    return 0;
}

/* One request on an open handle: the reply's port (>= 0), or -1 with errno. */
static int request(struct emu_handle *e, uint32_t op, const void *arg, size_t size)
{
    struct emu_req req = {.op = op};
    struct emu_rep rep;
    int rc;

    if (size != 0)
        memcpy(&req.u, arg, size);
    pthread_mutex_lock(&e->lock);
    rc = transact(e->ctl, &req, &rep, sizeof(rep), NULL, 0);
    pthread_mutex_unlock(&e->lock);
    if (rc == 0 && rep.rc < 0)
        rc = rep.rc;
    if (rc < 0) {
        errno = -rc;
        return -1;
    }
    return (int)(rep.port & 0x7fffffff);
}

/* ---- Open and close ------------------------------------------------------------------- */

/* Connect and say hello; -EAGAIN: no broker (yet), try again. */
static int connect_once(struct emu_handle *e, const char *path, uint32_t domid, enum emu_abi abi)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct emu_req req = {.op = EMU_OP_HELLO, .u.a = {domid, abi}};
    int fds[2] = {-1, -1}, rc;

    memcpy(sa.sun_path, path, strlen(path) + 1);
    e->ctl = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (e->ctl < 0)
        return -errno;
    if (connect(e->ctl, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        rc = errno == ENOENT || errno == ECONNREFUSED || errno == EAGAIN ? -EAGAIN : -errno;
        goto fail;
    }
    rc = transact(e->ctl, &req, &e->info, sizeof(e->info), fds, 2);
    if (rc == -EIO)
        rc = -EAGAIN; /* the broker was on its way out: start another */
    if (rc == 0 && e->info.rep.rc < 0)
        rc = e->info.rep.rc;
    if (rc == 0 && (fds[0] < 0 || fds[1] < 0 || e->info.shm_bytes != EMU_SHM_PAGES * PAGE_SIZE))
        rc = -EIO;
    if (rc != 0) {
        for (unsigned int i = 0; i < 2; i++)
            if (fds[i] >= 0)
                close(fds[i]);
        goto fail;
    }
    e->ev = fds[1];
    e->shm = mmap(NULL, e->info.shm_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0);
    close(fds[0]);
    if (e->shm == MAP_FAILED) {
        rc = -ENOMEM;
        close(e->ev);
        goto fail;
    }
    /* Left blocking, as Xen's library leaves its device: the program decides (every recv
     * here is MSG_DONTWAIT; emu_pending waits only on a blocking descriptor). */
    return 0;

fail:
    close(e->ctl);
    e->ctl = -1;
    return rc;
}

static int emu_open(xenevtchn_handle *h, int fd, unsigned int flags)
{
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    struct emu_handle *e;
    enum emu_abi abi;
    uint32_t domid;
    int rc;

    if (fd >= 0) {
        errno = ENOSYS; /* there is no descriptor to adopt: the machine is not a device */
        return -1;
    }
    rc = machine_path(path, sizeof(path));
    if (rc == 0)
        rc = env_domid(&domid);
    if (rc == 0)
        rc = env_abi(&abi);
    if (rc != 0) {
        errno = -rc;
        return -1;
    }
    e = calloc(1, sizeof(*e));
    if (e == NULL)
        return -1;
    pthread_mutex_init(&e->lock, NULL);
    for (unsigned int i = 0; i < OPEN_ATTEMPTS; i++) {
        rc = connect_once(e, path, domid, abi);
        if (rc != -EAGAIN)
            break;
        /* No broker: start one, and again every 100 ms or so (the first may have lost the
         * lock to a broker that was just leaving). */
        if (i % 10 == 0 && (rc = emu_broker_spawn(path, abi)) != 0)
            break;
        rc = -EAGAIN;
        sleep_ms(i < 10 ? 2 : 10);
    }
    if (rc == 0) {
        e->nr_ports = e->info.abi == EMU_ABI_FIFO ? e->info.fifo_pages * (PAGE_SIZE / 4)
                                                  : e->info.nr_2l_ports;
        e->owned = calloc(e->nr_ports / 8 + 1, 1);
        if (e->owned == NULL)
            rc = -ENOMEM;
        if (e->info.abi != EMU_ABI_FIFO && (e->info.pending_off + e->nr_ports / 8 > PAGE_SIZE ||
                                            e->info.mask_off + e->nr_ports / 8 > PAGE_SIZE))
            rc = -EIO;
        if (rc != 0) {
            munmap(e->shm, e->info.shm_bytes);
            close(e->ev);
            close(e->ctl);
        }
    }
    if (rc != 0) {
        free(e->owned);
        free(e);
        errno = rc == -EAGAIN ? EIO : -rc;
        return -1;
    }
    if (flags & XENEVTCHN_NO_CLOEXEC) {
        fcntl(e->ctl, F_SETFD, 0);
        fcntl(e->ev, F_SETFD, 0);
    }
    h->priv = e;
    return 0;
}

static int emu_close(xenevtchn_handle *h)
{
    struct emu_handle *e = H(h);
    int rc = 0;

    /* Unbind now, not when the broker notices the socket close: a peer that is told "done"
     * right after must find the ports closed. */
    if (request(e, EMU_OP_RESET, NULL, 0) < 0)
        rc = -1;
    munmap(e->shm, e->info.shm_bytes);
    close(e->ev);
    close(e->ctl);
    pthread_mutex_destroy(&e->lock);
    free(e->owned);
    free(e);
    h->priv = NULL;
    return rc;
}

static int emu_fd(xenevtchn_handle *h)
{
    return H(h)->ev;
}

/* ---- Ports ---------------------------------------------------------------------------- */

static bool owned(const struct emu_handle *e, evtchn_port_t port)
{
    return port < e->nr_ports && (e->owned[port / 8] >> (port % 8)) & 1;
}

static void set_owned(struct emu_handle *e, evtchn_port_t port, bool on)
{
    if (port >= e->nr_ports)
        return;
    if (on)
        e->owned[port / 8] |= (uint8_t)(1u << (port % 8));
    else
        e->owned[port / 8] &= (uint8_t) ~(1u << (port % 8));
}

static xenevtchn_port_or_error_t bind_done(struct emu_handle *e, int port)
{
    if (port >= 0) {
        pthread_mutex_lock(&e->lock);
        set_owned(e, (evtchn_port_t)port, true);
        pthread_mutex_unlock(&e->lock);
    }
    return port;
}

static int emu_notify(xenevtchn_handle *h, evtchn_port_t port)
{
    struct evtchn_send a = {.port = port};

    return request(H(h), EVTCHNOP_send, &a, sizeof(a)) < 0 ? -1 : 0;
}

static xenevtchn_port_or_error_t emu_bind_unbound_port(xenevtchn_handle *h, uint32_t domid)
{
    struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = (domid_t)domid};

    if (domid > 0xffff) {
        errno = EINVAL;
        return -1;
    }
    return bind_done(H(h), request(H(h), EVTCHNOP_alloc_unbound, &a, sizeof(a)));
}

static xenevtchn_port_or_error_t emu_bind_interdomain(xenevtchn_handle *h, uint32_t domid,
                                                      evtchn_port_t remote_port)
{
    struct evtchn_bind_interdomain a = {.remote_dom = (domid_t)domid, .remote_port = remote_port};

    if (domid > 0xffff) {
        errno = EINVAL;
        return -1;
    }
    return bind_done(H(h), request(H(h), EVTCHNOP_bind_interdomain, &a, sizeof(a)));
}

static xenevtchn_port_or_error_t emu_bind_virq(xenevtchn_handle *h, unsigned int virq)
{
    struct evtchn_bind_virq a = {.virq = virq, .vcpu = 0};

    return bind_done(H(h), request(H(h), EVTCHNOP_bind_virq, &a, sizeof(a)));
}

static int emu_unbind(xenevtchn_handle *h, evtchn_port_t port)
{
    struct emu_handle *e = H(h);
    struct evtchn_close a = {.port = port};

    if (request(e, EVTCHNOP_close, &a, sizeof(a)) < 0)
        return -1;
    pthread_mutex_lock(&e->lock);
    set_owned(e, port, false);
    pthread_mutex_unlock(&e->lock);
    return 0;
}

/*
 * Xen's xenevtchn_pending sleeps in read() until a port comes, unless the program made the
 * descriptor O_NONBLOCK: the same here. 0 once fd is readable; -1 (no wait) when it is
 * non-blocking or the wait failed.
 */
static int wait_readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int fl = fcntl(fd, F_GETFL);

    if (fl < 0 || (fl & O_NONBLOCK))
        return -1;
    while (poll(&p, 1, -1) < 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

static xenevtchn_port_or_error_t emu_pending(xenevtchn_handle *h)
{
    struct emu_handle *e = H(h);
    uint32_t port;
    ssize_t n;

    pthread_mutex_lock(&e->lock);
    for (;;) {
        n = recv(e->ev, e->partial + e->have, sizeof(port) - e->have, MSG_DONTWAIT);
        if (n > 0)
            e->have += (unsigned int)n;
        if (e->have < sizeof(port)) {
            int err = n == 0 ? EIO : n < 0 ? errno : EAGAIN; /* EIO: the broker is gone */

            pthread_mutex_unlock(&e->lock);
            if (err == EAGAIN && wait_readable(e->ev) == 0) {
                pthread_mutex_lock(&e->lock);
                continue;
            }
            errno = err;
            return -1;
        }
        e->have = 0;
        if (!e->drop_partial)
            break;
        e->drop_partial = false; /* that one was from before a reset */
    }
    memcpy(&port, e->partial, sizeof(port));
    pthread_mutex_unlock(&e->lock);
    if (port == EMU_OVERFLOW) {
        errno = EFBIG; /* as Linux's driver says when its ring overflowed */
        return -1;
    }
    return (xenevtchn_port_or_error_t)port;
}

/*
 * Unmask the port in the shared memory if it is not pending; true if the hypercall must do
 * it: the hypervisor re-delivers a pending port only when its unmask finds the port still
 * masked (2-level), so a pending port is left masked for it, as Linux's drivers do.
 */
static bool unmask_shared(struct emu_handle *e, evtchn_port_t port)
{
    if (e->info.abi == EMU_ABI_FIFO) {
        uint32_t *word = (uint32_t *)(e->shm + e->info.fifo_off) + port;
        uint32_t w = __atomic_load_n(word, __ATOMIC_ACQUIRE), seen;

        /* PENDING: the hypervisor links it as it unmasks; BUSY: it is linking it now. */
        for (unsigned int i = 0; i < 64; i++) {
            if (w & ((1u << EVTCHN_FIFO_PENDING) | (1u << EVTCHN_FIFO_BUSY)))
                return true;
            if (emu_g_cmpxchg32(word, w, w & ~(1u << EVTCHN_FIFO_MASKED), &seen))
                return false;
            w = seen;
        }
        return true;
    }
    uint32_t *mask = (uint32_t *)(e->shm + e->info.mask_off) + port / 32;
    const uint32_t *pending = (const uint32_t *)(e->shm + e->info.pending_off) + port / 32;
    const unsigned int bit = port % 32;

    if ((__atomic_load_n(pending, __ATOMIC_SEQ_CST) >> bit) & 1)
        return true;
    emu_g_clear_bit(mask, bit);
    /* Sent between the two looks: it found the port masked and raised nothing. Mask it
     * again and let the hypercall unmask and deliver it. */
    if ((__atomic_load_n(pending, __ATOMIC_SEQ_CST) >> bit) & 1) {
        emu_g_set_bit(mask, bit);
        return true;
    }
    return false;
}

static int emu_unmask(xenevtchn_handle *h, evtchn_port_t port)
{
    struct emu_handle *e = H(h);
    struct evtchn_unmask a = {.port = port};

    /* Another handle's port (or none) is left alone, as Linux's driver ignores it. */
    if (!owned(e, port))
        return 0;
    if (!unmask_shared(e, port))
        return 0;
    return request(e, EVTCHNOP_unmask, &a, sizeof(a)) < 0 ? -1 : 0;
}

static int emu_restrict(xenevtchn_handle *h, domid_t domid)
{
    uint32_t a[2] = {domid, 0};

    return request(H(h), EMU_OP_RESTRICT, a, sizeof(a)) < 0 ? -1 : 0;
}

/* Read and forget what the event stream holds now, keeping it aligned on ports. */
static void drain_events(struct emu_handle *e)
{
    uint8_t buf[4096];
    ssize_t n;

    while ((n = recv(e->ev, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
        e->have = (e->have + (unsigned int)n) % sizeof(uint32_t);
    /* The broker may still owe the rest of a port it had begun to write. */
    e->drop_partial = e->have != 0;
}

static int emu_reset(xenevtchn_handle *h)
{
    struct emu_handle *e = H(h);

    /* The broker unbinds the ports and drops what it had not yet written to the stream
     * before it replies; what is in the stream already is read and dropped here. */
    if (request(e, EMU_OP_RESET, NULL, 0) < 0)
        return -1;
    pthread_mutex_lock(&e->lock);
    memset(e->owned, 0, e->nr_ports / 8 + 1);
    drain_events(e);
    pthread_mutex_unlock(&e->lock);
    return 0;
}

const struct evtchn_backend_ops evtchn_backend_emu = {
    .name = "emu",
    .open = emu_open,
    .close = emu_close,
    .fd = emu_fd,
    .notify = emu_notify,
    .bind_unbound_port = emu_bind_unbound_port,
    .bind_interdomain = emu_bind_interdomain,
    .bind_virq = emu_bind_virq,
    .unbind = emu_unbind,
    .pending = emu_pending,
    .unmask = emu_unmask,
    .restrict_domid = emu_restrict,
    .reset = emu_reset,
};
