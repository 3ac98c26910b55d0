/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Starting a machine's broker from the library (see emu_broker.h).
 *
 * The broker is a fork of the first client, not an exec'd helper: the library then needs
 * no installed binary to find, and broker and client are always the same build, so the
 * protocol needs no versioning. What a fork of an arbitrary program must undo is undone
 * at once: a second fork and setsid() detach it from the program's process group and
 * terminal (the program never sees a child exit); every inherited descriptor is closed
 * (another handle's socket kept open here would hide that handle's death); signals go
 * back to their defaults and it leaves through _exit(), never the program's atexit
 * handlers. Only the forking thread exists in the child; glibc's malloc works after fork.
 *
 * One broker per machine: it must hold an exclusive flock() on the machine's lock file for
 * its whole life before it touches the socket path. A second broker (two first opens at
 * once) fails the lock and exits; the clients of both connect to the one that won.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "emu_broker.h"
#include "emu_machine.h"

static void close_inherited(void)
{
    long max = sysconf(_SC_OPEN_MAX);

#ifdef SYS_close_range
    if (syscall(SYS_close_range, 0, ~0u, 0) == 0)
        return;
#endif
    if (max < 0 || max > 65536)
        max = 65536;
    for (int fd = 0; fd < max; fd++)
        close(fd);
}

static void reset_signals(void)
{
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sigset_t none;

    for (int s = 1; s < NSIG; s++)
        sigaction(s, &dfl, NULL); /* SIGKILL/SIGSTOP and the libc-internal ones refuse */
    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The broker itself, in the detached grandchild. Never returns. */
static void broker_main(const char *sock_path, enum emu_abi abi)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char lock_path[sizeof(sa.sun_path) + 8];
    char pid[24];
    const char *log = getenv("MINIXEN_EVTCHN_EMU_LOG");
    int lock_fd, fd;

    close_inherited();
    reset_signals();
    umask(077);
    fd = open("/dev/null", O_RDWR);
    if (fd != 0 || dup2(0, 1) != 1 || dup2(0, 2) != 2)
        _exit(71);
    if (log != NULL && log[0] != '\0')
        emu_console_fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

    snprintf(lock_path, sizeof(lock_path), "%s.lock", sock_path);
    lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (lock_fd < 0 || flock(lock_fd, LOCK_EX | LOCK_NB) != 0)
        _exit(0); /* another broker serves (or is starting) this machine */
    /* The lock file says who the broker is (tests check it went away). */
    snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
    if (ftruncate(lock_fd, 0) != 0 || pwrite(lock_fd, pid, strlen(pid), 0) < 0)
        _exit(72);

    /* Holding the lock, a socket file left at the path is a dead broker's. */
    unlink(sock_path);
    memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 128) != 0)
        _exit(73);

    emu_broker_serve(fd, abi);

    /* Unlinked while the lock is held: a client arriving now starts a new broker, which
     * waits for nothing (it takes the lock once this process is gone, or exits and lets
     * the client retry). A client that connected just before gets EOF and retries. */
    unlink(sock_path);
    close(fd);
    _exit(0);
}

int emu_broker_spawn(const char *sock_path, enum emu_abi abi)
{
    int status;
    pid_t pid;

    if (strlen(sock_path) >= sizeof(((struct sockaddr_un *)0)->sun_path))
        return -ENAMETOOLONG;
    pid = fork();
    if (pid < 0)
        return -errno;
    if (pid == 0) {
        if (setsid() < 0 || fork() != 0)
            _exit(0); /* the middle child ends at once: the broker is nobody's child */
        broker_main(sock_path, abi);
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return 0;
}
