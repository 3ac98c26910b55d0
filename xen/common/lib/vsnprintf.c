/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small, bounded printf formatter for the console and the debug dump. It supports
 * what the hypervisor prints: %d %i %u %x %X %p %s %c %% with the l/ll/z length
 * modifiers, a width, and the '0' and '-' flags. Output always ends in NUL.
 */
#include <xen/lib.h>

struct out {
    char *buf;
    size_t size;
    size_t len; /* characters that would have been written */
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, unsigned int width, bool left,
                       char pad)
{
    size_t i;

    if (!left)
        for (i = n; i < width; i++)
            put(o, pad);
    for (i = 0; i < n; i++)
        put(o, s[i]);
    if (left)
        for (i = n; i < width; i++)
            put(o, ' ');
}

static void put_number(struct out *o, unsigned long long v, bool negative, unsigned int base,
                       bool upper, unsigned int width, bool left, char pad)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    size_t n = 0;

    do {
        tmp[sizeof(tmp) - 1 - n++] = digits[v % base];
        v /= base;
    } while (v != 0);
    if (negative) {
        if (pad == '0' && !left) {
            /* The sign goes before zero padding: -0042, not 00-42. */
            put(o, '-');
            width = width ? width - 1 : 0;
        } else {
            tmp[sizeof(tmp) - 1 - n++] = '-';
        }
    }
    put_padded(o, &tmp[sizeof(tmp) - n], n, width, left, pad);
}

int xen_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = {buf, size, 0};

    for (; *fmt != '\0'; fmt++) {
        bool left = false, is_signed = false;
        char pad = ' ';
        unsigned int width = 0, longs = 0, base = 10;
        unsigned long long v;

        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        for (;; fmt++) {
            if (*fmt == '-')
                left = true;
            else if (*fmt == '0')
                pad = '0';
            else
                break;
        }
        while (*fmt >= '0' && *fmt <= '9' && width < 1000)
            width = width * 10 + (unsigned int)(*fmt++ - '0');
        while (*fmt == 'l' || *fmt == 'z') {
            longs += (*fmt == 'z') ? 2 : 1;
            fmt++;
        }

        switch (*fmt) {
        case '\0':
            fmt--; /* a lone '%' at the end: stop at the terminator */
            continue;
        case '%':
            put(&o, '%');
            continue;
        case 'c': {
            char c = (char)va_arg(ap, int);

            put_padded(&o, &c, 1, width, left, ' ');
            continue;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);

            if (s == NULL)
                s = "(null)";
            put_padded(&o, s, strlen(s), width, left, ' ');
            continue;
        }
        case 'p':
            put(&o, '0');
            put(&o, 'x');
            put_number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, width, left, pad);
            continue;
        case 'd':
        case 'i':
            is_signed = true;
            break;
        case 'u':
            break;
        case 'x':
        case 'X':
            base = 16;
            break;
        default:
            /* Unknown conversion: print it verbatim rather than guess at arguments. */
            put(&o, '%');
            put(&o, *fmt);
            continue;
        }

        if (is_signed) {
            long long sv = longs >= 2   ? va_arg(ap, long long)
                           : longs == 1 ? va_arg(ap, long)
                                        : va_arg(ap, int);

            v = sv < 0 ? 0ull - (unsigned long long)sv : (unsigned long long)sv;
            put_number(&o, v, sv < 0, base, false, width, left, pad);
        } else {
            v = longs >= 2   ? va_arg(ap, unsigned long long)
                : longs == 1 ? va_arg(ap, unsigned long)
                             : va_arg(ap, unsigned int);
            put_number(&o, v, false, base, *fmt == 'X', width, left, pad);
        }
    }
    if (o.size > 0)
        o.buf[o.len < o.size ? o.len : o.size - 1] = '\0';
    return (int)o.len;
}

int xen_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = xen_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
