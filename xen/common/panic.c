/* SPDX-License-Identifier: Apache-2.0 */
/* panic() (<xen/lib.h>): say why and on which CPU, then stop that CPU for good. */
#include <xen/arch_hooks.h>
#include <xen/lib.h>

void panic(const char *fmt, ...)
{
    char buf[160];
    va_list ap;

    va_start(ap, fmt);
    xen_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk("minixen: panic on cpu %u: %s\n", arch_this_cpu(), buf);
    arch_halt();
}
