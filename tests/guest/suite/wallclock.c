/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The wall clock in shared_info (wc_version, wc_sec, wc_nsec, wc_sec_hi): the wall time
 * at the hypervisor's system time 0. A guest reads it as Linux does: retry while
 * wc_version is odd or changed under the read, then add its own system time. That system
 * time is, as in Linux:
 *   x86:   the vCPU's pvclock (vcpu_info.time: system_time + scaled TSC delta), which is
 *          the hypervisor's system time itself;
 *   arm64: the virtual counter. Xen starts it at the domain's creation and adds the whole
 *          seconds from its boot to then to that domain's wc_sec, so the sum is right to
 *          within a second; minixen does not offset it at all.
 * The host's time at the start of the run comes from the bootargs (now=<epoch seconds>,
 * written by the test scripts); QEMU's RTC starts at the host's UTC time.
 *
 * Two answers are accepted exactly, and the result names the one it saw: the wall clock
 * set (after 2020, agreeing with now=), or never set, so that wall clock + system time
 * counts from 1970 at the hypervisor's boot. Xen on Arm reads no RTC: its global wall
 * clock is 0 until dom0 sets it (XENPF_settime64), and each domain's wc_sec is that plus
 * the whole seconds from Xen's boot to the domain's creation (where its virtual counter
 * starts): measured 0 for dom0 and 0 to 4 for a dom0less domU. Which answer a hypervisor
 * must give is the system test's business, not the guest's.
 *
 * The host's RTC (arm64: the PL031): Xen gives the hardware domain every host device it
 * does not use itself, the PL031 among them, and no domU any; an unmodified Linux dom0 on
 * Arm takes its date from it, never from shared_info. dom0 reads it and compares: with
 * the wall clock set, against wall clock + system time (the same RTC read by the
 * hypervisor at its boot, so within RTC_SLACK_S); never set (Xen), against now=.
 *
 * Nine results.
 */
#include "bootargs.h"
#include "xtest.h"

#define WC_TRIES       1000          /* a writer holds the version odd for a few stores only */
#define EPOCH_2020     1577836800ull /* 2020-01-01T00:00:00Z */
#define NOW_SLACK_S    300           /* QEMU under TCG on a loaded host is slow */
#define UNSET_MAX_S    86400         /* a wall clock never set reads 1970 + the uptime */
#define NS_PER_S       1000000000ull
#define RATE_WINDOW_MS 50
#define RATE_TOLERANCE 20 /* 1/20: 5% */
#define RTC_SLACK_S    3  /* whole-second RTC, read twice, plus a descheduled vCPU */

struct wallclock {
    uint32_t version;
    uint32_t nsec;
    uint64_t sec; /* wc_sec_hi:wc_sec */
};

/* A consistent snapshot of shared_info's wall clock, or false after WC_TRIES torn reads. */
static bool wc_read(struct wallclock *wc, unsigned int *retries)
{
    volatile struct shared_info *s = ev_shared_info;
    unsigned int i;

    for (i = 0; i < WC_TRIES; i++) {
        uint32_t v = __atomic_load_n(&s->wc_version, __ATOMIC_ACQUIRE);

#ifdef __i386__
        wc->sec = (uint64_t)s->arch.wc_sec_hi << 32 | s->wc_sec; /* Xen's 32-bit x86 place */
#else
        wc->sec = (uint64_t)s->wc_sec_hi << 32 | s->wc_sec;
#endif
        wc->nsec = s->wc_nsec;
        __atomic_thread_fence(__ATOMIC_ACQUIRE); /* the fields before the version re-read */
        if ((v & 1) == 0 && v == __atomic_load_n(&s->wc_version, __ATOMIC_RELAXED)) {
            wc->version = v;
            *retries = i;
            return true;
        }
        arch_relax();
    }
    return false;
}

/* ---- pvclock (x86): vcpu_info.time ------------------------------------------------------- */

struct pvclock {
    uint32_t version, mul;
    int8_t shift;
    uint64_t counter; /* the counter value the time was computed for */
};

/*
 * This vCPU's system time in ns from its vcpu_time_info and the counter (the TSC), read
 * under the version protocol; false after WC_TRIES torn reads.
 */
