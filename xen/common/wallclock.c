/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The wall clock in shared_info (xen/include/xen/wallclock.h): read from the board's RTC
 * once at boot, kept as the wall time at system time 0, written into each domain's
 * shared_info under the version protocol.
 *
 * Guests read wc_version, the fields, then wc_version again, and retry while it is odd
 * or changed. So the writer makes it odd, publishes, writes the fields, publishes, makes
 * it even. Every store is a single aligned 32-bit atomic one: the guest may be reading
 * (or scribbling on) the page from another CPU, and nothing the writer does depends on
 * what it finds there.
 */
#include <xen/arch_hooks.h>
#include <xen/domain.h>
#include <xen/fence.h>
#include <xen/lib.h>
#include <xen/spinlock.h>
#include <xen/wallclock.h>

#define NS_PER_S 1000000000ull

static uint64_t wc_sec;
static uint32_t wc_nsec;
/* One writer at a time: the values above and every domain's wc_version. */
static spinlock_t wc_lock = SPINLOCK_INIT;

/* The wall time at system time 0, given an RTC reading taken at system time now_ns. */
static bool wall_at_zero(uint64_t rtc_sec, uint64_t now_ns, uint64_t *sec, uint32_t *nsec)
{
    uint64_t up_sec = now_ns / NS_PER_S;
    uint32_t up_nsec = (uint32_t)(now_ns % NS_PER_S);

    /* An RTC before our own uptime would put system time 0 before 1970. */
    if (rtc_sec < up_sec + (up_nsec != 0))
        return false;
    *sec = rtc_sec - up_sec - (up_nsec != 0);
    *nsec = up_nsec != 0 ? (uint32_t)(NS_PER_S - up_nsec) : 0;
    return true;
}

void wallclock_init(const struct rtc_ops *rtc)
{
    uint64_t rtc_sec = 0, now_ns, sec = 0;
    uint32_t nsec = 0;
    unsigned long flags;
    int rc;

    if (rtc == NULL) {
        printk("wallclock: no RTC on this board: guests see 1970 at boot\n");
    } else if ((rc = rtc->read_seconds(&rtc_sec)) != 0) {
        printk("wallclock: %s RTC unreadable (%d): guests see 1970 at boot\n", rtc->name, rc);
    } else {
        /* Right after the read: the RTC's whole second began at most 1 s before now. */
        now_ns = arch_now_ns();
        if (wall_at_zero(rtc_sec, now_ns, &sec, &nsec))
            printk("wallclock: %s RTC says %llu s since 1970, at system time %llu ns\n", rtc->name,
                   (unsigned long long)rtc_sec, (unsigned long long)now_ns);
        else
            printk("wallclock: %s RTC says %llu s since 1970, less than our uptime: guests see "
                   "1970 at boot\n",
                   rtc->name, (unsigned long long)rtc_sec);
    }
    flags = spin_lock_irqsave(&wc_lock);
    wc_sec = sec;
    wc_nsec = nsec;
    spin_unlock_irqrestore(&wc_lock, flags);
}

void wallclock_get(uint64_t *sec, uint32_t *nsec)
{
    unsigned long flags = spin_lock_irqsave(&wc_lock);

    *sec = wc_sec;
    *nsec = wc_nsec;
    spin_unlock_irqrestore(&wc_lock, flags);
}

static void put32(void *page, size_t off, uint32_t v)
{
    __atomic_store_n((uint32_t *)((uint8_t *)page + off), v, __ATOMIC_RELAXED);
}

void wallclock_publish(struct domain *d)
{
    const struct guest_layout *l = d->guest_layout;
    unsigned long flags = spin_lock_irqsave(&wc_lock);
    uint32_t version = d->wc_version;

    /* Odd: a reader that overlaps what follows retries. */
    version = (version + 1) | 1;
    put32(d->shared_info, l->shinfo_wc_off, version);
    fence_publish();
    put32(d->shared_info, l->shinfo_wc_off + 4, (uint32_t)wc_sec);
    put32(d->shared_info, l->shinfo_wc_off + 8, wc_nsec);
    put32(d->shared_info, l->shinfo_wc_sec_hi_off, (uint32_t)(wc_sec >> 32));
    fence_publish();
    version++;
    put32(d->shared_info, l->shinfo_wc_off, version);
    d->wc_version = version;
    spin_unlock_irqrestore(&wc_lock, flags);
}
