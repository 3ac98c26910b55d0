/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The broker's service loop: one thread, poll() over the listening socket and every
 * client's sockets. A request runs the event core as the client's domain's vCPU 0; the
 * upcalls it raised are then handled for each domain (emu_guest.c) and the ports that
 * fired are queued to the handles that bound them, as Linux's evtchn driver does per open
 * file.
 *
 * Every client is hostile until proven otherwise: a request of the wrong size, an op the
 * library never sends, a port it does not own, an unread reply or event stream cost that
 * client its request or its connection, never the broker or another client.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <xen/domain.h>
#include <xen/event.h>

#include "emu_broker.h"
#include "emu_guest.h"
#include "emu_machine.h"

#define EMU_MAX_CLIENTS 1024       /* handles served at once; more are refused */
#define EMU_QUEUE_MAX   (1u << 16) /* ports queued to one handle before it overflows */
#define EMU_OVERFLOW    UINT32_MAX /* in the event stream: ports were lost (EFBIG) */
#define NO_RESTRICTION  0xffffffffu

#if defined(__aarch64__)
#define EMU_GUEST_LAYOUT guest_layout_arm
#else
#define EMU_GUEST_LAYOUT guest_layout_x86_64
#endif

struct emu_client {
    int ctl;    /* SOCK_SEQPACKET: requests and replies */
    int ev;     /* SOCK_STREAM: the ports that fired, to the client */
    bool hello; /* EMU_OP_HELLO done: dom is this handle's domain */
    domid_t dom;
    uint32_t restrict_to; /* xenevtchn_restrict's domid, or NO_RESTRICTION */
    uint32_t *queue;      /* ports not yet written to ev */
    uint32_t qlen, qcap;
    uint32_t qsent;  /* bytes of queue[0] already written */
    bool overflowed; /* EMU_OVERFLOW queued since the client last drained */
};

static struct emu_client *clients[EMU_MAX_CLIENTS]; /* handle id = index + 1 */
static unsigned int nr_clients;
static enum emu_abi machine_abi;

/* ---- Domains -------------------------------------------------------------------------- */

static struct emu_domain *domain_get(domid_t id, int *err)
{
    struct emu_domain *ed;
    struct domain *d;

    if (id >= MAX_DOMAINS) {
        *err = -EINVAL;
        return NULL;
    }
    if (emu_domains[id] != NULL)
        return emu_domains[id];
    *err = -ENOMEM;
    ed = calloc(1, sizeof(*ed));
    if (ed == NULL)
        return NULL;
    ed->shm_fd = memfd_create("minixen-evtchn-domain", MFD_CLOEXEC);
    if (ed->shm_fd < 0 || ftruncate(ed->shm_fd, (off_t)EMU_SHM_PAGES * PAGE_SIZE) != 0)
        goto fail;
    ed->shm = mmap(NULL, (size_t)EMU_SHM_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
                   ed->shm_fd, 0);
    ed->scratch = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
    if (ed->shm == MAP_FAILED || ed->scratch == NULL)
        goto fail;
    /* Domain 0 is the privileged one, as on Xen. */
    d = domain_create(id, 1, id == 0, &EMU_GUEST_LAYOUT);
    if (d == NULL)
        goto fail;
    emu_arch_domain_attach(ed, d);
    ed->nr_ports = machine_abi == EMU_ABI_FIFO
                       ? EMU_FIFO_MAX_PAGES * (PAGE_SIZE / 4)
                       : EVTCHN_2L_NR_CHANNELS_BITS(d->guest_layout->word_bits);
    ed->owner = calloc(ed->nr_ports, sizeof(*ed->owner));
    if (ed->owner == NULL)
        goto fail; /* the domain stays in the core's table, unused: ids are not reused */
    if (machine_abi == EMU_ABI_FIFO && (*err = emu_guest_setup_fifo(ed)) != 0)
        goto fail;
    emu_domains[id] = ed;
    return ed;

fail:
    /* A half-made domain is left to the process's end: it is never published. */
    return NULL;
}

/* ---- The event stream of a handle ----------------------------------------------------- */

static void queue_port(struct emu_client *c, uint32_t port)
{
    if (c->overflowed)
        return;
    if (c->qlen == c->qcap) {
        uint32_t cap = c->qcap == 0 ? 64 : c->qcap * 2;
        uint32_t *q = cap <= EMU_QUEUE_MAX ? realloc(c->queue, cap * sizeof(*q)) : NULL;

        if (q == NULL) {
            /* The last slot says ports were lost; the client's pending() reports it. */
            c->queue[c->qlen - 1] = EMU_OVERFLOW;
            c->overflowed = true;
            return;
        }
        c->queue = q;
        c->qcap = cap;
    }
    c->queue[c->qlen++] = port;
}

