/* SPDX-License-Identifier: Apache-2.0 */
/* key=value words of /chosen/bootargs (bootargs.h); every scan is bounded by the property. */
#include "bootargs.h"
#include "fdt.h"
#include "libc.h"

const char *bootarg(const char *key, size_t *len)
{
    uint32_t plen;
    const char *p = fdt_prop(fdt_path("/chosen"), "bootargs", &plen), *end, *found = NULL;
    size_t klen = strlen(key), flen = 0;

    if (p == NULL)
        return NULL;
    end = p + strnlen(p, plen);
    while (p < end) {
        const char *word = p;

        while (p < end && *p != ' ')
            p++;
        if ((size_t)(p - word) > klen && word[klen] == '=' && strncmp(word, key, klen) == 0) {
            found = word + klen + 1;
            flen = (size_t)(p - found);
        }
        while (p < end && *p == ' ')
            p++;
    }
    if (found != NULL && len != NULL)
        *len = flen;
    return found;
}

unsigned long bootarg_num(const char *key, unsigned long dflt)
{
    const char *v = bootarg(key, NULL);

    return v == NULL ? dflt : strtoul(v, NULL, 0);
}
