/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The MC146818-style CMOS RTC of PCs, as the driver (cmos.c) and its host test's fake chip
 * (tests/host/test_rtc_cmos.c) both see it: index/data ports, time registers, status bits.
 */
#ifndef MINIXEN_DRIVERS_RTC_CMOS_REGS_H
#define MINIXEN_DRIVERS_RTC_CMOS_REGS_H

#define CMOS_INDEX 0x70 /* bit 7 of the index would mask NMIs: always written 0 */
#define CMOS_DATA  0x71

#define REG_SECONDS 0x00
#define REG_MINUTES 0x02
#define REG_HOURS   0x04
#define REG_DAY     0x07
#define REG_MONTH   0x08
#define REG_YEAR    0x09
#define REG_A       0x0a
#define REG_B       0x0b
#define REG_D       0x0d

#define A_UIP    0x80 /* update in progress */
#define B_24H    0x02 /* hours 0-23 (else 1-12 with the PM bit) */
#define B_BINARY 0x04 /* DM: binary fields (else BCD) */
#define D_VRT    0x80 /* valid RAM and time */
#define HOUR_PM  0x80

#endif