/* Write what the stream takes now; the rest waits for POLLOUT. */
static void flush_queue(struct emu_client *c)
{
    size_t bytes = (size_t)c->qlen * sizeof(uint32_t) - c->qsent;
    ssize_t n;

    if (c->qlen == 0)
        return;
    n = send(c->ev, (uint8_t *)c->queue + c->qsent, bytes, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n <= 0)
        return; /* full (POLLOUT later) or gone (the control socket says so) */
    if ((size_t)n == bytes) {
        c->qlen = 0;
        c->qsent = 0;
        c->overflowed = false;
        return;
    }
    /* Keep the unwritten tail at the front, with the bytes of a port half written. */
    {
        size_t whole = ((size_t)n + c->qsent) / sizeof(uint32_t);

        memmove(c->queue, c->queue + whole, (c->qlen - whole) * sizeof(uint32_t));
        c->qlen -= (uint32_t)whole;
        c->qsent = (uint32_t)(((size_t)n + c->qsent) % sizeof(uint32_t));
    }
}

/* Forget the ports not yet written (but the rest of one begun: the stream stays whole). */
static void drop_queue(struct emu_client *c)
{
    c->qlen = c->qsent != 0 ? 1 : 0;
    c->overflowed = false;
}

static void deliver(struct emu_domain *ed, evtchn_port_t port)
{
    uint32_t id = port < ed->nr_ports ? ed->owner[port] : 0;

    /* A port no handle owns stays masked: nobody would unmask it. */
    if (id != 0 && clients[id - 1] != NULL)
        queue_port(clients[id - 1], port);
}

static void run_upcalls(void)
{
    for (unsigned int i = 0; i < MAX_DOMAINS; i++)
        if (emu_domains[i] != NULL && emu_domains[i]->upcall)
            emu_guest_upcall(emu_domains[i], deliver);
    for (unsigned int i = 0; i < EMU_MAX_CLIENTS; i++)
        if (clients[i] != NULL)
            flush_queue(clients[i]);
}

/* ---- Requests ------------------------------------------------------------------------- */

static void unbind_all(uint32_t id, struct emu_client *c)
{
    struct emu_domain *ed = c->hello ? emu_domains[c->dom] : NULL;

    if (ed == NULL)
        return;
    for (uint32_t port = 1; port < ed->nr_ports; port++)
        if (ed->owner[port] == id) {
            struct evtchn_close cl = {.port = port};

            emu_hypercall(ed, EVTCHNOP_close, &cl, sizeof(cl));
            ed->owner[port] = 0;
        }
}

static bool owns(const struct emu_domain *ed, uint32_t id, evtchn_port_t port)
{
    return port < ed->nr_ports && ed->owner[port] == id;
}

/* A port a bind just made: the handle's from now on. */
static int32_t bound(struct emu_domain *ed, uint32_t id, long rc, evtchn_port_t port, uint32_t *out)
{
    if (rc != 0)
        return (int32_t)rc;
    if (port == 0 || port >= ed->nr_ports || emu_guest_fifo_cover(ed, port) != 0) {
        struct evtchn_close cl = {.port = port};

        emu_hypercall(ed, EVTCHNOP_close, &cl, sizeof(cl));
        return -ENOSPC;
    }
    ed->owner[port] = id;
    *out = port;
    /* The kernel unmasks a port it binds (Linux enables its IRQ): a number used before
     * may still be masked, and an interdomain port that starts pending fires now. */
    {
        struct evtchn_unmask um = {.port = port};

        emu_hypercall(ed, EVTCHNOP_unmask, &um, sizeof(um));
    }
    return 0;
}

/* A domain a request names exists from then on (its processes may come later). */
static void touch_domain(domid_t id)
{
    int err;

    if (id < MAX_DOMAINS)
        domain_get(id, &err);
}

