/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86_64 isolation checks (arch_area_isolation): none yet, so role=main's plan on x86_64
 * stays what tests/guest/README.md says. The x86 port adds its own here.
 */
#include "guest_arch.h"

void arch_area_isolation(void)
{
}
