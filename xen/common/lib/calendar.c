/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Calendar date to seconds since 1970 (xen/include/xen/calendar.h). Counted, not looked
 * up: the whole years since 1970 with their leap days, the whole months of this year,
 * the days, then the time of day. Years stop at 9999 so that nothing here can overflow
 * (9999-12-31 is about 2.5e11 s) and a register full of garbage is refused, not believed.
 */
#include <xen/calendar.h>

#define EPOCH_YEAR   1970
#define LAST_YEAR    9999
#define SECS_PER_DAY 86400ull

/* Days before the first of each month in a common year. */
static const uint16_t days_before_month[12] = {0,   31,  59,  90,  120, 151,
                                               181, 212, 243, 273, 304, 334};
static const uint8_t days_in_month[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

bool calendar_is_leap_year(uint32_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Leap years among 1 .. year-1. */
static uint64_t leap_years_before(uint32_t year)
{
    uint64_t y = year - 1;

    return y / 4 - y / 100 + y / 400;
}

static bool valid(const struct calendar_time *t)
{
    unsigned int month_days;

    if (t->year < EPOCH_YEAR || t->year > LAST_YEAR || t->month < 1 || t->month > 12)
        return false;
    month_days = days_in_month[t->month - 1] + (t->month == 2 && calendar_is_leap_year(t->year));
    return t->day >= 1 && t->day <= month_days && t->hour < 24 && t->minute < 60 && t->second < 60;
}

bool calendar_to_epoch(const struct calendar_time *t, uint64_t *seconds)
{
    uint64_t days;

    if (!valid(t))
        return false;
    days = 365ull * (t->year - EPOCH_YEAR) + leap_years_before(t->year) -
           leap_years_before(EPOCH_YEAR);
    days += days_before_month[t->month - 1];
    if (t->month > 2 && calendar_is_leap_year(t->year))
        days++; /* this year's 29 February is behind us */
    days += t->day - 1u;
    *seconds = days * SECS_PER_DAY + t->hour * 3600u + t->minute * 60u + t->second;
    return true;
}
