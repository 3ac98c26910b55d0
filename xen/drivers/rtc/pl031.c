/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ARM PL031 real-time clock (QEMU virt's "arm,pl031"): the wall clock's source on Arm
 * boards that have one. Its data register counts seconds since 1970 (UTC, as QEMU and
 * Linux's driver keep it), so one 32-bit read is the whole job; being 32 bits, it ends in
 * 2106. Before believing the node, the PrimeCell ID registers must name a PL031 by ARM:
 * a reading from some other device would set every guest's clock to nonsense.
 *
 * Read once at boot (wallclock_init) by the boot CPU, before any domain runs; the
 * hypervisor keeps the device mapped but never touches it again: from then on the
 * hardware domain owns it (hwdom_devices.c maps it into dom0), and may set it.
 */
#include <asm/setup.h>
#include <xen/errno.h>
#include <xen/wallclock.h>

#define RTCDR        0x000 /* data: the current count, in seconds */
#define RTC_PERIPHID 0xfe0 /* four registers, one ID byte in the low 8 bits of each */
#define RTC_PCELLID  0xff0

/* PeriphID: part 0x031, designer 0x41 (ARM); the revision nibble may be anything. */
#define PART_LO     0x31 /* PeriphID0 */
#define PART_HI_DES 0x10 /* PeriphID1: part bits 11:8 = 0, designer bits 3:0 = 1 */
#define DES_HI_MASK 0x0f /* PeriphID2: designer bits 7:4 = 4 in its low nibble */
#define DES_HI      0x04
static const uint8_t primecell_id[4] = {0x0d, 0xf0, 0x05, 0xb1};

static volatile uint32_t *rtc;

static uint32_t rd(unsigned int off)
{
    return rtc[off / 4];
}

static int pl031_read_seconds(uint64_t *seconds)
{
    *seconds = rd(RTCDR);
    return 0;
}

static const struct rtc_ops pl031_ops = {.name = "pl031", .read_seconds = pl031_read_seconds};

const struct rtc_ops *pl031_probe(paddr_t base)
{
    uint8_t id[8];

    if (base == 0)
        return NULL;
    rtc = (volatile uint32_t *)base;
    for (unsigned int i = 0; i < 4; i++) {
        id[i] = (uint8_t)rd(RTC_PERIPHID + 4 * i);
        id[4 + i] = (uint8_t)rd(RTC_PCELLID + 4 * i);
    }
    if (id[0] != PART_LO || id[1] != PART_HI_DES || (id[2] & DES_HI_MASK) != DES_HI ||
        id[4] != primecell_id[0] || id[5] != primecell_id[1] || id[6] != primecell_id[2] ||
        id[7] != primecell_id[3]) {
        printk("rtc: the arm,pl031 at 0x%llx has IDs %02x %02x %02x %02x / %02x %02x %02x %02x: "
               "not a PL031, ignored\n",
               (unsigned long long)base, id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7]);
        rtc = NULL;
        return NULL;
    }
    return &pl031_ops;
}
