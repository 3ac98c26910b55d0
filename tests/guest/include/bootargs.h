/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest's configuration: space-separated key=value words in /chosen/bootargs
 * (tests/guest/README.md). A word without '=' is ignored; of a key given twice, the last
 * counts.
 */
#ifndef GUEST_BOOTARGS_H
#define GUEST_BOOTARGS_H

#include <stddef.h>

/* The value of key: up to the next space, *len bytes (len may be NULL), or NULL without it. */
const char *bootarg(const char *key, size_t *len);
/* The value of key as a number (C base prefixes), or dflt without it. */
unsigned long bootarg_num(const char *key, unsigned long dflt);

#endif
