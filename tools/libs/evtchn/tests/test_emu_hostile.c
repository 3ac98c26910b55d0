/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The emu machine against clients that misbehave: one killed in the middle of its work,
 * one speaking garbage on the socket and scribbling over its domain's shared memory, one
 * that never reads its replies; and several programs starting the machine at once. The
 * others must keep working, and there must be one broker.
 */
#if defined(MINIXEN_EVTCHN_NO_EMU) || defined(LIBEVTCHN_MINI_CMOCKA)
/* A build without the emulation (the guests' static libraries): nothing to test here. */
#include <stdio.h>

int main(void)
{
    printf("1..0 # SKIP this build has no emu backend\n");
    return 0;
}
#else
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "../emu/emu_proto.h"
#include "test_emu_util.h"

/* Answer events on h until `port` had n of them; events of other ports are unmasked only. */
static void serve_until(xenevtchn_handle *h, int port, unsigned int n)
{
    while (n > 0) {
        int got = wait_port(h, 5000);

        assert_true(got > 0);
        assert_int_equal(xenevtchn_unmask(h, (evtchn_port_t)got), 0);
        if (got != port)
            continue;
        assert_int_equal(xenevtchn_notify(h, (evtchn_port_t)got), 0);
        n--;
    }
}

static void test_killed_client_leaves_others_working(void **state)
{
    struct emu_machine m;
    struct pinger flood, good;
    xenevtchn_handle *h;
    int fds[2], pf, pg;
    uint32_t lp;
    pid_t fpid, gpid;

    (void)state;
    machine_new(&m, "fifo");
    h = open_as(0);
    assert_non_null(h);
    assert_int_equal(pipe(fds), 0);
    pf = xenevtchn_bind_unbound_port(h, 1);
    pg = xenevtchn_bind_unbound_port(h, 2);
    assert_true(pf > 0 && pg > 0);
    flood = (struct pinger){.domid = 1, .remote_port = (uint32_t)pf, .report = fds[1]};
    fpid = child(pinger_main, &flood);
    assert_int_equal(get_u32(fds[0], &lp), 0);
    /* Let it flood a while, answering some, then kill it in the middle of a request. */
    for (unsigned int i = 0; i < 50; i++) {
        int got = wait_port(h, 2000);

        assert_int_equal(got, pf);
        assert_int_equal(xenevtchn_unmask(h, (evtchn_port_t)got), 0);
    }
    kill(fpid, SIGKILL);
    assert_int_equal(child_status(fpid), 128 + SIGKILL);

    good = (struct pinger){.domid = 2, .remote_port = (uint32_t)pg, .report = fds[1], .pings = 300};
    gpid = child(pinger_main, &good);
    assert_int_equal(get_u32(fds[0], &lp), 0);
    serve_until(h, pg, 300);
    assert_int_equal(child_status(gpid), 0);

    /* The dead domain's port is dom0's still; a new process of domain 1 can use it again
     * once dom0 made a fresh unbound port (the old one's peer is gone). */
    assert_int_equal(xenevtchn_unbind(h, (evtchn_port_t)pf), 0);
    pf = xenevtchn_bind_unbound_port(h, 1);
    assert_true(pf > 0);
    flood = (struct pinger){.domid = 1, .remote_port = (uint32_t)pf, .report = fds[1], .pings = 20};
    fpid = child(pinger_main, &flood);
    assert_int_equal(get_u32(fds[0], &lp), 0);
    serve_until(h, pf, 20);
    assert_int_equal(child_status(fpid), 0);

    assert_int_equal(xenevtchn_close(h), 0);
    close(fds[0]);
    close(fds[1]);
    machine_end(&m);
}

/* ---- A client speaking the protocol badly --------------------------------------------- */

static int raw_connect(const struct emu_machine *m)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

    assert_true(fd >= 0);
    strcpy(sa.sun_path, m->sock);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    return fd;
}

