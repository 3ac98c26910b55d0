/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The wall clock in shared_info (xen/common/wallclock.c): the wall time at system time 0
 * from one RTC reading, in every guest layout (wc_sec_hi in shared_info for ARM and
 * x86_64, in arch_shared_info for x86_32), under the version protocol, again after a
 * domain's reset, never trusting what the guest left in the page; and the boot-log line
 * when there is no usable RTC. A reader thread checks it never sees a torn value.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/wallclock.h>
#include "test_util.h"

#define NS_PER_S 1000000000ull

/* A fake RTC: reads `rtc_now`, or fails with `rtc_error`. */
static uint64_t rtc_now;
static int rtc_error;
static unsigned int rtc_reads;

static int fake_read(uint64_t *seconds)
{
    rtc_reads++;
    if (rtc_error != 0)
        return rtc_error;
    *seconds = rtc_now;
    return 0;
}

static const struct rtc_ops fake_rtc = {.name = "fake", .read_seconds = fake_read};

static int setup(void **state)
{
    (void)state;
    rtc_now = 0;
    rtc_error = 0;
    rtc_reads = 0;
    free(harness_take_console());
    return 0;
}

/* What a guest reads under the version protocol, by the public layout of d's kind. */
struct wc_view {
    uint32_t version, nsec;
    uint64_t sec;
};

static struct wc_view guest_view(struct domain *d)
{
    struct wc_view w;

    if (d->guest_layout == &guest_layout_x86_32) {
        struct shared_info_x86_32 *s = d->shared_info;

        w = (struct wc_view){s->wc_version, s->wc_nsec,
                             (uint64_t)s->arch.wc_sec_hi << 32 | s->wc_sec};
    } else if (d->guest_layout == &guest_layout_x86_64) {
        struct shared_info_x86_64 *s = d->shared_info;

        w = (struct wc_view){s->wc_version, s->wc_nsec, (uint64_t)s->wc_sec_hi << 32 | s->wc_sec};
    } else {
        struct shared_info_arm *s = d->shared_info;

        w = (struct wc_view){s->wc_version, s->wc_nsec, (uint64_t)s->wc_sec_hi << 32 | s->wc_sec};
    }
    return w;
}

static bool console_says(const char *needle)
{
    char *out = harness_take_console();
    bool found = out != NULL && strstr(out, needle) != NULL;

    if (!found)
        print_message("console: %s\n", out != NULL ? out : "(none)");
    free(out);
    return found;
}

static void test_wall_time_at_system_time_zero(void **state)
{
    uint64_t sec;
    uint32_t nsec;

    (void)state;
    /* Read at system time 5.25 s: system time 0 was 5.25 s before the RTC's second. */
    harness_set_now(5 * NS_PER_S + 250000000);
    rtc_now = 1700000000;
    wallclock_init(&fake_rtc);
    assert_int_equal(rtc_reads, 1);
    wallclock_get(&sec, &nsec);
    assert_int_equal(sec, 1700000000 - 6);
    assert_int_equal(nsec, 750000000);
    assert_true(console_says("wallclock: fake RTC says 1700000000 s since 1970"));

    /* Exactly on a second. */
    harness_set_now(3 * NS_PER_S);
    wallclock_init(&fake_rtc);
    wallclock_get(&sec, &nsec);
    assert_int_equal(sec, 1700000000 - 3);
    assert_int_equal(nsec, 0);
}

static void test_every_layout(void **state)
{
    const struct guest_layout *layouts[] = {&guest_layout_arm, &guest_layout_x86_64,
                                            &guest_layout_x86_32};

    (void)state;
    /* Past 2106: wc_sec alone no longer holds it; wc_sec_hi is 1. */
    harness_set_now(NS_PER_S / 2);
    rtc_now = (1ull << 32) + 1000;
    wallclock_init(&fake_rtc);
    for (unsigned int i = 0; i < ARRAY_SIZE(layouts); i++) {
        struct domain *d = harness_domain((domid_t)i, 1, i == 0, layouts[i]);
        struct wc_view w;

        assert_non_null(d);
        w = guest_view(d);
        assert_int_equal(w.version % 2, 0);
        assert_int_not_equal(w.version, 0); /* written, not just zeroed */
        assert_int_equal(w.sec, (1ull << 32) + 1000 - 1);
        assert_int_equal(w.nsec, NS_PER_S / 2);
    }
}

