/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CPU a PVH guest is shown (role=main, in the port's area): what Xen 4.17 answers a
 * PVH domain for the MSRs Linux reads at boot, MOV to CR4 with a bit the guest may not
 * set, the features its CPUID policy hides, ICEBP, and string I/O to a port with nothing
 * behind it. A fixed X86_CPU_POLICY_RESULTS results, both widths.
 */
#include "libc.h"
#include "tap.h"
#include "x86_cpu.h"
#include "x86_probe.h"

#define MSR_MTRRCAP       0xfe
#define MSR_PLATFORM_INFO 0xce
#define MSR_DEBUGCTL      0x1d9
#define MSR_MTRR_PHYSBASE 0x200
#define MSR_PAT           0x277
#define MSR_MTRR_DEF_TYPE 0x2ff
#define MSR_NONE          0x1234 /* architecturally nothing */
#define CR4_LA57          (1ul << 12)
#define CR4_VMXE          (1ul << 13)
#define CR4_RESERVED15    (1ul << 15)
#define EXC_DB            1
#define EXC_UD            6
#define EXC_GP            13
#define NO_DEVICE_PORT    0x5f0 /* no device on q35 */
#define STRING_IO_BYTES   1500  /* more than one exit's batch on minixen */

static bool try_cr4(unsigned long v)
{
    unsigned long before = arch_probe_traps;

    __asm__ volatile(FIX_BEGIN "mov %0, %%cr4" FIX_END ::"r"(v) : FIX_REG, "memory");
    return arch_probe_traps == before;
}

static unsigned long read_cr4(void)
{
    unsigned long v;

    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static void msrs(void)
{
    uint64_t v = 0, def = 0, pat = 0, base = 0;
    bool ok, gp;

    ok = try_rdmsr(MSR_DEBUGCTL, &v) && try_wrmsr(MSR_DEBUGCTL, 0);
    tap_ok(ok, "DEBUGCTL (0x1d9) reads (0x%lx) and takes 0", (unsigned long)v);
    ok = try_rdmsr(MSR_MTRRCAP, &v) && (v & 0xff) == 8 && (v & (1u << 8));
    tap_ok(ok, "MTRRcap reads 8 variable ranges and fixed ranges (0x%lx)", (unsigned long)v);
    ok = try_rdmsr(MSR_MTRR_DEF_TYPE, &def) && try_wrmsr(MSR_MTRR_DEF_TYPE, def) &&
         !try_wrmsr(MSR_MTRR_DEF_TYPE, (def & ~0xfful) | 2) && probe_last_vector == EXC_GP;
    tap_ok(ok, "MTRR def_type reads (0x%lx), takes its value back, #GP on memory type 2",
           (unsigned long)def);
    ok = try_rdmsr(MSR_MTRR_PHYSBASE, &base) && try_wrmsr(MSR_MTRR_PHYSBASE, base);
    tap_ok(ok, "variable MTRR PHYSBASE0 reads (0x%lx) and takes its value back",
           (unsigned long)base);
    /*
     * Type 2 in an entry: the CPU's #GP (minixen; Xen where it intercepts PAT), or taken
     * (Xen 4.17 with HAP leaves PAT to the CPU, and QEMU's TCG checks no entry): named.
     */
    ok = try_rdmsr(MSR_PAT, &pat);
    gp = !try_wrmsr(MSR_PAT, (pat & ~0xffull) | 2) && probe_last_vector == EXC_GP;
    ok = ok && try_wrmsr(MSR_PAT, pat) && try_rdmsr(MSR_PAT, &v) && v == pat;
    tap_ok(ok, "PAT reads (0x%lx) and takes its value back; type 2 in an entry: %s",
           (unsigned long)pat, gp ? "#GP" : "taken (QEMU TCG's PAT, not intercepted)");
    ok = try_rdmsr(MSR_PLATFORM_INFO, &v);
    tap_ok(ok, "PLATFORM_INFO (0xce) reads (0x%lx)", (unsigned long)v);
    ok = !try_rdmsr(MSR_NONE, &v) && probe_last_vector == EXC_GP && !try_wrmsr(MSR_NONE, 0) &&
         probe_last_vector == EXC_GP;
    tap_ok(ok, "an MSR nothing implements (0x%x): rdmsr and wrmsr #GP", MSR_NONE);
}

static void cr4(void)
{
    unsigned long cr4 = read_cr4();

    tap_ok(try_cr4(cr4) && read_cr4() == cr4, "MOV to CR4 of its own value (0x%lx)", cr4);
    tap_ok(!try_cr4(cr4 | CR4_LA57) && probe_last_vector == EXC_GP && read_cr4() == cr4,
           "MOV to CR4 setting LA57 (not offered) -> #GP, CR4 unchanged");
    tap_ok(!try_cr4(cr4 | CR4_VMXE) && probe_last_vector == EXC_GP &&
               !try_cr4(cr4 | CR4_RESERVED15) && probe_last_vector == EXC_GP && read_cr4() == cr4,
           "MOV to CR4 setting VMXE or reserved bit 15 -> #GP, CR4 unchanged");
}

static void cpuid_hidden(void)
{
    uint32_t r[4] = {0, 0, 0, 0};

    cpuid(0, 0, r);
    if (r[0] >= 7)
        cpuid(7, 0, r);
    else
        r[1] = r[2] = 0;
    tap_ok(!(r[1] & (1u << 14)) && !(r[2] & (1u << 16)) && !(r[2] & (1u << 31)),
           "CPUID 7.0 hides MPX, LA57 and PKS (EBX 0x%x ECX 0x%x)", r[1], r[2]);
}

static void icebp(void)
{
    unsigned long before = arch_probe_traps, vec;

    probe_last_vector = 0;
    __asm__ volatile(FIX_BEGIN ".byte 0xf1" FIX_END ::: FIX_REG, "memory");
    vec = probe_last_vector;
    /* #DB as on hardware (Xen intercepts ICEBP and reflects it, as minixen does), or #UD
     * where QEMU's TCG decodes no ICEBP (built without WANT_ICEBP): no hypervisor sees it. */
    tap_ok(arch_probe_traps == before + 1 && (vec == EXC_DB || vec == EXC_UD),
           "ICEBP raises %s in the guest",
           vec == EXC_DB   ? "#DB (hardware, an intercept)"
           : vec == EXC_UD ? "#UD (QEMU TCG: no ICEBP)"
                           : "another exception");
}

static void string_io(void)
{
    static uint8_t buf[STRING_IO_BYTES + 4];
    unsigned long before = arch_probe_traps, cnt = STRING_IO_BYTES;
    uint8_t *dst = buf;
    const uint8_t *src = buf;
    bool ok;

    memset(buf, 0x11, sizeof(buf));
    __asm__ volatile(FIX_BEGIN "rep insb" FIX_END
                     : "+D"(dst), "+c"(cnt)
                     : "d"(NO_DEVICE_PORT)
                     : FIX_REG, "memory");
    ok = arch_probe_traps == before && cnt == 0 && dst == buf + STRING_IO_BYTES && buf[0] == 0xff &&
         buf[STRING_IO_BYTES - 1] == 0xff && buf[STRING_IO_BYTES] == 0x11;
    tap_ok(ok, "rep insb x%u from port 0x%x (nothing there): all ones, rDI +%u, rCX 0",
           STRING_IO_BYTES, NO_DEVICE_PORT, STRING_IO_BYTES);
    cnt = 4;
    __asm__ volatile(FIX_BEGIN "rep outsb" FIX_END
                     : "+S"(src), "+c"(cnt)
                     : "d"(NO_DEVICE_PORT)
                     : FIX_REG, "memory");
    tap_ok(arch_probe_traps == before && cnt == 0 && src == buf + 4,
           "rep outsb x4 to port 0x%x: ignored, rSI +4, rCX 0", NO_DEVICE_PORT);
}

static void early_hypercall(void)
{
    long rc = x86_early_physmap_rc;

    tap_ok(rc == 0,
           "add_to_physmap(shared_info) by VMMCALL from %u-bit code before the "
           "hypercall page MSR -> 0 (got %ld)",
           (unsigned int)sizeof(long) * 8, rc);
}

void x86_area_cpu_policy(void)
{
    tap_diag("area: the CPU a PVH guest is shown (MSRs, CR4, CPUID, ICEBP, string I/O)");
    early_hypercall();
    msrs();
    cr4();
    cpuid_hidden();
    icebp();
    string_io();
}
