/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arm32 isolation checks (arch_area_isolation): none yet (the arm64 build's register and
 * EL0 probes need a recovery path this build's vectors do not have), so role=main's plan
 * stays what tests/guest/README.md says.
 */
#include "guest_arch.h"

void arch_area_isolation(void)
{
}