static int send_hello_reply(struct emu_client *c, const struct emu_hello_rep *rep, int fds[2])
{
    char cbuf[CMSG_SPACE(2 * sizeof(int))] = {0};
    struct iovec iov = {.iov_base = (void *)rep, .iov_len = sizeof(*rep)};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    struct cmsghdr *cm;

    if (fds != NULL) {
        msg.msg_control = cbuf;
        msg.msg_controllen = sizeof(cbuf);
        cm = CMSG_FIRSTHDR(&msg);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(2 * sizeof(int));
        memcpy(CMSG_DATA(cm), fds, 2 * sizeof(int));
    }
    return sendmsg(c->ctl, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)sizeof(*rep) ? 0 : -1;
}

static int hello(struct emu_client *c, const struct emu_req *req)
{
    struct emu_hello_rep rep = {.rep.rc = 0};
    struct emu_domain *ed;
    int err = 0, sv[2], fds[2], rc;

    if (c->hello)
        rep.rep.rc = -EINVAL;
    else if (req->u.a[1] != EMU_ABI_ANY && req->u.a[1] != machine_abi)
        rep.rep.rc = -EINVAL; /* the machine's ABI was fixed when it started */
    else if ((ed = domain_get((domid_t)MIN(req->u.a[0], 0xffffu), &err)) == NULL)
        rep.rep.rc = err;
    else if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        rep.rep.rc = -ENOMEM;
    if (rep.rep.rc != 0)
        return send_hello_reply(c, &rep, NULL);

    const struct guest_layout *l = ed->d->guest_layout;

    rep.abi = machine_abi;
    rep.shm_bytes = EMU_SHM_PAGES * PAGE_SIZE;
    rep.word_bits = l->word_bits;
    rep.pending_off = l->shinfo_pending_off;
    rep.mask_off = l->shinfo_mask_off;
    rep.nr_2l_ports = EVTCHN_2L_NR_CHANNELS_BITS(l->word_bits);
    rep.fifo_off = EMU_SHM_FIFO_ARRAY * PAGE_SIZE;
    rep.fifo_pages = machine_abi == EMU_ABI_FIFO ? EMU_FIFO_MAX_PAGES : 0;
    fds[0] = ed->shm_fd;
    fds[1] = sv[1];
    rc = send_hello_reply(c, &rep, fds);
    close(sv[1]);
    if (rc != 0) {
        close(sv[0]);
        return -1;
    }
    c->ev = sv[0];
    c->dom = ed->d->domain_id;
    c->hello = true;
    return 0;
}

/* One request of client id; -1: drop the client. */
static int serve(uint32_t id, struct emu_client *c)
{
    struct emu_req req;
    struct emu_rep rep = {.rc = -ENOSYS};
    struct emu_domain *ed;
    bool restricted = c->restrict_to != NO_RESTRICTION;
    long hrc; /* a hypercall's result, before its OUT fields are read */
    ssize_t n = recv(c->ctl, &req, sizeof(req), MSG_DONTWAIT | MSG_TRUNC);

    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        return -1; /* gone */
    if (n < 0)
        return 0;
    if (n != (ssize_t)sizeof(req)) {
        rep.rc = -EINVAL; /* MSG_TRUNC: n is the message's real size */
        goto reply;
    }
    if (req.op == EMU_OP_HELLO)
        return hello(c, &req);
    if (!c->hello) {
        rep.rc = -EINVAL;
        goto reply;
    }
    ed = emu_domains[c->dom];
    rep.rc = 0;
    switch (req.op) {
    case EVTCHNOP_alloc_unbound:
        if (restricted) {
            rep.rc = -EACCES; /* as Linux's driver: a restricted handle binds nothing new */
            break;
        }
        req.u.alloc_unbound.dom = DOMID_SELF; /* a handle acts as its own domain only */
        touch_domain(req.u.alloc_unbound.remote_dom);
        hrc = emu_hypercall(ed, req.op, &req.u, sizeof(req.u.alloc_unbound));
        rep.rc = bound(ed, id, hrc, req.u.alloc_unbound.port, &rep.port);
        break;
    case EVTCHNOP_bind_interdomain:
        if (restricted && req.u.bind_interdomain.remote_dom != c->restrict_to) {
            rep.rc = -EACCES;
            break;
        }
        touch_domain(req.u.bind_interdomain.remote_dom);
        hrc = emu_hypercall(ed, req.op, &req.u, sizeof(req.u.bind_interdomain));
        rep.rc = bound(ed, id, hrc, req.u.bind_interdomain.local_port, &rep.port);
        break;
    case EVTCHNOP_bind_virq:
        if (restricted) {
            rep.rc = -EACCES;
            break;
        }
        req.u.bind_virq.vcpu = 0; /* the emulated domains have one vCPU */
        hrc = emu_hypercall(ed, req.op, &req.u, sizeof(req.u.bind_virq));
        rep.rc = bound(ed, id, hrc, req.u.bind_virq.port, &rep.port);
        break;
    case EVTCHNOP_close:
    case EVTCHNOP_send:
    case EVTCHNOP_unmask:
        /* The same field for the three: a port this handle bound (Linux: -ENOTCONN). */
        if (!owns(ed, id, req.u.close.port)) {
            rep.rc = -ENOTCONN;
            break;
        }
        rep.rc = (int32_t)emu_hypercall(ed, req.op, &req.u, sizeof(req.u.close));
        if (req.op == EVTCHNOP_close && rep.rc == 0)
            ed->owner[req.u.close.port] = 0;
        break;
    case EMU_OP_RESTRICT:
        /* As Linux's driver: once only, and never to domain 0 or a DOMID_* name. */
        if (restricted)
            rep.rc = -EACCES;
        else if (req.u.a[0] == 0 || req.u.a[0] >= DOMID_FIRST_RESERVED)
            rep.rc = -EINVAL;
        else
            c->restrict_to = req.u.a[0];
        break;
    case EMU_OP_RESET:
        unbind_all(id, c);
        drop_queue(c);
        break;
    default:
        rep.rc = -ENOSYS;
        break;
    }
reply:
    /* The upcalls this request raised are handled before it returns, as a hypercall's
     * events are pending when it returns: after notify() the port is in its stream. */
    run_upcalls();
    return send(c->ctl, &rep, sizeof(rep), MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)sizeof(rep)
               ? 0
               : -1; /* a client that does not read its replies loses its connection */
}

