/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal virtual I/O APIC (vioapic.c): the register file of an 82093AA-style I/O APIC
 * (version 0x11, 24 pins) behind its two MMIO windows, IOREGSEL at offset 0x00 and IOWIN
 * at 0x10. Its ID, version, arbitration ID and 24 redirection entries are stored and read
 * back, every entry masked at reset; no interrupt is ever routed through it (no device of
 * the guest's raises one). The hardware domain has one at 0xfec00000, as Xen gives a PVH
 * dom0 the host's I/O APIC; other domains have none, as Xen's PVH domUs.
 *
 * Plain state and functions, no locking (the caller serialises): host-tested.
 */
#ifndef MINIXEN_X86_ASM_VIOAPIC_H
#define MINIXEN_X86_ASM_VIOAPIC_H

#include <xen/types.h>

#define VIOAPIC_BASE    0xfec00000ull
#define VIOAPIC_SIZE    0x1000u
#define VIOAPIC_PINS    24u
#define VIOAPIC_VERSION 0x11u

struct vioapic {
    uint32_t ioregsel;
    uint32_t id; /* bits 27:24 */
    uint64_t redir[VIOAPIC_PINS];
};

void vioapic_init(struct vioapic *io);

/* An access of `size` bytes at `offset` into the page: IOREGSEL and IOWIN take 32-bit and
 * narrower accesses at their start; every other offset reads 0 and ignores writes. */
uint32_t vioapic_read(struct vioapic *io, uint32_t offset, unsigned int size);
void vioapic_write(struct vioapic *io, uint32_t offset, unsigned int size, uint32_t val);

#endif
