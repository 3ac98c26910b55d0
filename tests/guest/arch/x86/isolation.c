/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86 isolation checks (arch_area_isolation), both widths: none yet, so role=main's plan
 * stays what tests/guest/README.md says. The x86 port adds its own here.
 */
#include "guest_arch.h"

void arch_area_isolation(void)
{
}
