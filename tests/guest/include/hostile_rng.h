/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hostile domain's PRNG: xorshift64* from a seed on its bootargs (printed), so a run
 * that found something can be repeated exactly.
 */
#ifndef GUEST_HOSTILE_RNG_H
#define GUEST_HOSTILE_RNG_H

#include <stdint.h>

extern uint64_t rng_state;

static inline void rng_seed(uint64_t seed)
{
    rng_state = seed != 0 ? seed : 0x9e3779b97f4a7c15ull;
}

static inline uint64_t rng_next(void)
{
    uint64_t x = rng_state;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545f4914f6cdd1dull;
}

#endif
