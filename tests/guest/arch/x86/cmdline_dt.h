/* SPDX-License-Identifier: Apache-2.0 */
/* The PVH command line as a device tree with /chosen/bootargs (cmdline_dt.c). */
#ifndef GUEST_X86_64_CMDLINE_DT_H
#define GUEST_X86_64_CMDLINE_DT_H

/* A flattened DT whose /chosen/bootargs is cmdline (NULL: empty). Static storage. */
const void *cmdline_dt(const char *cmdline);

#endif