/* Send len bytes of msg; the broker's answer's rc (or 1 if it closed the connection). */
static int32_t raw_call(int fd, const void *msg, size_t len, int *fds)
{
    struct emu_hello_rep rep = {.rep.rc = 1};
    char cbuf[CMSG_SPACE(2 * sizeof(int))];
    struct iovec iov = {.iov_base = &rep, .iov_len = sizeof(rep)};
    struct msghdr mh = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};

    if (send(fd, msg, len, MSG_NOSIGNAL) != (ssize_t)len)
        return 1;
    if (recvmsg(fd, &mh, 0) <= 0)
        return 1;
    if (fds != NULL) {
        struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

        assert_non_null(cm);
        memcpy(fds, CMSG_DATA(cm), 2 * sizeof(int));
    }
    return rep.rep.rc;
}

static void test_hostile_client(void **state)
{
    struct emu_machine m;
    struct emu_req req;
    uint8_t junk[3000];
    xenevtchn_handle *h;
    int fd, fds[2], port;
    uint8_t *shm;

    (void)state;
    machine_new(&m, "2level");
    h = open_as(0);
    assert_non_null(h);
    fd = raw_connect(&m);
    srand(17);
    for (size_t i = 0; i < sizeof(junk); i++)
        junk[i] = (uint8_t)rand();
    /* Wrong sizes, before any hello. */
    assert_int_equal(raw_call(fd, junk, 3, NULL), -EINVAL);
    assert_int_equal(raw_call(fd, junk, sizeof(junk), NULL), -EINVAL);
    req = (struct emu_req){.op = EVTCHNOP_send, .u.send.port = 1};
    assert_int_equal(raw_call(fd, &req, sizeof(req), NULL), -EINVAL); /* no hello yet */
    /* Hellos it must refuse: no such domain id, the ABI the machine does not run. */
    req = (struct emu_req){.op = EMU_OP_HELLO, .u.a = {9999, EMU_ABI_ANY}};
    assert_int_equal(raw_call(fd, &req, sizeof(req), NULL), -EINVAL);
    req = (struct emu_req){.op = EMU_OP_HELLO, .u.a = {5, EMU_ABI_FIFO}};
    assert_int_equal(raw_call(fd, &req, sizeof(req), NULL), -EINVAL);
    req = (struct emu_req){.op = EMU_OP_HELLO, .u.a = {5, 12345}};
    assert_int_equal(raw_call(fd, &req, sizeof(req), NULL), -EINVAL);
    req = (struct emu_req){.op = EMU_OP_HELLO, .u.a = {5, EMU_ABI_2L}};
    assert_int_equal(raw_call(fd, &req, sizeof(req), fds), 0);
    assert_int_equal(raw_call(fd, &req, sizeof(req), NULL), -EINVAL); /* a second hello */

    /* Ops the library never sends, ports it does not own, another domain's identity. */
    for (uint32_t op = 0; op < 20; op++) {
        req = (struct emu_req){.op = op, .u.a = {0xffffffffu, 0xffffffffu}};
        assert_true(raw_call(fd, &req, sizeof(req), NULL) < 0);
    }
    req = (struct emu_req){.op = EVTCHNOP_send, .u.send.port = 1};
    assert_int_equal(raw_call(fd, &req, sizeof(req), NULL), -ENOTCONN);
    req = (struct emu_req){.op = EVTCHNOP_alloc_unbound, .u.alloc_unbound = {0, 0, 0}};
    port = raw_call(fd, &req, sizeof(req), NULL); /* dom = 0 is read as "myself" */
    assert_int_equal(port, 0);

    /* Scribble every shared word of domain 5, with a bound port pending, then have the
     * broker run domain 5's upcall on that garbage. */
    shm = mmap(NULL, EMU_SHM_PAGES * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0);
    assert_true(shm != MAP_FAILED);
    for (unsigned int round = 0; round < 20; round++) {
        for (size_t i = 0; i < EMU_SHM_PAGES * 4096; i += 4)
            *(uint32_t *)(shm + i) = (uint32_t)rand() | (round & 1 ? 0 : 0x80000000u);
        req = (struct emu_req){.op = EVTCHNOP_alloc_unbound, .u.alloc_unbound = {0, 5, 0}};
        assert_int_equal(raw_call(fd, &req, sizeof(req), NULL), 0);
    }
    munmap(shm, EMU_SHM_PAGES * 4096);
    close(fds[0]);
    close(fds[1]);

    /* A flood of requests whose replies it never reads: the broker drops it, not waits. */
    req = (struct emu_req){.op = 77};
    for (unsigned int i = 0; i < 20000; i++)
        if (send(fd, &req, sizeof(req), MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
            break;
    close(fd);

    /* Everyone else is fine: dom0 and a domU still talk. */
    {
        struct pinger p;
        uint32_t lp;
        int pipefd[2];
        pid_t pid;

        port = xenevtchn_bind_unbound_port(h, 1);
        assert_true(port > 0);
        assert_int_equal(pipe(pipefd), 0);
        p = (struct pinger){
            .domid = 1, .remote_port = (uint32_t)port, .report = pipefd[1], .pings = 100};
        pid = child(pinger_main, &p);
        assert_int_equal(get_u32(pipefd[0], &lp), 0);
        serve_until(h, port, 100);
        assert_int_equal(child_status(pid), 0);
        close(pipefd[0]);
        close(pipefd[1]);
    }
    assert_int_equal(xenevtchn_close(h), 0);
    machine_end(&m);
}

/* ---- Several programs starting the machine at once ------------------------------------ */

#define STARTERS 6

struct starter {
    int go;           /* pipe: readable when all may open */
    int report;       /* pipe: the port each made for dom0 */
    int done;         /* pipe: readable when dom0 has bound them all */
    int go_w, done_w; /* the write ends, which a child closes to see the others' EOF */
};

static int starter_main(void *arg)
{
    struct starter *s = arg;
    xenevtchn_handle *h;
    uint32_t port;
    char c;

    close(s->go_w);
    close(s->done_w);
    CHECK(read(s->go, &c, 1) == 0); /* the parent closed it: everyone opens now */
    h = open_as(3);
    CHECK(h != NULL);
    port = (uint32_t)xenevtchn_bind_unbound_port(h, 0);
    CHECK((int)port > 0);
    CHECK(write(s->report, &port, sizeof(port)) == sizeof(port));
    CHECK(read(s->done, &c, 1) == 0);
    CHECK(xenevtchn_close(h) == 0);
    return 0;
}

static void test_concurrent_start_makes_one_broker(void **state)
{
    struct emu_machine m;
    struct starter s;
    int go[2], rep[2], done[2];
    pid_t pid[STARTERS];
    xenevtchn_handle *h;

    (void)state;
    machine_new(&m, NULL);
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(rep), 0);
    assert_int_equal(pipe(done), 0);
    s = (struct starter){
        .go = go[0], .report = rep[1], .done = done[0], .go_w = go[1], .done_w = done[1]};
    for (unsigned int i = 0; i < STARTERS; i++) {
        pid[i] = child(starter_main, &s);
    }
    close(go[1]); /* go */
    /* If two brokers had come up, some ports would live on a machine dom0 is not on. */
    h = open_as(0);
    assert_non_null(h);
    for (unsigned int i = 0; i < STARTERS; i++) {
        uint32_t port;

        assert_int_equal(get_u32(rep[0], &port), 0);
        assert_true(xenevtchn_bind_interdomain(h, 3, port) > 0);
    }
    close(done[1]);
    for (unsigned int i = 0; i < STARTERS; i++)
        assert_int_equal(child_status(pid[i]), 0);
    assert_int_equal(xenevtchn_close(h), 0);
    close(go[0]);
    close(rep[0]);
    close(rep[1]);
    close(done[0]);
    machine_end(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_killed_client_leaves_others_working, machine_cleanup),
        cmocka_unit_test_teardown(test_hostile_client, machine_cleanup),
        cmocka_unit_test_teardown(test_concurrent_start_makes_one_broker, machine_cleanup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
#endif
