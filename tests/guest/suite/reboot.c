/* SPDX-License-Identifier: Apache-2.0 */
/*
 * role=reboot: say that this life booted, then ask for a reboot (SCHEDOP_shutdown with
 * SHUTDOWN_reboot). On a hypervisor that restarts the domain from its boot configuration
 * the line comes again, once per life; tests/system/reboot-test.sh counts them. Nothing
 * survives a restart, so the role cannot count its own lives.
 */
#include "xtest.h"
#include <public/sched.h>

void role_reboot(void)
{
    struct sched_shutdown op = {.reason = SHUTDOWN_reboot};
    long rc;

    /* Each life's PV console ring, if it has one (reboot-test.sh counts these lines too). */
    (void)pv_console_line("# xtest reboot: a line through the PV console ring\n");
    printf("# xtest reboot: booted, rebooting\n");
    rc = hc_sched(SCHEDOP_shutdown, &op);
    /* Only a hypervisor that refuses the request gets here. */
    tap_ok(false, "SCHEDOP_shutdown(reboot) returned %ld", rc);
}