static bool pvclock_read(uint64_t *ns, struct pvclock *pc)
{
    struct vcpu_info *vi = ev_vcpu_info(arch_cpu_id());
    volatile struct vcpu_time_info *t;
    unsigned int i;

    if (vi == NULL)
        return false; /* shared_info was never mapped */
    t = &vi->time;
    for (i = 0; i < WC_TRIES; i++) {
        uint32_t v = __atomic_load_n(&t->version, __ATOMIC_ACQUIRE);
        uint64_t stamp = t->tsc_timestamp, sys = t->system_time, delta;
        uint32_t mul = t->tsc_to_system_mul;
        int8_t shift = t->tsc_shift;
        uint64_t tsc = arch_counter();

        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if ((v & 1) != 0 || v != __atomic_load_n(&t->version, __ATOMIC_RELAXED)) {
            arch_relax();
            continue;
        }
        delta = tsc - stamp;
        delta = shift < 0 ? delta >> -shift : delta << shift;
        *ns = sys + mul_shr32(delta, mul);
        pc->version = v;
        pc->mul = mul;
        pc->shift = shift;
        pc->counter = tsc;
        return true;
    }
    return false;
}

/* The guest's system time as Linux computes it on this architecture (see the top). */
static bool system_time_ns(uint64_t *ns)
{
    struct pvclock pc;

    if (arch_has_pvclock)
        return pvclock_read(ns, &pc) && pc.mul != 0;
    *ns = guest_now_ns();
    return true;
}

/*
 * Two results: the pvclock is published (even version, a scale), and runs at the TSC's rate:
 * between two reads it advances as much as the counter values those reads used say at the
 * frequency of CPUID's TSC leaf (the reads' own counter values, so that the vCPU being
 * descheduled between a read and anything else cannot skew it).
 */
static void check_pvclock(void)
{
    static const char *const what[2] = {
        "pvclock: vcpu_info.time has an even version and a TSC scale",
        "pvclock: advances at the rate of the TSC (CPUID leaf 3's frequency) within 5%",
    };
    struct pvclock pc = {0};
    uint64_t ns0 = 0, ns1 = 0, c0, c1, want, got;
    bool read;

    if (!arch_has_pvclock) {
        tap_skip("Xen on Arm fills no vcpu_time_info: guests use the generic timer", "%s", what[0]);
        tap_skip("Xen on Arm fills no vcpu_time_info: guests use the generic timer", "%s", what[1]);
        return;
    }
    read = pvclock_read(&ns0, &pc);
    if (!tap_ok(read && pc.mul != 0, "%s", what[0]))
        printf("#   %s: version %u mul %u shift %d\n", read ? "read" : "torn", pc.version, pc.mul,
               pc.shift);
    c0 = pc.counter;
    while (arch_counter() - c0 < arch_counter_freq() / 1000 * RATE_WINDOW_MS)
        arch_relax();
    read = read && pvclock_read(&ns1, &pc) && pc.mul != 0;
    c1 = pc.counter;
    want = (c1 - c0) / arch_counter_freq() * NS_PER_S +
           (c1 - c0) % arch_counter_freq() * NS_PER_S / arch_counter_freq();
    got = ns1 - ns0;
    if (!tap_ok(read && ns1 > ns0 && got > want - want / RATE_TOLERANCE &&
                    got < want + want / RATE_TOLERANCE,
                "%s", what[1]))
        printf("#   pvclock advanced %lu ns while the TSC says %lu ns\n", (unsigned long)got,
               (unsigned long)want);
}

/*
 * Two results: the DT gives the host's RTC to the hardware domain only, and what it reads
 * agrees with the wall clock (set: wall, in seconds since 1970; unset: 0) or else now=.
 */
