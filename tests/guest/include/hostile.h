/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hostile-guest suite (tests/system/hostile-test.sh): role=hostile attacks the
 * hypervisor in phases while role=victim domains (one on the hostile domain's CPU, one on
 * another) exchange events, check their own registers and time their round trips.
 *
 * Domains and static channels (the runner's DT):
 *   d0 victim=ping   pings d1 on its echo channel, drives the hostile's phases; 1 vCPU on
 *                    the hostile's CPU
 *   d1 victim=echo   echoes; on another CPU
 *   d2 hostile       the attacker; its control channel to d0 (hctl) announces each phase
 *   d3 hostile=rebooter  reboots whenever d0 says so (the reboot storm)
 *
 * Phase protocol: the hostile sends one event on hctl to enter the next phase of
 * hostile_phases[] and waits for d0's acknowledgement (one event back) before it starts
 * the phase's work, so both sides agree on which phase every round trip belongs to.
 */
#ifndef GUEST_HOSTILE_H
#define GUEST_HOSTILE_H

#include <stdbool.h>
#include <stdint.h>

#include <public/event_channel.h>

enum hostile_phase {
    PH_BASELINE,  /* before the hostile domain starts (d0's reference round trips) */
    PH_REGS,      /* register-leak probes */
    PH_EXHAUST,   /* resource exhaustion loops */
    PH_SETUP,     /* the hostile holds everything it got; the victims set up */
    PH_IRQ_STORM, /* self-IPIs (event channels and the interrupt controller) */
    PH_EV_STORM,  /* event sends to itself and at d0 */
    PH_CONSOLE,   /* console_io flood */
    PH_REBOOT,    /* d0 makes d3 reboot again and again */
    PH_HCALL,     /* random hypercalls */
    PH_SYSREG,    /* random system registers / MSRs / I/O ports */
    PH_MMIO,      /* accesses to guest-physical addresses with nothing behind them */
    PH_DONE,
    PH_NR
};

extern const char *const hostile_phase_name[PH_NR];

/* Register patterns: each domain writes values made from its own tag, so a value seen in
 * another domain names who wrote it. */
#define TAG_VICTIM_PING 0xa1u
#define TAG_VICTIM_ECHO 0xb2u
#define TAG_HOSTILE     0xe7u
uint64_t probe_pattern(unsigned int tag, unsigned int cls, unsigned int reg);
/* Which domain's pattern v is (one of the TAG_*), or 0. */
unsigned int probe_owner(uint64_t v, unsigned int cls, unsigned int reg);

/* ---- Register probes (suite/regprobe.c), over the arch hooks below ---- */
struct regprobe {
    unsigned int tag;
    bool real[3][4];     /* the register kept a written value at set-up */
    uint64_t idle[3][4]; /* what it read at set-up when not real (RAZ, or trapped: 0) */
    uint32_t checks, bad[3];
    unsigned int foreign[3]; /* tag of another domain seen, first one */
    uint64_t first_bad[3];
};
void regprobe_init(struct regprobe *rp, unsigned int tag);
void regprobe_check(struct regprobe *rp);
/* Three TAP results: one per register class. */
void regprobe_report(const struct regprobe *rp, const char *who);

/* ---- Arch hooks (tests/guest/arch/<arch>/probe.c) ---- */
enum probe_class { PROBE_FPSIMD, PROBE_DEBUG, PROBE_PMU, PROBE_NR };
#define PROBE_REGS 4
/* Enable what the probes need (FP/SIMD access). */
void arch_probe_init(void);
const char *arch_probe_name(enum probe_class c);
/* Write / read the class's PROBE_REGS registers; false when the access trapped (the
 * hypervisor made it UNDEFINED / #GP): a valid answer, never a crash of the guest. */
bool arch_probe_write(enum probe_class c, const uint64_t v[PROBE_REGS]);
bool arch_probe_read(enum probe_class c, uint64_t v[PROBE_REGS]);
/* Make this domain's PMU count (every counter, at every EL the filter allows); false
 * when trapped. Only the hostile domain does this: a victim's counters must not move. */
bool arch_probe_pmu_run(void);
/* One random system-register (arm64: MRS/MSR over a table of encodings) or MSR (x86)
 * access; `rnd` chooses the register and direction. Returns true when it trapped to us.
 * Writes that would only break the guest itself (its MMU, vectors, per-CPU pointer) are
 * not made: *skipped is set instead. */
bool arch_fuzz_sysreg(uint64_t rnd, uint64_t val, bool *skipped);
/* Port I/O (x86); false everywhere else. Returns true when it trapped to us. */
extern const bool arch_has_port_io;
bool arch_fuzz_io(uint64_t rnd, uint32_t val);
/* A load or store at guest-physical address `gpa` (identity mapped where the guest maps
 * it). true when it trapped to us; the hypervisor may also end the domain. */
bool arch_fuzz_mmio(uint64_t gpa, bool write);
/* A guest-physical address with nothing behind it, from `rnd`. */
uint64_t arch_fuzz_mmio_addr(uint64_t rnd);
/* The interrupt-controller part of an interrupt storm, for `ms`: self-IPIs (GIC SGIs,
 * x2APIC self IPI) and, on x86, the LAPIC timer in periodic mode at its shortest period.
 * Returns the interrupts the guest took. */
unsigned long arch_irq_storm(unsigned int ms);
/* Architecture-specific extras of the random phase (x86: WBINVD); count done. */
unsigned long arch_fuzz_extra(unsigned int n);

/* Traps the probes caught (arch); 0 before the first. */
extern volatile unsigned long arch_probe_traps;

/* The hostile domain's other parts: `calls` random hypercalls with random arguments
 * (hostile_hcall.c), never touching its control channel `hctl`, each printed from number
 * `trace_from` on (to find the one that did something); and the reboot-storm
 * domain (hostile_reboot.c). */
void hostile_hypercalls(evtchn_port_t hctl, evtchn_port_t hstorm, unsigned long calls,
                        unsigned long trace_from);
void hostile_rebooter(void);

/* Yield the CPU for `ms` (a rate-limited console refills meanwhile). */
void hostile_quiet(unsigned int ms);

void role_hostile(void);
void role_victim(void);

#endif
