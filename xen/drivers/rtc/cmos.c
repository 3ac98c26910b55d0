/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The PC's CMOS real-time clock (MC146818 and its descendants, ports 0x70/0x71): the wall
 * clock's source on x86. It keeps calendar fields, not a count:
 *
 *   - in BCD or binary, as status register B's DM bit says, and the hour in 24-hour or
 *     12-hour form (bit 7 of the hour then means PM, and 12 AM is hour 0);
 *   - only two digits of year; the century is in another register whose index the ACPI
 *     FADT gives (0: none, and the year is taken to be 20xx);
 *   - in UTC, as QEMU and Linux keep it (a clock kept in local time would be off by the
 *     zone: the hypervisor knows no zone);
 *   - while status A's UIP bit is set the fields are being updated and may be torn, so
 *     each read waits for it to clear (for at most UIP_WAIT_NS: the update takes about
 *     2 ms) and is taken twice; the two must agree, else it is read again (bounded).
 *
 * Status D's VRT bit clear means the battery died and the fields mean nothing. Fields that
 * make no date (BCD digits above 9, 31 April) are refused rather than believed. Read once
 * at boot (wallclock_init), before the guests run.
 */
#include <asm/setup.h>
#include <xen/arch_hooks.h>
#include <xen/calendar.h>
#include <xen/errno.h>
#include <xen/wallclock.h>

#include "cmos_regs.h"

#define UIP_WAIT_NS 10000000ull /* 10 ms: five times the longest update */
#define MAX_TRIES   8           /* pairs of reads that must agree */

static uint8_t century_reg;

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

struct cmos_fields {
    uint8_t sec, min, hour, day, month, year, century;
};

/* Wait until no update is in progress; false after UIP_WAIT_NS. */
static bool wait_update_done(void)
{
    uint64_t deadline = arch_now_ns() + UIP_WAIT_NS;

    while (cmos_read(REG_A) & A_UIP)
        if (arch_now_ns() > deadline)
            return false;
    return true;
}

static void read_fields(struct cmos_fields *f)
{
    f->sec = cmos_read(REG_SECONDS);
    f->min = cmos_read(REG_MINUTES);
    f->hour = cmos_read(REG_HOURS);
    f->day = cmos_read(REG_DAY);
    f->month = cmos_read(REG_MONTH);
    f->year = cmos_read(REG_YEAR);
    f->century = century_reg != 0 ? cmos_read(century_reg) : 0;
}

static bool same(const struct cmos_fields *a, const struct cmos_fields *b)
{
    return a->sec == b->sec && a->min == b->min && a->hour == b->hour && a->day == b->day &&
           a->month == b->month && a->year == b->year && a->century == b->century;
}

/* One field's value; false for a BCD byte with a digit above 9. */
static bool decode(uint8_t raw, bool binary, uint8_t *v)
{
    if (binary) {
        *v = raw;
        return true;
    }
    if ((raw & 0x0f) > 9 || (raw >> 4) > 9)
        return false;
    *v = (uint8_t)((raw >> 4) * 10 + (raw & 0x0f));
    return true;
}

/* Fields in the form status B gives them, to a calendar date; false if they make none. */
static bool to_calendar(const struct cmos_fields *f, uint8_t status_b, struct calendar_time *t)
{
    bool binary = (status_b & B_BINARY) != 0, h24 = (status_b & B_24H) != 0;
    uint8_t hour, year, century = 0;

    if (!decode(f->sec, binary, &t->second) || !decode(f->min, binary, &t->minute) ||
        !decode(f->day, binary, &t->day) || !decode(f->month, binary, &t->month) ||
        !decode(f->year, binary, &year) || year > 99 ||
        !decode(h24 ? f->hour : (uint8_t)(f->hour & ~HOUR_PM), binary, &hour))
        return false;
    if (!h24) {
        if (hour < 1 || hour > 12)
            return false;
        hour = (uint8_t)(hour % 12 + ((f->hour & HOUR_PM) ? 12 : 0));
    }
    t->hour = hour;
    /* A century register that holds no plausible century is not believed either. */
    if (century_reg == 0 || !decode(f->century, binary, &century) || century < 19 || century > 99)
        century = 20;
    t->year = century * 100u + year;
    return true;
}

static int cmos_read_seconds(uint64_t *seconds)
{
    struct cmos_fields a, b;
    struct calendar_time t;
    uint8_t status_b;

    if (!(cmos_read(REG_D) & D_VRT))
        return -EIO; /* its battery died: the fields are whatever they decayed to */
    for (unsigned int i = 0; i < MAX_TRIES; i++) {
        if (!wait_update_done())
            return -ETIMEDOUT;
        read_fields(&a);
        status_b = cmos_read(REG_B);
        if (!wait_update_done())
            return -ETIMEDOUT;
        read_fields(&b);
        if (!same(&a, &b) || cmos_read(REG_B) != status_b)
            continue; /* an update fell between the two: again */
        if (!to_calendar(&a, status_b, &t) || !calendar_to_epoch(&t, seconds))
            return -EIO;
        return 0;
    }
    return -EIO;
}

static const struct rtc_ops cmos_ops = {.name = "cmos", .read_seconds = cmos_read_seconds};

const struct rtc_ops *cmos_rtc_probe(uint8_t century_index)
{
    /* Indexes below 0x0e are the clock's own registers, not RAM: no century there. */
    century_reg = century_index >= 0x0e && century_index < 0x80 ? century_index : 0;
    return &cmos_ops;
}
