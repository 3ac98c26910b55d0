/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86 CMOS RTC driver (xen/drivers/rtc/cmos.c) against a fake MC146818 on ports
 * 0x70/0x71 (tests/host/fake_pc): BCD and binary fields, 12- and 24-hour clocks, the
 * FADT's century register or none, an update that falls between two reads, an update
 * flag that never clears, a dead battery and fields that make no date. Every port access
 * moves the harness clock on by a microsecond, so the driver's bounded waits end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <asm/setup.h>
#include <xen/calendar.h>
#include <xen/errno.h>
#include <xen/wallclock.h>
#include "test_util.h"
#include "../../xen/drivers/rtc/cmos_regs.h"

#define CENTURY 0x32 /* where QEMU's FADT says it is */

/* ---- The fake chip ------------------------------------------------------------------------ */

static uint8_t cmos[128];
static uint8_t latch;
static bool nmi_masked;        /* an index written with bit 7 set */
static unsigned int uip_reads; /* status A reads that still show an update in progress */
static bool uip_stuck;
static unsigned int roll_at; /* after this many seconds reads, the fields roll over */
static unsigned int seconds_reads;
static uint8_t rolled[128]; /* ... to these */

uint8_t fake_pc_inb(uint16_t port)
{
    uint8_t reg = latch & 0x7f;

    harness_advance(1000);
    if (port != 0x71)
        return 0xff;
    if (reg == REG_A) {
        bool uip = uip_stuck || uip_reads > 0;

        if (uip_reads > 0)
            uip_reads--;
        return (uint8_t)((cmos[REG_A] & 0x7f) | (uip ? 0x80 : 0));
    }
    if (reg == REG_SECONDS && roll_at != 0 && ++seconds_reads == roll_at) {
        uint8_t before = cmos[reg];

        memcpy(cmos, rolled, sizeof(cmos)); /* the update lands right after this read */
        return before;
    }
    return cmos[reg];
}

void fake_pc_outb(uint16_t port, uint8_t v)
{
    harness_advance(1000);
    if (port == 0x70) {
        latch = v;
        nmi_masked |= (v & 0x80) != 0;
    }
}

static uint8_t bcd(unsigned int v)
{
    return (uint8_t)((v / 10) << 4 | v % 10);
}

/* Set the chip's fields: BCD unless binary, 24-hour unless h12 (hour then 1-12 + PM bit). */
static void set_time(uint8_t *regs, bool binary, bool h12, unsigned int year, unsigned int month,
                     unsigned int day, unsigned int hour, unsigned int min, unsigned int sec)
{
#define ENC(v) (binary ? (uint8_t)(v) : bcd(v))
    regs[REG_B] = (uint8_t)((binary ? B_BINARY : 0) | (h12 ? 0 : B_24H));
    regs[REG_D] = 0x80; /* valid RAM and time */
    regs[REG_SECONDS] = ENC(sec);
    regs[REG_MINUTES] = ENC(min);
    if (h12)
        regs[REG_HOURS] = (uint8_t)(ENC(hour % 12 == 0 ? 12 : hour % 12) | (hour >= 12 ? 0x80 : 0));
    else
        regs[REG_HOURS] = ENC(hour);
    regs[REG_DAY] = ENC(day);
    regs[REG_MONTH] = ENC(month);
    regs[REG_YEAR] = ENC(year % 100);
    regs[CENTURY] = ENC(year / 100);
#undef ENC
}

static uint64_t epoch(unsigned int year, unsigned int month, unsigned int day, unsigned int hour,
                      unsigned int min, unsigned int sec)
{
    struct calendar_time t = {year,          (uint8_t)month, (uint8_t)day,
                              (uint8_t)hour, (uint8_t)min,   (uint8_t)sec};
    uint64_t s = 0;

    assert_true(calendar_to_epoch(&t, &s));
    return s;
}

static int rtc_read(uint8_t century_index, uint64_t *secs)
{
    const struct rtc_ops *ops = cmos_rtc_probe(century_index);

    assert_non_null(ops);
    assert_string_equal(ops->name, "cmos");
    return ops->read_seconds(secs);
}

static int setup(void **state)
{
    (void)state;
    memset(cmos, 0, sizeof(cmos));
    memset(rolled, 0, sizeof(rolled));
    latch = 0;
    nmi_masked = false;
    uip_reads = 0;
    uip_stuck = false;
    roll_at = 0;
    seconds_reads = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_false(nmi_masked); /* the driver never touched the NMI mask */
    harness_reset();
    return 0;
}

/* ---- Tests --------------------------------------------------------------------------------- */

static void test_bcd_and_binary_24h(void **state)
{
    uint64_t s = 0;

    (void)state;
    set_time(cmos, false, false, 2024, 2, 29, 13, 45, 30);
    assert_int_equal(rtc_read(CENTURY, &s), 0);
    assert_int_equal(s, epoch(2024, 2, 29, 13, 45, 30));

    set_time(cmos, true, false, 2038, 1, 19, 3, 14, 8);
    assert_int_equal(rtc_read(CENTURY, &s), 0);
    assert_int_equal(s, 1ull << 31);
}

