/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What xen/drivers/rtc/cmos.c takes from the x86 port's <asm/setup.h>, for the host test
 * of that driver (test_rtc_cmos.c): port I/O, which the test routes to a fake CMOS chip,
 * and the driver's own prototype.
 */
#ifndef MINIXEN_TEST_FAKE_PC_SETUP_H
#define MINIXEN_TEST_FAKE_PC_SETUP_H

#include <xen/types.h>

/* The test's fake chip (test_rtc_cmos.c). */
uint8_t fake_pc_inb(uint16_t port);
void fake_pc_outb(uint16_t port, uint8_t v);

static inline uint8_t inb(uint16_t port)
{
    return fake_pc_inb(port);
}

static inline void outb(uint16_t port, uint8_t v)
{
    fake_pc_outb(port, v);
}

struct rtc_ops;
const struct rtc_ops *cmos_rtc_probe(uint8_t century_index);

#endif
