/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arm32 side of the hostile suite (hostile.h), in part: the FP/SIMD probe (VFP d0-d3) and
 * the SGI storm are real; the debug and PMU register probes, the random CP14/CP15 and MMIO
 * accesses are not ported yet (they need an abort/undefined recovery path in vectors.S,
 * which the arm64 build has), so they make no access and say so: every one of them
 * reports "trapped" and the sysreg fuzz "skipped". Only role=hostile calls these; no test
 * runs that role on arm32 yet.
 */
#include "arm_guest.h"
#include "gic.h"
#include "guest_arch.h"
#include "hostile.h"
#include "libc.h"

volatile unsigned long arch_probe_traps;

void arch_probe_init(void)
{
}

const char *arch_probe_name(enum probe_class c)
{
    static const char *const names[PROBE_NR] = {"FP/SIMD d0-d3", "debug (not probed on arm32)",
                                                "PMU (not probed on arm32)"};

    return c < PROBE_NR ? names[c] : "?";
}

bool arch_probe_write(enum probe_class c, const uint64_t v[PROBE_REGS])
{
    if (c != PROBE_FPSIMD)
        return false;
    __asm__ volatile("vldr d0, [%0]\n\tvldr d1, [%0, #8]\n\tvldr d2, [%0, #16]\n\t"
                     "vldr d3, [%0, #24]" ::"r"(v)
                     : "memory");
    return true;
}

bool arch_probe_read(enum probe_class c, uint64_t v[PROBE_REGS])
{
    if (c != PROBE_FPSIMD)
        return false;
    __asm__ volatile("vstr d0, [%0]\n\tvstr d1, [%0, #8]\n\tvstr d2, [%0, #16]\n\t"
                     "vstr d3, [%0, #24]" ::"r"(v)
                     : "memory");
    return true;
}

bool arch_probe_pmu_run(void)
{
    return false;
}

bool arch_fuzz_sysreg(uint64_t rnd, uint64_t val, bool *skipped)
{
    (void)rnd;
    (void)val;
    *skipped = true;
    return false;
}

uint64_t arch_fuzz_mmio_addr(uint64_t rnd)
{
    return rnd & 0xffc;
}

bool arch_fuzz_mmio(uint64_t gpa, bool write)
{
    (void)gpa;
    (void)write;
    return false;
}

void arm_storm_sgi(unsigned int sgi)
{
    gic_send_sgi_self(sgi);
}