/* ---- Clients -------------------------------------------------------------------------- */

static void client_drop(unsigned int i)
{
    struct emu_client *c = clients[i];

    unbind_all(i + 1, c);
    close(c->ctl);
    if (c->ev >= 0)
        close(c->ev);
    free(c->queue);
    free(c);
    clients[i] = NULL;
    nr_clients--;
}

static void client_accept(int listen_fd)
{
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    struct emu_client *c;

    if (fd < 0)
        return;
    for (unsigned int i = 0; i < EMU_MAX_CLIENTS; i++) {
        if (clients[i] != NULL)
            continue;
        c = calloc(1, sizeof(*c));
        if (c == NULL)
            break;
        c->ctl = fd;
        c->ev = -1;
        c->restrict_to = NO_RESTRICTION;
        clients[i] = c;
        nr_clients++;
        return;
    }
    close(fd); /* full: the client's hello fails (EIO) */
}

void emu_broker_serve(int listen_fd, enum emu_abi abi)
{
    /* Static: 2 KiB entries each, too large for the stack of a forked program's thread. */
    static struct pollfd pfd[1 + 2 * EMU_MAX_CLIENTS];
    static int who[1 + 2 * EMU_MAX_CLIENTS];

    machine_abi = abi == EMU_ABI_ANY ? EMU_ABI_2L : abi;
    for (;;) {
        unsigned int n = 1;
        int ready;

        pfd[0] = (struct pollfd){.fd = listen_fd, .events = POLLIN};
        for (unsigned int i = 0; i < EMU_MAX_CLIENTS; i++) {
            if (clients[i] == NULL)
                continue;
            who[n] = (int)i;
            pfd[n++] = (struct pollfd){.fd = clients[i]->ctl, .events = POLLIN};
            if (clients[i]->qlen != 0) {
                who[n] = (int)i;
                pfd[n++] = (struct pollfd){.fd = clients[i]->ev, .events = POLLOUT};
            }
        }
        ready = poll(pfd, n, nr_clients == 0 ? EMU_BROKER_GRACE_MS : -1);
        if (ready == 0 && nr_clients == 0)
            return; /* the last client left a grace time ago */
        if (ready < 0)
            continue;
        for (unsigned int k = 1; k < n; k++) {
            struct emu_client *c = clients[who[k]];

            if (c == NULL || pfd[k].revents == 0)
                continue;
            if (pfd[k].fd == c->ev)
                flush_queue(c);
            else if (pfd[k].revents & POLLIN ? serve((uint32_t)who[k] + 1, c) != 0
                                             : (pfd[k].revents & (POLLHUP | POLLERR | POLLNVAL)))
                client_drop((unsigned int)who[k]); /* gone, or not reading its replies */
            run_upcalls();
        }
        if (pfd[0].revents & POLLIN)
            client_accept(listen_fd);
    }
}
