/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The wall clock every domain sees in its shared_info (xen/common/wallclock.c).
 *
 * As in Xen, the wall clock is the wall time at the hypervisor's system time 0
 * (arch_now_ns() == 0): a guest adds its own system time to it (x86: its pvclock; Arm:
 * its virtual counter, which minixen does not offset) to get the time of day. It comes
 * from the board's real-time clock, read once at boot through the driver's rtc_ops.
 * The RTC counts whole seconds, so the wall clock may be up to a second behind.
 */
#ifndef MINIXEN_WALLCLOCK_H
#define MINIXEN_WALLCLOCK_H

#include <xen/types.h>

struct domain;

/* A real-time clock, as its driver (xen/drivers/rtc/) offers it. */
struct rtc_ops {
    const char *name; /* for the boot log: "pl031", "cmos" */
    /* The time now, in whole seconds since 1970-01-01T00:00:00Z: 0, or a negative errno. */
    int (*read_seconds)(uint64_t *seconds);
};

/*
 * Once, at boot, after the port's clock runs (arch_now_ns) and before the first domain
 * is created: read rtc once (NULL: the board has none) and keep the wall time at system
 * time 0. Prints one "wallclock:" line; without an RTC, when it fails, or when it says a
 * time before the hypervisor's own uptime, the wall clock stays 0 (1970) and the line
 * says why.
 */
void wallclock_init(const struct rtc_ops *rtc);

/* The wall time at system time 0: seconds since 1970 and nanoseconds (< 10^9). */
void wallclock_get(uint64_t *sec, uint32_t *nsec);

/*
 * Write the wall clock into d's shared_info: wc_sec, wc_nsec and wc_sec_hi (where d's
 * layout keeps it) between wc_version made odd and made even again, with fences, so a
 * guest that reads under the version protocol never sees a torn value. The version is
 * counted in d->wc_version, never read back from the guest's page. domain_create() and
 * domain_reset() call it, so a domain has it from its first instruction in every life.
 */
void wallclock_publish(struct domain *d);

#endif
