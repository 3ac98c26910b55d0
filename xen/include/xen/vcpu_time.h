/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The time base each vcpu_info carries (struct vcpu_time_info, the "pvclock"): with it a
 * guest turns its own counter (the TSC) into the hypervisor's system time without a
 * hypercall,
 *   system time = system_time + ((counter - tsc_timestamp) << tsc_shift) * mul >> 32
 * (a negative tsc_shift shifts right), and adds the wall clock (wallclock.h) to that for
 * the time of day. x86 guests read it (Linux's Xen clocksource, its wall clock and its TSC
 * frequency); Xen on Arm leaves it zero and so does minixen. The port says what to publish
 * (arch_guest_time_base); xen/common/vcpu_time.c writes it.
 */
#ifndef MINIXEN_VCPU_TIME_H
#define MINIXEN_VCPU_TIME_H

#include <xen/types.h>

struct vcpu;

/*
 * The 32.32 multiplier and shift that turn ticks of a counter running at hz into
 * nanoseconds: mul in [2^31, 2^32), so the scale keeps 31 significant bits whatever the
 * rate. hz must be at least 1.
 */
void time_scale_from_hz(uint64_t hz, uint32_t *mul, int8_t *shift);

/* ticks scaled as a guest does: (ticks << shift) * mul >> 32 with a 96-bit product. */
uint64_t time_scale_apply(uint64_t ticks, uint32_t mul, int8_t shift);

/*
 * Write the port's time base into v's current vcpu_info.time under the version protocol
 * (odd while writing, even after; counted in v->time_version, never read back from the
 * guest). Nothing when the port publishes none. domain_create() and domain_reset() call it
 * for each vCPU, VCPUOP_register_vcpu_info for the vcpu_info it moves.
 */
void vcpu_time_publish(struct vcpu *v);

#endif
