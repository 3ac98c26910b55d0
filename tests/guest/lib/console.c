/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Console output: HYPERVISOR_console_io(CONSOLEIO_write) first, so the guest runs unchanged
 * on Xen and minixen. Xen release builds refuse it (-EPERM) to a domain that is not the
 * hardware or console domain; such a domain falls back to the UART its DT describes (a
 * dom0less domU with the `vpl011` property gets an emulated SBSA UART).
 */
#include "guest_arch.h"
#include "hcall.h"
#include "libc.h"

static struct guest_lock console_lock;
static int use_fallback; /* 0: unknown yet, 1: console_io works, 2: UART, 3: nothing */

void guest_lock(struct guest_lock *l)
{
    uint32_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
        arch_relax();
}

void guest_unlock(struct guest_lock *l)
{
    __atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

bool console_uses_fallback(void)
{
    return use_fallback >= 2;
}

static void write_locked(const char *s, size_t len)
{
    if (use_fallback <= 1) {
        long rc = hc_console_write(s, len);

        if (rc >= 0) {
            use_fallback = 1;
            return;
        }
        use_fallback = arch_console_fallback_init() ? 2 : 3;
    }
    if (use_fallback == 2)
        arch_console_fallback_write(s, len);
}

void console_write(const char *s, size_t len)
{
    guest_lock(&console_lock);
    write_locked(s, len);
    guest_unlock(&console_lock);
}

int printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    console_write(buf, strnlen(buf, sizeof(buf)));
    return n;
}