static void check_hwdom_rtc(bool wc_set, uint64_t wall, const char *now_arg, uint64_t now)
{
    static const char *const why_x86 = "x86: dom0's RTC is the CMOS clock behind I/O ports";
    bool hwdom = xt.self == 0;
    uint64_t rtc = 0, base = 0;
    int found = arch_rtc_read(&rtc, &base);
    int64_t off;

    if (!arch_hwdom_rtc_in_dt) {
        tap_skip(why_x86, "RTC: the hardware domain alone is given the host's RTC");
        tap_skip(why_x86, "RTC: it reads the host's time");
        return;
    }
    /* hostrtc=none: the board has no PL031 (ZynqMP's RTC is its own), so nobody gets one. */
    size_t rtc_len;
    const char *rtc_arg = bootarg("hostrtc", &rtc_len);

    if (rtc_arg != NULL && rtc_len == 4 && memcmp(rtc_arg, "none", 4) == 0) {
        tap_ok(found == 0, "RTC: no domain is given a PL031 the host does not have (d%u: %s)",
               xt.self, found == 0 ? "none in its DT" : "one in its DT");
        tap_skip("the host has no PL031", "RTC: it reads the host's time");
        return;
    }
    if (!tap_ok(hwdom ? found == 1 : found == 0,
                "RTC: the hardware domain alone is given the host's PL031 (d%u: %s at 0x%lx)",
                xt.self,
                found == 1   ? "read"
                : found == 0 ? "none in its DT"
                             : "not a device",
                (unsigned long)base) ||
        found != 1) {
        if (hwdom)
            tap_ok(false, "RTC: it reads the host's time");
        else
            tap_skip("a domU has no RTC", "RTC: it reads the host's time");
        return;
    }
    if (wc_set) {
        off = (int64_t)(rtc - wall);
        tap_ok(off >= -RTC_SLACK_S && off <= RTC_SLACK_S,
               "RTC: it reads the host's time: %lu s, wall clock + system time (%lu s) within "
               "%u s: off by %ld s",
               (unsigned long)rtc, (unsigned long)wall, RTC_SLACK_S, (long)off);
    } else if (now_arg != NULL) {
        off = (int64_t)(rtc - now);
        tap_ok(off >= -NOW_SLACK_S && off <= NOW_SLACK_S,
               "RTC: it reads the host's time: %lu s, now= (%lu) within %u s as the wall clock "
               "is not set (Xen on Arm): off by %ld s",
               (unsigned long)rtc, (unsigned long)now, NOW_SLACK_S, (long)off);
    } else {
        tap_skip("no wall clock and no now=<epoch> bootarg", "RTC: it reads the host's time");
    }
}

void area_wallclock(void)
{
    const char *now_arg = bootarg("now", NULL);
    uint64_t now = bootarg_num("now", 0), sys_ns = 0, wall;
    struct wallclock wc = {0};
    unsigned int retries = 0;
    bool stable = ev_shared_info != NULL && wc_read(&wc, &retries);
    bool have_sys = system_time_ns(&sys_ns);

    tap_ok(stable, "wall clock: a consistent read, version %u even (%u retries)", wc.version,
           retries);
    tap_ok(stable && wc.nsec < NS_PER_S, "wall clock: wc_nsec %u below 10^9", wc.nsec);
    if (!tap_ok(have_sys, "the guest's system time is readable (%s)",
                arch_has_pvclock ? "pvclock" : "virtual counter"))
        stable = false; /* nothing to add the wall clock to */
    wall = wc.sec + (wc.nsec + sys_ns) / NS_PER_S;

    if (!stable) {
        tap_ok(false, "wall clock: set after 2020, or counting from 1970 at the boot");
        tap_ok(false, "wall clock + system time is the host's time");
    } else if (wc.sec < EPOCH_2020) {
        tap_ok(wall < UNSET_MAX_S,
               "wall clock not set: wc + system time is %lu s after 1970, the hypervisor's "
               "uptime (wc_sec %lu: as Xen on Arm until dom0 sets it)",
               (unsigned long)wall, (unsigned long)wc.sec);
        tap_skip("the wall clock is not set", "wall clock + system time is the host's time");
    } else {
        tap_ok(true, "wall clock set: wc_sec %lu (wc_sec_hi %lu) is after 2020",
               (unsigned long)wc.sec, (unsigned long)(wc.sec >> 32));
        if (now_arg == NULL) {
            tap_skip("no now=<epoch> bootarg", "wall clock + system time is the host's time");
        } else {
            int64_t off = (int64_t)(wall - now);

            tap_ok(off >= -NOW_SLACK_S && off <= NOW_SLACK_S,
                   "wall clock + system time (%lu s) is the host's time (now=%lu) within %u s: "
                   "off by %ld s",
                   (unsigned long)wall, (unsigned long)now, NOW_SLACK_S, (long)off);
        }
    }
    check_pvclock();
    check_hwdom_rtc(stable && wc.sec >= EPOCH_2020, wall, now_arg, now);
}
