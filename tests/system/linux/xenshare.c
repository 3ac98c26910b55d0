/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xenshare: two Linux domains share a page and exchange events through Linux's own Xen
 * devices, as a split driver's two halves would, without xenstore (the test that runs it,
 * tests/system/arm/linux-pair-test.sh, carries the grant ref and port from one console to
 * the other).
 *
 *   xenshare offer DOMID        grant DOMID a page (/dev/xen/gntalloc) holding OFFER_TEXT,
 *                               open an unbound port for it (/dev/xen/evtchn), print both,
 *                               then wait for DOMID's event, find TAKE_TEXT in the page and
 *                               answer with an event of our own
 *   xenshare take DOMID REF PORT   bind to DOMID's PORT, map its grant REF (/dev/xen/gntdev),
 *                               check OFFER_TEXT, write TAKE_TEXT, unmap, send an event,
 *                               wait for the answer
 *
 * Prints TAP lines prefixed "xenshare: " and ends with "xenshare: done P passed, F failed".
 * Exit status: the number of failures (0: all passed).
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

typedef uint16_t domid_t; /* the UAPI headers use Xen's names */
typedef uint32_t grant_ref_t;
#include <xen/evtchn.h>
#include <xen/gntalloc.h>
#include <xen/gntdev.h>

#define PAGE_BYTES 4096
#define WAIT_MS    60000
#define OFFER_TEXT "minixen xenshare: the offering domain's page"
#define TAKE_TEXT  "minixen xenshare: written by the taking domain"

static unsigned int tests, failures;

static int check(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int check(int cond, const char *fmt, ...)
{
    va_list ap;

    tests++;
    if (!cond)
        failures++;
    printf("xenshare: %sok %u - ", cond ? "" : "not ", tests);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (!cond && errno != 0)
        printf(" (errno %d: %s)", errno, strerror(errno));
    printf("\n");
    fflush(stdout);
    errno = 0;
    return cond;
}

static int done(void)
{
    printf("xenshare: done %u passed, %u failed\n", tests - failures, failures);
    fflush(stdout);
    return (int)failures;
}

/* The next event on the evtchn device within WAIT_MS, unmasked again; 0 on time-out. */
static uint32_t wait_event(int evfd)
{
    struct pollfd p = {.fd = evfd, .events = POLLIN};
    uint32_t port = 0;

    if (poll(&p, 1, WAIT_MS) != 1 || read(evfd, &port, sizeof(port)) != sizeof(port))
        return 0;
    if (write(evfd, &port, sizeof(port)) != sizeof(port)) /* unmask */
        return 0;
    return port;
}

static int offer(domid_t peer)
{
    struct ioctl_gntalloc_alloc_gref alloc = {
        .domid = peer, .flags = GNTALLOC_FLAG_WRITABLE, .count = 1};
    struct ioctl_evtchn_bind_unbound_port unbound = {.remote_domain = peer};
    struct ioctl_evtchn_notify notify;
    int gfd = open("/dev/xen/gntalloc", O_RDWR), evfd = open("/dev/xen/evtchn", O_RDWR);
    char *page = MAP_FAILED;
    int port = -1;
    uint32_t got;

    if (!check(gfd >= 0 && evfd >= 0, "offer: /dev/xen/gntalloc and /dev/xen/evtchn open"))
        return done();
    if (check(ioctl(gfd, IOCTL_GNTALLOC_ALLOC_GREF, &alloc) == 0,
              "offer: a page granted to d%u (gntalloc)", peer))
        page = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, gfd, (off_t)alloc.index);
    if (!check(page != MAP_FAILED, "offer: the granted page mapped here"))
        return done();
    strcpy(page, OFFER_TEXT);
    port = ioctl(evfd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &unbound);
    if (!check(port > 0, "offer: an unbound port for d%u (evtchn)", peer))
        return done();
    /* The test reads this line and types it to the other domain. */
    printf("xenshare: offer gref=%u port=%d\n", alloc.gref_ids[0], port);
    fflush(stdout);

    got = wait_event(evfd);
    check(got == (uint32_t)port, "offer: d%u's event arrived on our port %d", peer, port);
    check(strcmp(page, TAKE_TEXT) == 0, "offer: d%u wrote into the granted page: \"%.60s\"", peer,
          page);
    notify.port = (unsigned int)port;
    check(ioctl(evfd, IOCTL_EVTCHN_NOTIFY, &notify) == 0, "offer: answered with an event");
    return done();
}

/* The balloon's count of the domain's memory, in KiB (-1: no balloon in sysfs). */
static long balloon_kb(void)
{
    FILE *f = fopen("/sys/devices/system/xen_memory/xen_memory0/info/current_kb", "r");
    long kb = -1;

    if (f != NULL) {
        if (fscanf(f, "%ld", &kb) != 1)
            kb = -1;
        fclose(f);
    }
    return kb;
}

static int take(domid_t peer, uint32_t ref, uint32_t rport)
{
    struct ioctl_evtchn_bind_interdomain bind = {.remote_domain = peer, .remote_port = rport};
    struct ioctl_gntdev_map_grant_ref map = {.count = 1, .refs = {{.domid = peer, .ref = ref}}};
    struct ioctl_gntdev_unmap_grant_ref unmap = {.count = 1};
    struct ioctl_evtchn_notify notify;
    int gfd = open("/dev/xen/gntdev", O_RDWR), evfd = open("/dev/xen/evtchn", O_RDWR), port;
    char *page = MAP_FAILED;
    long kb_before = balloon_kb(), kb_after;

    if (!check(gfd >= 0 && evfd >= 0, "take: /dev/xen/gntdev and /dev/xen/evtchn open"))
        return done();
    port = ioctl(evfd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
    check(port > 0, "take: bound to d%u's port %u (evtchn)", peer, rport);
    if (check(ioctl(gfd, IOCTL_GNTDEV_MAP_GRANT_REF, &map) == 0,
              "take: d%u's grant %u added (gntdev)", peer, ref))
        page = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, gfd, (off_t)map.index);
    /* gntdev maps into a page it took from the balloon: one page given back to Xen. */
    kb_after = balloon_kb();
    check(kb_before > 0 && kb_after == kb_before - PAGE_BYTES / 1024,
          "take: the balloon gave a page back to map into (current_kb %ld -> %ld)", kb_before,
          kb_after);
    if (check(page != MAP_FAILED, "take: d%u's page mapped here", peer)) {
        check(strcmp(page, OFFER_TEXT) == 0, "take: it holds d%u's bytes: \"%.60s\"", peer, page);
        strcpy(page, TAKE_TEXT);
        check(munmap(page, PAGE_BYTES) == 0, "take: unmapped");
    }
    unmap.index = map.index;
    check(ioctl(gfd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap) == 0, "take: grant released (gntdev)");
    notify.port = (unsigned int)port;
    check(port > 0 && ioctl(evfd, IOCTL_EVTCHN_NOTIFY, &notify) == 0, "take: event sent to d%u",
          peer);
    check(port > 0 && wait_event(evfd) == (uint32_t)port, "take: d%u's answer arrived", peer);
    return done();
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "offer") == 0)
        return offer((domid_t)strtoul(argv[2], NULL, 0));
    if (argc == 5 && strcmp(argv[1], "take") == 0)
        return take((domid_t)strtoul(argv[2], NULL, 0), (uint32_t)strtoul(argv[3], NULL, 0),
                    (uint32_t)strtoul(argv[4], NULL, 0));
    fprintf(stderr, "usage: xenshare offer DOMID | xenshare take DOMID REF PORT\n");
    return 2;
}
