/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtual I/O APIC's registers (asm/vioapic.h), indexed through IOREGSEL as on the
 * 82093AA datasheet:
 *
 *   0x00        ID: bits 27:24 writable
 *   0x01        version: 0x11, maximum redirection entry (pins - 1) in bits 23:16; read-only
 *   0x02        arbitration ID: the ID, read-only
 *   0x10 + 2n   redirection entry n, bits 31:0: vector, delivery mode, destination mode,
 *               polarity, trigger mode, mask writable; delivery status and remote IRR
 *               read 0 (nothing is ever delivered)
 *   0x11 + 2n   redirection entry n, bits 63:32: destination (63:56) writable
 *
 * Other indexes read 0 and ignore writes.
 */
#include <asm/vioapic.h>

#define IOREGSEL         0x00
#define IOWIN            0x10
#define REG_ID           0x00
#define REG_VERSION      0x01
#define REG_ARB          0x02
#define REG_REDIR0       0x10
#define ID_MASK          0x0f000000u
#define REDIR_MASKED     (1ull << 16)
#define REDIR_LOW_WRITE  0x0001afffu /* vector, delivery, dest mode, polarity, trigger, mask */
#define REDIR_HIGH_WRITE 0xff000000u

void vioapic_init(struct vioapic *io)
{
    *io = (struct vioapic){0};
    for (unsigned int i = 0; i < VIOAPIC_PINS; i++)
        io->redir[i] = REDIR_MASKED;
}

static uint32_t reg_read(const struct vioapic *io, uint32_t reg)
{
    uint32_t pin = (reg - REG_REDIR0) / 2;

    switch (reg) {
    case REG_ID:
    case REG_ARB:
        return io->id;
    case REG_VERSION:
        return (VIOAPIC_PINS - 1) << 16 | VIOAPIC_VERSION;
    default:
        if (reg < REG_REDIR0 || pin >= VIOAPIC_PINS)
            return 0;
        return (uint32_t)(reg & 1 ? io->redir[pin] >> 32 : io->redir[pin]);
    }
}

static void reg_write(struct vioapic *io, uint32_t reg, uint32_t val)
{
    uint32_t pin = (reg - REG_REDIR0) / 2;

    if (reg == REG_ID) {
        io->id = val & ID_MASK;
        return;
    }
    if (reg < REG_REDIR0 || pin >= VIOAPIC_PINS)
        return; /* version, arbitration: read-only; the rest does not exist */
    if (reg & 1)
        io->redir[pin] = (io->redir[pin] & 0xffffffffull) | (uint64_t)(val & REDIR_HIGH_WRITE)
                                                                << 32;
    else
        io->redir[pin] = (io->redir[pin] & ~0xffffffffull) | (val & REDIR_LOW_WRITE);
}

/* The bytes [offset, offset + size) of a 32-bit window at `window`, or false if outside it. */
static bool in_window(uint32_t offset, unsigned int size, uint32_t window)
{
    return offset >= window && offset + size <= window + 4;
}

uint32_t vioapic_read(struct vioapic *io, uint32_t offset, unsigned int size)
{
    uint32_t v;

    if (in_window(offset, size, IOREGSEL))
        v = io->ioregsel;
    else if (in_window(offset, size, IOWIN))
        v = reg_read(io, io->ioregsel);
    else
        return 0;
    v >>= 8 * (offset & 3);
    return size >= 4 ? v : v & ((1u << (8 * size)) - 1);
}

void vioapic_write(struct vioapic *io, uint32_t offset, unsigned int size, uint32_t val)
{
    /* Only whole registers: a partial write to IOWIN would be a read-modify-write the
     * guest did not ask for. IOREGSEL takes its low byte from any write at its start. */
    if (offset == IOREGSEL && size >= 1 && size <= 4)
        io->ioregsel = val & 0xff;
    else if (offset == IOWIN && size == 4)
        reg_write(io, io->ioregsel, val);
}
