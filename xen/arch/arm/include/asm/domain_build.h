/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Building domains from the boot configuration (domain_build.c, guest_dt.c): memory,
 * stage-2, vGIC, kernel/ramdisk copied in, a generated guest DT, vCPU 0's boot context,
 * static event channels. Everything is built before any guest runs.
 */
#ifndef MINIXEN_ARM_ASM_DOMAIN_BUILD_H
#define MINIXEN_ARM_ASM_DOMAIN_BUILD_H

#include <asm/hostdt.h>
#include <xen/boot_config.h>

struct domain;

/*
 * Build every domain /chosen describes and hand their vCPUs to the scheduler. Returns the
 * number of domains built (0: none configured; the hypervisor then just idles), or a
 * negative error after printing what was wrong.
 */
int arm_build_domains(const struct host_dt *dt, paddr_t dtb);

/*
 * Rebuild d from its boot configuration (SHUTDOWN_reboot, PSCI SYSTEM_RESET): vGIC,
 * stage 2 and static channels at once; its RAM is scrubbed afterwards in bounded chunks
 * (reboot_scrub.c) while d stays paused, and arm_reboot_load() then lays its image out
 * and sets vCPU 0 at the entry.
 */
int arch_domain_rebuild(struct domain *d);
int arm_reboot_load(struct domain *d);

/* reboot_scrub.c: start scrubbing quiescent d's RAM (pauses d until it is done). */
void arm_reboot_scrub_start(struct domain *d);
/*
 * A run loop on its way back to a guest or to idle: scrub one chunk (REBOOT_SCRUB_CHUNK)
 * of a rebooting domain's RAM, if one is waiting. true if it did.
 */
bool arm_reboot_scrub_step(void);
#define REBOOT_SCRUB_CHUNK (2ull << 20)

/* Zero host memory (DC ZVA); clean and invalidate it to the point of coherency. */
void scrub(paddr_t start, uint64_t size);
void dcache_clean_inval(paddr_t start, uint64_t size);

/*
 * Write the guest DT for d into buf (size bytes): memory, cpus, psci (method "hvc"),
 * the GIC of vgic_dt_info(), the timer, the vPL011 if any, /chosen (bootargs, initrd) and
 * /hypervisor (compatible "xen,xen-4.17", "xen,xen"; reg = the grant-table region;
 * interrupts = <1 15 0xf08>). Returns its size or -ENOSPC.
 */
int guest_dt_build(const struct domain *d, const struct boot_domain *cfg, uint64_t initrd_gpa,
                   void *buf, size_t size);

#endif