static void test_12_hour_clock(void **state)
{
    static const unsigned int hours[] = {0, 1, 11, 12, 13, 23};
    uint64_t s = 0;

    (void)state;
    for (unsigned int binary = 0; binary < 2; binary++) {
        for (size_t i = 0; i < ARRAY_SIZE(hours); i++) {
            set_time(cmos, binary, true, 2031, 7, 4, hours[i], 5, 6);
            assert_int_equal(rtc_read(CENTURY, &s), 0);
            assert_int_equal(s, epoch(2031, 7, 4, hours[i], 5, 6));
        }
    }
    /* 12 AM is midnight, not noon; there is no hour 0 on a 12-hour clock. */
    set_time(cmos, false, true, 2031, 7, 4, 0, 0, 0);
    assert_int_equal(cmos[REG_HOURS], 0x12);
    cmos[REG_HOURS] = 0x00;
    assert_int_equal(rtc_read(CENTURY, &s), -EIO);
}

static void test_century(void **state)
{
    uint64_t s = 0;

    (void)state;
    /* The century register takes the clock past 2099... */
    set_time(cmos, false, false, 2100, 3, 1, 0, 0, 0);
    assert_int_equal(rtc_read(CENTURY, &s), 0);
    assert_int_equal(s, epoch(2100, 3, 1, 0, 0, 0));
    /* ...without one (the FADT names none, or a clock register), the years are 20xx. */
    assert_int_equal(rtc_read(0, &s), 0);
    assert_int_equal(s, epoch(2000, 3, 1, 0, 0, 0));
    assert_int_equal(rtc_read(REG_YEAR, &s), 0);
    assert_int_equal(s, epoch(2000, 3, 1, 0, 0, 0));
    /* A century register holding no plausible century is not believed. */
    set_time(cmos, false, false, 2025, 6, 1, 0, 0, 0);
    cmos[CENTURY] = 0x00;
    assert_int_equal(rtc_read(CENTURY, &s), 0);
    assert_int_equal(s, epoch(2025, 6, 1, 0, 0, 0));
}

static void test_update_between_reads(void **state)
{
    uint64_t s = 0;

    (void)state;
    /* New Year 2099 -> 2100 lands after the first read of the seconds: every field moves. */
    set_time(cmos, false, false, 2099, 12, 31, 23, 59, 59);
    set_time(rolled, false, false, 2100, 1, 1, 0, 0, 0);
    roll_at = 1;
    assert_int_equal(rtc_read(CENTURY, &s), 0);
    assert_int_equal(s, epoch(2100, 1, 1, 0, 0, 0));
    assert_true(seconds_reads >= 3); /* the torn pair was read again */
}

static void test_update_in_progress(void **state)
{
    uint64_t s = 0;

    (void)state;
    set_time(cmos, false, false, 2030, 1, 2, 3, 4, 5);
    uip_reads = 20;
    assert_int_equal(rtc_read(CENTURY, &s), 0);
    assert_int_equal(s, epoch(2030, 1, 2, 3, 4, 5));
    /* A flag that never clears: given up after the bounded wait. */
    uip_stuck = true;
    s = 7;
    assert_int_equal(rtc_read(CENTURY, &s), -ETIMEDOUT);
    assert_int_equal(s, 7);
}

static void test_fields_that_mean_nothing(void **state)
{
    uint64_t s = 7;

    (void)state;
    /* A dead battery. */
    set_time(cmos, false, false, 2030, 1, 2, 3, 4, 5);
    cmos[REG_D] = 0;
    assert_int_equal(rtc_read(CENTURY, &s), -EIO);
    /* A BCD digit above 9. */
    set_time(cmos, false, false, 2030, 1, 2, 3, 4, 5);
    cmos[REG_MINUTES] = 0x1a;
    assert_int_equal(rtc_read(CENTURY, &s), -EIO);
    /* 31 April; 29 February 2100. */
    set_time(cmos, false, false, 2030, 4, 30, 0, 0, 0);
    cmos[REG_DAY] = 0x31;
    assert_int_equal(rtc_read(CENTURY, &s), -EIO);
    set_time(cmos, false, false, 2100, 2, 28, 0, 0, 0);
    cmos[REG_DAY] = 0x29;
    assert_int_equal(rtc_read(CENTURY, &s), -EIO);
    /* A binary year above 99. */
    set_time(cmos, true, false, 2030, 1, 2, 3, 4, 5);
    cmos[REG_YEAR] = 100;
    assert_int_equal(rtc_read(CENTURY, &s), -EIO);
    assert_int_equal(s, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_bcd_and_binary_24h),   T(test_12_hour_clock),      T(test_century),
        T(test_update_between_reads), T(test_update_in_progress), T(test_fields_that_mean_nothing),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
