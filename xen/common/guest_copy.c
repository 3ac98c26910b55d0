/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arch_copy_from_guest / arch_copy_to_guest (<xen/arch_hooks.h>): hypercall arguments,
 * copied page by page. Consecutive guest virtual pages need not be consecutive anywhere
 * else, so each page is translated on its own (arch_guest_va_to_ptr: the guest's page
 * tables, then the domain's stage-2/nested tables). A fault part-way leaves the pages
 * before it copied, as on Xen.
 */
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/lib.h>

static int copy_guest(struct domain *d, gpaddr_t va, void *buf, size_t len, bool to_guest)
{
    uint8_t *b = buf;

    if (len == 0)
        return 0;
    if ((va & (PAGE_SIZE - 1)) + len <= PAGE_SIZE) { /* within one page: most arguments */
        void *p = arch_guest_va_to_ptr(d, va, len, to_guest);

        if (p == NULL)
            return -EFAULT;
        memcpy(to_guest ? p : buf, to_guest ? buf : p, len);
        return 0;
    }
    if (va + len < va) /* wraps around the address space */
        return -EFAULT;
    /* One page per step: len / 4 KiB + 2 steps at most. */
    while (len > 0) {
        size_t chunk = MIN(len, (size_t)(PAGE_SIZE - (va & (PAGE_SIZE - 1))));
        void *p = arch_guest_va_to_ptr(d, va, chunk, to_guest);

        if (p == NULL)
            return -EFAULT;
        if (to_guest)
            memcpy(p, b, chunk);
        else
            memcpy(b, p, chunk);
        va += chunk;
        b += chunk;
        len -= chunk;
    }
    return 0;
}

int arch_copy_from_guest(struct domain *d, void *dst, gpaddr_t src, size_t len)
{
    return copy_guest(d, src, dst, len, false);
}

int arch_copy_to_guest(struct domain *d, gpaddr_t dst, const void *src, size_t len)
{
    return copy_guest(d, dst, (void *)src, len, true);
}
