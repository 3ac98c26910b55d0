/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers of the emu backend's tests: a private machine per test (its own socket in a
 * fresh directory, so tests run in parallel), handles of a given domain, waiting for an
 * event, child processes that report through their exit status, and the check that the
 * machine's broker is gone when the test ends.
 */
#ifndef MINIXEN_TEST_EMU_UTIL_H
#define MINIXEN_TEST_EMU_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <xenevtchn.h>

struct emu_machine {
    char dir[64];
    char sock[96];
};

/* The test's machine until machine_end() checked it (machine_cleanup's business). */
static struct emu_machine *machine_open_now;

/* A fresh machine for this test: nothing runs until the first open. */
static inline void machine_new(struct emu_machine *m, const char *abi)
{
    machine_open_now = m;
    strcpy(m->dir, "/tmp/minixen-emu-test-XXXXXX");
    assert_non_null(mkdtemp(m->dir));
    snprintf(m->sock, sizeof(m->sock), "%s/m.sock", m->dir);
    setenv("MINIXEN_EVTCHN_EMU_MACHINE", m->sock, 1);
    if (abi != NULL)
        setenv("MINIXEN_EVTCHN_EMU_ABI", abi, 1);
    else
        unsetenv("MINIXEN_EVTCHN_EMU_ABI");
}

static inline long broker_pid(const struct emu_machine *m)
{
    char path[128], buf[32] = {0};
    int fd;

    snprintf(path, sizeof(path), "%s.lock", m->sock);
    fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    if (read(fd, buf, sizeof(buf) - 1) < 0)
        buf[0] = '\0';
    close(fd);
    return strtol(buf, NULL, 10);
}

static inline long now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

/* Every handle is closed: the broker must leave within its grace time (3 s allowed). */
static inline void machine_end(struct emu_machine *m)
{
    long pid = broker_pid(m), t0 = now_us();
    char path[128];

    if (pid > 0)
        while (kill((pid_t)pid, 0) == 0 && now_us() - t0 < 3000000)
            usleep(10000);
    assert_true(pid <= 0 || kill((pid_t)pid, 0) != 0);
    unlink(m->sock);
    snprintf(path, sizeof(path), "%s.lock", m->sock);
    unlink(path);
    assert_int_equal(rmdir(m->dir), 0);
    machine_open_now = NULL;
}

/*
 * Every test's teardown: a test that failed before machine_end() may have left its
 * handles open, so its broker would not leave: stop it (the test started it) and remove
 * the machine's files, so a failure leaves no process and no directory behind.
 */
static inline int machine_cleanup(void **state)
{
    struct emu_machine *m = machine_open_now;
    char path[128];
    long pid;

    (void)state;
    if (m == NULL)
        return 0;
    pid = broker_pid(m);
    if (pid > 0) {
        /* Only if that pid is still a fork of this program (a broker), not a pid reused. */
        char exe[64], mine[4096] = "", theirs[4096] = "";

        snprintf(exe, sizeof(exe), "/proc/%ld/exe", pid);
        if (readlink("/proc/self/exe", mine, sizeof(mine) - 1) > 0 &&
            readlink(exe, theirs, sizeof(theirs) - 1) > 0 && strcmp(mine, theirs) == 0)
            kill((pid_t)pid, SIGKILL);
    }
    unlink(m->sock);
    snprintf(path, sizeof(path), "%s.lock", m->sock);
    unlink(path);
    rmdir(m->dir);
    machine_open_now = NULL;
    return 0;
}

static inline xenevtchn_handle *open_as(unsigned int domid)
{
    char s[16];

    snprintf(s, sizeof(s), "%u", domid);
    setenv("MINIXEN_EVTCHN_EMU_DOMID", s, 1);
    return xenevtchn_open(NULL, MINIXEN_EVTCHN_OPEN_EMU);
}

/* The next port of h within ms milliseconds; -1 (errno ETIMEDOUT) if none. */
static inline int wait_port(xenevtchn_handle *h, int ms)
{
    struct pollfd p = {.fd = xenevtchn_fd(h), .events = POLLIN};

    /* Poll first: pending itself sleeps on the blocking descriptor, as Xen's does. */
    if (poll(&p, 1, ms) <= 0) {
        errno = ETIMEDOUT;
        return -1;
    }
    return xenevtchn_pending(h);
}

/* Child processes: fn's return value is the exit status (0: it worked). */
static inline pid_t child(int (*fn)(void *), void *arg)
{
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0)
        _exit(fn(arg));
    return pid;
}

static inline int child_status(pid_t pid)
{
    int st;

    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* A child's failure: which line, so the exit status says where. */
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "child %d: %s:%d: %s (errno %d)\n", (int)getpid(), __FILE__, __LINE__, \
                    #cond, errno);                                                                 \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

/* A domU process of the tests: what pinger_main does. */
struct pinger {
    uint32_t domid;
    uint32_t remote_port; /* dom0's unbound port for this domain */
    int report;           /* pipe: the local port once bound */
    unsigned int pings;   /* round trips; 0: notify forever without waiting (a flood) */
};

/* A domU: bind to dom0's port, then send and wait for the answer, `pings` times. */
static inline int pinger_main(void *arg)
{
    struct pinger *p = arg;
    xenevtchn_handle *h = open_as(p->domid);
    uint32_t lp;
    int port;

    CHECK(h != NULL);
    port = xenevtchn_bind_interdomain(h, 0, p->remote_port);
    CHECK(port > 0);
    lp = (uint32_t)port;
    /* A new interdomain port starts pending (Xen): it fires once on its own. */
    CHECK(wait_port(h, 2000) == port);
    CHECK(xenevtchn_unmask(h, lp) == 0);
    CHECK(write(p->report, &lp, sizeof(lp)) == sizeof(lp));
    for (unsigned int i = 0; p->pings == 0 || i < p->pings; i++) {
        CHECK(xenevtchn_notify(h, lp) == 0);
        if (p->pings == 0)
            continue; /* the flood: killed while it runs */
        CHECK(wait_port(h, 5000) == port);
        CHECK(xenevtchn_unmask(h, lp) == 0);
    }
    CHECK(xenevtchn_close(h) == 0);
    return 0;
}

static inline void put_u32(int fd, uint32_t v)
{
    assert_int_equal(write(fd, &v, sizeof(v)), sizeof(v));
}

static inline int get_u32(int fd, uint32_t *v)
{
    return read(fd, v, sizeof(*v)) == sizeof(*v) ? 0 : -1;
}

#endif /* MINIXEN_TEST_EMU_UTIL_H */
