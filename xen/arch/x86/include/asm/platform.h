/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The platform as ACPI describes it (acpi.c), and the local APIC, its timer and IPIs
 * (apic.c), the secondary CPUs (smp.c).
 */
#ifndef MINIXEN_X86_ASM_PLATFORM_H
#define MINIXEN_X86_ASM_PLATFORM_H

#include <asm/bootinfo.h>

#define MAX_MADT_CPUS 64

/* A Generic Address Structure's address spaces (the ones the port can write). */
#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO     1
#define ACPI_GAS_PCI    2

/*
 * How to power the machine off and reset it, from the FADT and the DSDT's \_S5
 * (acpi.c); used by power.c. A field that is 0 was not there.
 */
struct acpi_power {
    bool have_fadt;
    uint16_t pm1a_cnt, pm1b_cnt; /* PM1 control blocks (I/O ports) */
    bool have_s5;                /* \_S5 found: the SLP_TYP values below are real */
    uint8_t slp_typa, slp_typb;
    uint16_t smi_cmd; /* SMI command port and the value that enables ACPI mode */
    uint8_t acpi_enable;
    bool have_reset_reg; /* FADT flags RESET_REG_SUP and a register we can write */
    uint8_t reset_space; /* ACPI_GAS_* */
    uint64_t reset_addr;
    uint8_t reset_value;
};

struct platform {
    paddr_t rsdp;
    unsigned int acpi_rev; /* 0: RSDT, 2+: XSDT */
    unsigned int nr_cpus;  /* enabled processors in the MADT */
    uint32_t apic_id[MAX_MADT_CPUS];
    paddr_t lapic;  /* local APIC MMIO base */
    paddr_t ioapic; /* the first I/O APIC (0: none) */
    uint32_t ioapic_gsi_base;
    uint32_t isa_gsi[16]; /* ISA IRQ -> GSI, after the MADT's source overrides */
    /* From the FADT, if there is one: */
    struct acpi_power power; /* power-off and reset (power.c) */
    uint8_t rtc_century;     /* CMOS index of the RTC's century (0: none) */
    bool no_cmos_rtc;        /* IAPC_BOOT_ARCH says there is no CMOS RTC */
};

/* acpi.c: 0, or -ENOENT/-EINVAL with a message (a missing FADT is not an error). */
int acpi_init(struct platform *p, const struct boot_info *bi);
void acpi_print(const struct platform *p);

/* power.c: the machine's power-off and reset (arch_machine_*) use what ACPI said. */
void x86_power_init(const struct acpi_power *pw);

/* Vectors the hypervisor uses (higher vectors: higher priority in the APIC). */
#define VECTOR_UART     0x40
#define VECTOR_KICK     0xf0 /* IPI: leave guest mode, look at the scheduler */
#define VECTOR_TIMER    0xf1
#define VECTOR_SPURIOUS 0xff

/* apic.c */
void lapic_init(paddr_t base); /* this CPU; the boot CPU first */
uint32_t lapic_id(void);
void lapic_eoi(void);
/* An interrupt waits in this CPU's IRR (timer, kick, UART): taken once IF is set again. */
bool lapic_irq_pending(void);
int lapic_send_ipi(uint32_t apic_id, uint32_t icr_low); /* -EBUSY if never accepted */
void lapic_timer_calibrate(void);                       /* boot CPU, against the PIT */
void lapic_timer_oneshot_ns(uint64_t delta_ns);         /* 0: stop */
uint64_t tsc_hz(void);
uint64_t tsc_ticks_to_ns(uint64_t ticks); /* a TSC interval in ns */
uint64_t lapic_timer_hz(void);
void udelay(uint64_t us);
void ioapic_route_isa(const struct platform *p, unsigned int irq, unsigned int vector,
                      uint32_t dest_apic_id);

/* smp.c */
extern unsigned int nr_cpus_online;
extern uint32_t cpu_apic_id[NR_CPUS];
void smp_boot_secondaries(const struct platform *p);
void smp_ipi_selftest(void);
/* Every secondary CPU leaves its parking loop and runs fn(cpu). */
void smp_start_work(void (*fn)(unsigned int cpu));

#endif
