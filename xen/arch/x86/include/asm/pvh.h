/* SPDX-License-Identifier: Apache-2.0 */
/* PVH domains: the ELF loader (pvh.c) and building domains from the boot DT (dombuild.c). */
#ifndef MINIXEN_X86_ASM_PVH_H
#define MINIXEN_X86_ASM_PVH_H

#include <asm/bootinfo.h>
#include <asm/domain.h>

/*
 * Load a PVH ELF (and a ramdisk, if ramdisk_size is not 0) into d's RAM and write its start
 * info; sets the entry point. On error, *why says what is wrong with the image.
 */
int pvh_load(struct domain *d, const void *image, size_t size, const void *ramdisk,
             size_t ramdisk_size, const char *cmdline, const char **why);

/* Create, load and place every domain the DTB (boot module 0) describes. Returns how many. */
unsigned int dombuild_from_modules(const struct boot_info *bi, unsigned int nr_cpus);
/* d's kernel, start info and vCPU 0's PVH start state from its boot configuration, into
 * all-zero RAM: the first build and each reboot. 0 or the loader's error. */
int load_boot_image(struct domain *d);
/* Bind d's static event channels again (a reboot). 0, or an error if one was lost. */
int dombuild_rebind_static_evtchns(struct domain *d);

/* reboot.c: SHUTDOWN_reboot of a domU, once no CPU holds its vCPUs (domain_restart_when_
 * quiescent): back to its first build's state and image, vCPU 0 at the PVH entry. */
int arch_domain_rebuild(struct domain *d);
/* A run loop on its way to a VMRUN or to idle: zero one chunk of a rebooting domain's RAM
 * (the last one loads its image and unpauses it). False if there was nothing to do. */
bool x86_reboot_scrub_step(void);

#endif
