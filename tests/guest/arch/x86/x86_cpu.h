/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86 instructions the guest's arch code and its x86 areas issue directly (arch.c,
 * cpu_policy.c, mmio.c): one definition each. Accesses that may fault go through
 * x86_probe.h's fixups instead.
 */
#ifndef XTEST_X86_CPU_H
#define XTEST_X86_CPU_H

#include <stdint.h>

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

#endif
