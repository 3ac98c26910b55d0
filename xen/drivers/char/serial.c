/* SPDX-License-Identifier: Apache-2.0 */
/* The console output every UART driver shares (xen/include/xen/serial.h). */
#include <xen/serial.h>

void serial_write(struct serial_port *p, const char *s, size_t len)
{
    unsigned long flags = 0;

    if (p->locking)
        flags = spin_lock_irqsave(&p->lock);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            p->putc('\r');
        p->putc(s[i]);
    }
    if (p->locking)
        spin_unlock_irqrestore(&p->lock, flags);
}
