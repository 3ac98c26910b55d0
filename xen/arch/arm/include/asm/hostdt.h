/* SPDX-License-Identifier: Apache-2.0 */
/* What the port learns from the host device tree at boot (hostdt.c). */
#ifndef MINIXEN_ARM_ASM_HOSTDT_H
#define MINIXEN_ARM_ASM_HOSTDT_H

#include <asm/arm64.h>
#include <xen/fdt.h>
#include <xen/serial.h>

#define HOSTDT_MAX_MEM  8
#define HOSTDT_MAX_CPUS 8
#define HOSTDT_MAX_RSV  16

enum psci_conduit { PSCI_NONE = 0, PSCI_HVC, PSCI_SMC };

struct host_dt {
    struct fdt fdt;
    char model[48];
    unsigned int nr_mem;
    struct {
        uint64_t base, size;
    } mem[HOSTDT_MAX_MEM];
    /*
     * RAM that is not ours to give: /memreserve/ entries and /reserved-memory's nodes with
     * a reg (firmware such as TF-A's BL31 at the start of a Raspberry Pi 4's RAM). A DT
     * with more than HOSTDT_MAX_RSV makes hostdt_parse fail: better no boot than a guest
     * in the firmware's memory.
     */
    unsigned int nr_rsv;
    struct {
        uint64_t base, size;
    } rsv[HOSTDT_MAX_RSV];
    bool rsv_overflow;
    unsigned int nr_cpus;
    uint64_t cpu_mpidr[HOSTDT_MAX_CPUS];
    unsigned int gic_version; /* 2, 3, or 0 if none found */
    uint64_t gicd_base, gicd_size;
    uint64_t gicr_base, gicr_size; /* v3: redistributors */
    uint64_t gicc_base, gicc_size; /* v2: CPU interface */
    uint64_t gich_base, gich_size; /* v2: hypervisor control (virtualization extensions) */
    uint64_t gicv_base, gicv_size; /* v2: virtual CPU interface */
    uint32_t gic_maint_irq;        /* PPI number of the maintenance interrupt */
    uint32_t gic_phandle;          /* what the host's nodes name it by; 0 if it has none */
    /* The console UART (serial_dt_console, else the board's); uart_drv NULL if none. */
    const struct serial_driver *uart_drv;
    struct serial_resource uart;
    uint32_t uart_intid;   /* its interrupt as an INTID (SPI n -> 32 + n), 0 if none */
    uint64_t rtc_base;     /* the first "arm,pl031" (the wall clock's source), 0 if none */
    uint32_t timer_ppi[4]; /* secure, non-secure, virtual, hypervisor (PPI numbers) */
    bool have_timer;
    enum psci_conduit psci;
    uint64_t initrd_start, initrd_end; /* /chosen, if present */
};

int hostdt_parse(struct host_dt *dt, paddr_t dtb);
void hostdt_print(const struct host_dt *dt);

#endif
