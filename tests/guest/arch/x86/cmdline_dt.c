/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A PVH guest's configuration is hvm_start_info's command line, where an arm64 guest has
 * /chosen/bootargs. The suite reads bootargs from a device tree, so the port writes the
 * smallest one that says the same: / { chosen { bootargs = "<cmdline>"; }; }.
 * Devicetree specification v0.4 format; the command line is cut at CMDLINE_MAX.
 */
#include "cmdline_dt.h"
#include "libc.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_END        9
#define HEADER_SIZE    40
#define RSVMAP_SIZE    16 /* one terminating (0, 0) entry */
#define CMDLINE_MAX    1024

static uint8_t blob[HEADER_SIZE + RSVMAP_SIZE + 64 + CMDLINE_MAX + 16] __attribute__((aligned(8)));

static void be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Append a big-endian word at *off of the structure block. */
static void token(uint8_t *s, uint32_t *off, uint32_t v)
{
    be32(s + *off, v);
    *off += 4;
}

const void *cmdline_dt(const char *cmdline)
{
    static const char strings[] = "bootargs";
    uint8_t *s = blob + HEADER_SIZE + RSVMAP_SIZE;
    uint32_t off = 0, len = cmdline != NULL ? (uint32_t)strnlen(cmdline, CMDLINE_MAX - 1) : 0;
    uint32_t struct_off = HEADER_SIZE + RSVMAP_SIZE, strings_off;

    memset(blob, 0, sizeof(blob));
    token(s, &off, FDT_BEGIN_NODE);
    off += 4; /* the root's empty name, padded */
    token(s, &off, FDT_BEGIN_NODE);
    memcpy(s + off, "chosen", 7);
    off += 8;
    token(s, &off, FDT_PROP);
    token(s, &off, len + 1);
    token(s, &off, 0); /* "bootargs" is string 0 */
    if (len > 0)
        memcpy(s + off, cmdline, len);
    off += (len + 1 + 3) & ~3u; /* NUL-terminated, padded (the blob is zeroed) */
    token(s, &off, FDT_END_NODE);
    token(s, &off, FDT_END_NODE);
    token(s, &off, FDT_END);
    strings_off = struct_off + off;
    memcpy(blob + strings_off, strings, sizeof(strings));

    be32(blob + 0, FDT_MAGIC);
    be32(blob + 4, strings_off + (uint32_t)sizeof(strings)); /* totalsize */
    be32(blob + 8, struct_off);
    be32(blob + 12, strings_off);
    be32(blob + 16, HEADER_SIZE); /* memory reservation map */
    be32(blob + 20, 17);          /* version */
    be32(blob + 24, 16);          /* last compatible version */
    be32(blob + 28, 0);           /* boot CPU */
    be32(blob + 32, (uint32_t)sizeof(strings));
    be32(blob + 36, off);
    return blob;
}
