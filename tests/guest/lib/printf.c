/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vsnprintf with the subset the suite uses: %d %i %u %x %X %p %s %c %%, the l/ll/z length
 * modifiers, a field width and '0' / '-' flags. Output is always NUL-terminated.
 */
#include "libc.h"

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_num(struct out *o, uint64_t v, unsigned int base, bool neg, int width, bool zero,
                    bool left, bool upper)
{
    char tmp[24];
    int n = 0, pad;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v != 0);
    pad = width - n - (neg ? 1 : 0);
    if (neg && zero)
        put(o, '-');
    while (!left && pad-- > 0)
        put(o, zero ? '0' : ' ');
    if (neg && !zero)
        put(o, '-');
    while (n > 0)
        put(o, tmp[--n]);
    while (left && pad-- > 0)
        put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = {buf, size, 0};

    for (; *fmt != 0; fmt++) {
        bool zero = false, left = false;
        int width = 0, lng = 0;

        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        for (;; fmt++) {
            if (*fmt == '0')
                zero = true;
            else if (*fmt == '-')
                left = true;
            else
                break;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l' || *fmt == 'z') {
            lng++;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v = lng ? va_arg(ap, long) : va_arg(ap, int);

            put_num(&o, v < 0 ? (uint64_t)-v : (uint64_t)v, 10, v < 0, width, zero, left, false);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);

            put_num(&o, v, *fmt == 'u' ? 10 : 16, false, width, zero, left, *fmt == 'X');
            break;
        }
        case 'p':
            put(&o, '0');
            put(&o, 'x');
            put_num(&o, (uintptr_t)va_arg(ap, void *), 16, false, width, zero, left, false);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int n;

            if (s == NULL)
                s = "(null)";
            n = (int)strlen(s);
            while (!left && width-- > n)
                put(&o, ' ');
            while (*s != 0)
                put(&o, *s++);
            while (left && width-- > n)
                put(&o, ' ');
            break;
        }
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        case '%':
            put(&o, '%');
            break;
        default:
            put(&o, '?');
            if (*fmt == 0)
                fmt--;
            break;
        }
    }
    if (size > 0)
        buf[o.len < size ? o.len : size - 1] = 0;
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
