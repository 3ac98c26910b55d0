/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Calendar dates to seconds since 1970 (xen/common/lib/calendar.c), what the CMOS clock's
 * fields become: checked against the C library's timegm() day by day from 1970 to 2500
 * and at random instants up to 9999, at the instants that break 32-bit counters, around
 * the leap-year rules' exceptions, and for fields no calendar has.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <xen/calendar.h>
#include "test_util.h"

#define DAY 86400ull

static struct calendar_time date(uint32_t y, uint8_t mo, uint8_t d, uint8_t h, uint8_t mi,
                                 uint8_t s)
{
    return (struct calendar_time){
        .year = y, .month = mo, .day = d, .hour = h, .minute = mi, .second = s};
}

static uint64_t epoch(uint32_t y, uint8_t mo, uint8_t d, uint8_t h, uint8_t mi, uint8_t s)
{
    struct calendar_time t = date(y, mo, d, h, mi, s);
    uint64_t secs = ~0ull;

    assert_true(calendar_to_epoch(&t, &secs));
    return secs;
}

/* The C library's answer for the same fields (its own, independent arithmetic). */
static uint64_t libc_epoch(const struct calendar_time *t)
{
    struct tm tm = {.tm_year = (int)t->year - 1900,
                    .tm_mon = t->month - 1,
                    .tm_mday = t->day,
                    .tm_hour = t->hour,
                    .tm_min = t->minute,
                    .tm_sec = t->second};

    return (uint64_t)timegm(&tm);
}

static void test_epoch_and_32bit_limits(void **state)
{
    (void)state;
    assert_int_equal(epoch(1970, 1, 1, 0, 0, 0), 0);
    assert_int_equal(epoch(1970, 1, 1, 23, 59, 59), DAY - 1);
    assert_int_equal(epoch(1970, 1, 2, 0, 0, 0), DAY);
    /* Where a signed 32-bit time_t ends, and where wc_sec alone does (wc_sec_hi then 1). */
    assert_int_equal(epoch(2038, 1, 19, 3, 14, 7), (1ull << 31) - 1);
    assert_int_equal(epoch(2038, 1, 19, 3, 14, 8), 1ull << 31);
    assert_int_equal(epoch(2106, 2, 7, 6, 28, 15), (1ull << 32) - 1);
    assert_int_equal(epoch(2106, 2, 7, 6, 28, 16), 1ull << 32);
}

static void test_leap_years(void **state)
{
    struct calendar_time t;
    uint64_t secs = 42;

    (void)state;
    /* Every fourth year; not centuries; but every fourth century. */
    assert_true(calendar_is_leap_year(2024));
    assert_false(calendar_is_leap_year(2023));
    assert_false(calendar_is_leap_year(2100));
    assert_false(calendar_is_leap_year(1900));
    assert_true(calendar_is_leap_year(2000));
    assert_true(calendar_is_leap_year(2400));

    assert_int_equal(epoch(2000, 3, 1, 0, 0, 0) - epoch(2000, 2, 28, 0, 0, 0), 2 * DAY);
    assert_int_equal(epoch(2024, 3, 1, 0, 0, 0) - epoch(2024, 2, 29, 0, 0, 0), DAY);
    /* 2100 is the first year after 1970 that a "divisible by 4" rule gets wrong. */
    t = date(2100, 2, 29, 0, 0, 0);
    assert_false(calendar_to_epoch(&t, &secs));
    assert_int_equal(secs, 42);
    assert_int_equal(epoch(2100, 3, 1, 0, 0, 0) - epoch(2100, 2, 28, 0, 0, 0), DAY);
    assert_int_equal(epoch(2101, 1, 1, 0, 0, 0) - epoch(2100, 1, 1, 0, 0, 0), 365 * DAY);
    assert_int_equal(epoch(2401, 1, 1, 0, 0, 0) - epoch(2400, 1, 1, 0, 0, 0), 366 * DAY);
}

static void test_every_day_against_libc(void **state)
{
    static const uint8_t month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    uint64_t prev = 0, days = 0;

    (void)state;
    for (uint32_t y = 1970; y <= 2500; y++) {
        for (uint8_t m = 1; m <= 12; m++) {
            uint8_t last = month_days[m - 1] + (m == 2 && calendar_is_leap_year(y));

            for (uint8_t d = 1; d <= last; d++) {
                struct calendar_time t = date(y, m, d, 0, 0, 0);
                uint64_t secs;

                assert_true(calendar_to_epoch(&t, &secs));
                assert_int_equal(secs, libc_epoch(&t));
                if (days++ > 0)
                    assert_int_equal(secs - prev, DAY);
                prev = secs;
            }
        }
    }
}

static void test_random_instants_against_libc(void **state)
{
    static const uint8_t month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    uint64_t rng = 0x243f6a8885a308d3ull; /* fixed: a failure reproduces */

    (void)state;
    for (unsigned int i = 0; i < 200000; i++) {
        struct calendar_time t;
        uint64_t secs;

        t.year = 1970 + (uint32_t)(rnd(&rng) % (9999 - 1970 + 1));
        t.month = (uint8_t)(1 + rnd(&rng) % 12);
        t.day = (uint8_t)(1 + rnd(&rng) % (month_days[t.month - 1] +
                                           (t.month == 2 && calendar_is_leap_year(t.year))));
        t.hour = (uint8_t)(rnd(&rng) % 24);
        t.minute = (uint8_t)(rnd(&rng) % 60);
        t.second = (uint8_t)(rnd(&rng) % 60);
        assert_true(calendar_to_epoch(&t, &secs));
        assert_int_equal(secs, libc_epoch(&t));
    }
    assert_int_equal(epoch(9999, 12, 31, 23, 59, 59),
                     libc_epoch(&(struct calendar_time){9999, 12, 31, 23, 59, 59}));
}

static void test_refuses_what_no_calendar_has(void **state)
{
    static const struct calendar_time bad[] = {
        {1969, 12, 31, 23, 59, 59}, /* before the epoch */
        {10000, 1, 1, 0, 0, 0},     /* beyond 9999 */
        {0, 1, 1, 0, 0, 0},         {2024, 0, 1, 0, 0, 0},  {2024, 13, 1, 0, 0, 0},
        {2024, 1, 0, 0, 0, 0},      {2024, 1, 32, 0, 0, 0}, {2024, 4, 31, 0, 0, 0},
        {2023, 2, 29, 0, 0, 0},     {2024, 2, 30, 0, 0, 0}, {2024, 1, 1, 24, 0, 0},
        {2024, 1, 1, 0, 60, 0},     {2024, 1, 1, 0, 0, 60}, {2024, 0xff, 0xff, 0xff, 0xff, 0xff},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        uint64_t secs = 7;

        assert_false(calendar_to_epoch(&bad[i], &secs));
        assert_int_equal(secs, 7);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_epoch_and_32bit_limits),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_every_day_against_libc),
        cmocka_unit_test(test_random_instants_against_libc),
        cmocka_unit_test(test_refuses_what_no_calendar_has),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
