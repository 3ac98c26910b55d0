/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vcpu_info.time (xen/include/xen/vcpu_time.h). The port's time base is fixed for a
 * domain's life (on x86 the guest's TSC is the host's, and arch_now_ns() is that TSC
 * scaled), so it is written when a vcpu_info comes into being or moves, not on every
 * switch as Xen does, which also recalibrates.
 *
 * A registered vcpu_info may sit at any 4-byte boundary of a 32-bit guest's page, so the
 * 32-byte struct is written as eight aligned 32-bit words: its 64-bit fields may tear
 * between words, which the version protocol already covers.
 */
#include <xen/arch_hooks.h>
#include <xen/domain.h>
#include <xen/fence.h>
#include <xen/lib.h>
#include <xen/vcpu_time.h>

#define NS_PER_S   1000000000ull
#define TIME_WORDS (sizeof(struct vcpu_time_info) / sizeof(uint32_t))

BUILD_BUG_ON(sizeof(struct vcpu_time_info) != 32);
BUILD_BUG_ON(offsetof(struct vcpu_time_info, version) != 0);

void time_scale_from_hz(uint64_t hz, uint32_t *mul, int8_t *shift)
{
    /* ns per tick = num / den, brought into [1/2, 1) by powers of two kept in s. */
    uint64_t num = NS_PER_S, den = hz;
    int s = 0;

    while (num >= den) { /* at most 30 rounds: num < 2^30 */
        den <<= 1;
        s++;
    }
    while (num <= (den - 1) / 2) { /* num * 2 < den, without overflow; at most 34 rounds */
        num <<= 1;
        s--;
    }
    *mul = (uint32_t)(((unsigned __int128)num << 32) / den);
    *shift = (int8_t)s;
}

uint64_t time_scale_apply(uint64_t ticks, uint32_t mul, int8_t shift)
{
    ticks = shift < 0 ? ticks >> -shift : ticks << shift;
    return (uint64_t)(((unsigned __int128)ticks * mul) >> 32);
}

void vcpu_time_publish(struct vcpu *v)
{
    struct vcpu_time_info t;
    uint32_t words[TIME_WORDS], version;
    uint32_t *dst;

    memset(&t, 0, sizeof(t));
    if (!arch_guest_time_base(v->domain, &t))
        return;
    memcpy(words, &t, sizeof(t));
    dst = (uint32_t *)((uint8_t *)v->vcpu_info + v->domain->guest_layout->vcpu_time_off);

    version = (v->time_version + 1) | 1;
    __atomic_store_n(&dst[0], version, __ATOMIC_RELAXED);
    fence_publish();
    for (size_t i = 1; i < TIME_WORDS; i++)
        __atomic_store_n(&dst[i], words[i], __ATOMIC_RELAXED);
    fence_publish();
    version++;
    __atomic_store_n(&dst[0], version, __ATOMIC_RELAXED);
    v->time_version = version;
}
