/* SPDX-License-Identifier: Apache-2.0 */
/* Formatted hypervisor console output. Long lines are cut, never overflow. */
#include <xen/arch_hooks.h>
#include <xen/lib.h>

void printk(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = xen_vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(line) - 1)
        n = (int)sizeof(line) - 1;
    arch_console_write(line, (size_t)n);
}
