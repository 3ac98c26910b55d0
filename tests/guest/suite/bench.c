/* SPDX-License-Identifier: Apache-2.0 */
#include "xtest.h"
void role_bench(void)
{
    tap_skip("not written yet", "bench");
}
