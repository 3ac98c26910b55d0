/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Calendar dates (proleptic Gregorian, UTC) as seconds since the Unix epoch,
 * 1970-01-01T00:00:00Z: what a real-time clock that counts in calendar fields (the PC's
 * CMOS clock) gives, in the unit the wall clock is kept in (xen/common/lib/calendar.c).
 */
#ifndef MINIXEN_CALENDAR_H
#define MINIXEN_CALENDAR_H

#include <xen/types.h>

struct calendar_time {
    uint32_t year;  /* 1970..9999 */
    uint8_t month;  /* 1..12 */
    uint8_t day;    /* 1..days in that month */
    uint8_t hour;   /* 0..23 */
    uint8_t minute; /* 0..59 */
    uint8_t second; /* 0..59: no RTC reports a leap second */
};

/*
 * The seconds since the epoch of t, which must be a date that exists (no 31 April, no
 * 29 February outside leap years) between 1970 and 9999; false otherwise, *seconds
 * untouched. Leap years: every fourth, except centuries not divisible by 400.
 */
bool calendar_to_epoch(const struct calendar_time *t, uint64_t *seconds);

bool calendar_is_leap_year(uint32_t year);

#endif
