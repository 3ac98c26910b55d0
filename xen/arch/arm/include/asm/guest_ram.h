/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host RAM for guests (guest_ram.c): every RAM bank of the host DT, less what boot left
 * in it that is still needed (the hypervisor image and heap, the DTB, the boot modules),
 * handed out in contiguous, aligned pieces. Boot time only: domains are built before
 * any guest runs, and a rebuilt domain keeps the RAM it had.
 */
#ifndef MINIXEN_ARM_ASM_GUEST_RAM_H
#define MINIXEN_ARM_ASM_GUEST_RAM_H

#include <asm/hostdt.h>

/* Start from the host DT's RAM banks. */
void guest_ram_init(const struct host_dt *dt);

/* Take [start, start + size) out of what can be handed out (rounded out to pages). */
void guest_ram_reserve(paddr_t start, uint64_t size);

/* A free, contiguous, align-aligned piece of size bytes (the highest that fits), or 0. */
paddr_t guest_ram_alloc(uint64_t size, uint64_t align);

/* Bytes still free (for the boot log). */
uint64_t guest_ram_free_bytes(void);

#endif