static void test_no_usable_rtc(void **state)
{
    struct domain *d;
    struct wc_view w;
    uint64_t sec;
    uint32_t nsec;

    (void)state;
    harness_set_now(2 * NS_PER_S);
    wallclock_init(NULL);
    assert_true(console_says("wallclock: no RTC on this board: guests see 1970 at boot"));
    wallclock_get(&sec, &nsec);
    assert_int_equal(sec, 0);
    assert_int_equal(nsec, 0);

    rtc_now = 1700000000;
    wallclock_init(&fake_rtc);
    rtc_error = -EIO;
    wallclock_init(&fake_rtc); /* a failed read does not keep the last good one */
    assert_true(console_says("wallclock: fake RTC unreadable (-5): guests see 1970 at boot"));
    wallclock_get(&sec, &nsec);
    assert_int_equal(sec, 0);
    assert_int_equal(nsec, 0);

    /* An RTC that says 1 s since 1970 after 2 s of uptime: garbage, not a negative time. */
    rtc_error = 0;
    rtc_now = 1;
    wallclock_init(&fake_rtc);
    assert_true(console_says("less than our uptime: guests see 1970 at boot"));
    wallclock_get(&sec, &nsec);
    assert_int_equal(sec, 0);
    assert_int_equal(nsec, 0);

    d = harness_domain(1, 1, false, &guest_layout_arm);
    assert_non_null(d);
    w = guest_view(d);
    assert_int_equal(w.version % 2, 0);
    assert_int_equal(w.sec, 0);
    assert_int_equal(w.nsec, 0);
}

static void test_reset_rewrites_whatever_the_guest_left(void **state)
{
    struct domain *d;
    struct shared_info_arm *s;
    struct wc_view before, after;

    (void)state;
    harness_set_now(NS_PER_S);
    rtc_now = 1800000000;
    wallclock_init(&fake_rtc);
    d = harness_domain(1, 1, false, &guest_layout_arm);
    assert_non_null(d);
    before = guest_view(d);

    /* A hostile guest: an odd version, a huge one, garbage fields. */
    s = d->shared_info;
    s->wc_version = 0xffffffff;
    s->wc_sec = 1;
    s->wc_nsec = 0xffffffff;
    s->wc_sec_hi = 0xdead;
    domain_reset(d);
    after = guest_view(d);
    assert_int_equal(after.version % 2, 0);
    /* Counted by the hypervisor, so a reader that started before the reset retries. */
    assert_int_equal(after.version, before.version + 2);
    assert_int_equal(after.sec, 1800000000 - 1);
    assert_int_equal(after.nsec, 0);

    /* Publishing again moves the version on by one odd and one even step. */
    s->wc_version = 12345;
    wallclock_publish(d);
    assert_int_equal(guest_view(d).version, before.version + 4);
}

/* ---- A guest reading while the hypervisor writes ------------------------------------------ */

#define WRITES 4000

struct reader {
    struct domain *d;
    bool started, stop; /* atomic */
    unsigned long reads, retries, torn;
};

/*
 * Reads as a guest does: version, fields, version; retry while odd or changed. Once told
 * to stop it reads once more, so it always ends with a read of the final value.
 */
static void *reader_thread(void *arg)
{
    struct reader *r = arg;
    struct shared_info_arm *s = r->d->shared_info;
    bool last = false;

    __atomic_store_n(&r->started, true, __ATOMIC_RELEASE);
    while (!last) {
        last = __atomic_load_n(&r->stop, __ATOMIC_ACQUIRE);
        uint32_t v1 = __atomic_load_n(&s->wc_version, __ATOMIC_ACQUIRE), v2;
        uint64_t sec = (uint64_t)__atomic_load_n(&s->wc_sec_hi, __ATOMIC_RELAXED) << 32 |
                       __atomic_load_n(&s->wc_sec, __ATOMIC_RELAXED);

        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        v2 = __atomic_load_n(&s->wc_version, __ATOMIC_RELAXED);
        if ((v1 & 1) != 0 || v1 != v2) {
            r->retries++;
            continue;
        }
        r->reads++;
        /* The writer alternates 2^32 - 1 and 2^32: a torn read gives 0 or 2^33 - 1. */
        if (sec != (1ull << 32) - 1 && sec != 1ull << 32)
            r->torn++;
    }
    return NULL;
}

static void test_reader_never_sees_a_torn_value(void **state)
{
    struct reader r = {0};
    pthread_t t;

    (void)state;
    harness_set_now(0);
    rtc_now = (1ull << 32) - 1;
    wallclock_init(&fake_rtc);
    r.d = harness_domain(1, 1, false, &guest_layout_arm);
    assert_non_null(r.d);
    assert_int_equal(pthread_create(&t, NULL, reader_thread, &r), 0);
    while (!__atomic_load_n(&r.started, __ATOMIC_ACQUIRE))
        sched_yield();
    for (unsigned int i = 0; i < WRITES; i++) {
        rtc_now = (1ull << 32) - (i % 2);
        wallclock_init(&fake_rtc);
        for (unsigned int j = 0; j < 16; j++) /* back to back: the reader must retry */
            wallclock_publish(r.d);
    }
    __atomic_store_n(&r.stop, true, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    free(harness_take_console());
    print_message("reader: %lu consistent reads, %lu retries\n", r.reads, r.retries);
    assert_int_equal(r.torn, 0);
    assert_true(r.reads > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, harness_teardown)
        T(test_wall_time_at_system_time_zero),
        T(test_every_layout),
        T(test_no_usable_rtc),
        T(test_reset_rewrites_whatever_the_guest_left),
        T(test_reader_never_sees_a_torn_value),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
