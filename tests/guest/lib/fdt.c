/* SPDX-License-Identifier: Apache-2.0 */
/* Read-only FDT walker (see fdt.h). The blob format is devicetree-specification v0.4. */
#include "fdt.h"
#include "libc.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9
#define MAX_DEPTH      16

static const uint8_t *blob, *structs, *strings;
static uint32_t struct_size, strings_size;

uint32_t fdt_be32(const void *p)
{
    const uint8_t *b = p;

    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t fdt_cells(const void *p, uint32_t ncells)
{
    const uint8_t *b = p;
    uint64_t v = 0;

    while (ncells-- > 0) {
        v = v << 32 | fdt_be32(b);
        b += 4;
    }
    return v;
}

bool fdt_init(const void *p)
{
    blob = p;
    if (blob == NULL || fdt_be32(blob) != FDT_MAGIC)
        return false;
    structs = blob + fdt_be32(blob + 8);
    strings = blob + fdt_be32(blob + 12);
    struct_size = fdt_be32(blob + 36);
    strings_size = fdt_be32(blob + 32);
    return true;
}

static uint32_t tok(uint32_t off)
{
    return off + 4 <= struct_size ? fdt_be32(structs + off) : FDT_END;
}

static uint32_t align4(uint32_t v)
{
    return (v + 3) & ~3u;
}

/* Offset of the token after the one at `off` (which must be a token start). */
static uint32_t skip_token(uint32_t off)
{
    switch (tok(off)) {
    case FDT_BEGIN_NODE:
        return align4(off + 4 +
                      (uint32_t)strnlen((const char *)structs + off + 4, struct_size - off - 4) +
                      1);
    case FDT_PROP:
        return align4(off + 12 + fdt_be32(structs + off + 4));
    case FDT_END:
        return struct_size;
    default:
        return off + 4;
    }
}

const char *fdt_name(int node)
{
    return node < 0 ? "" : (const char *)structs + node + 4;
}

/* The first child or property token after node's BEGIN_NODE. */
static uint32_t node_body(int node)
{
    return skip_token((uint32_t)node);
}

/* Offset after the END_NODE matching the node at `off`. */
static uint32_t skip_node(uint32_t off)
{
    int depth = 0;

    while (off < struct_size) {
        uint32_t t = tok(off);

        if (t == FDT_BEGIN_NODE)
            depth++;
        else if (t == FDT_END_NODE && --depth == 0)
            return off + 4;
        else if (t == FDT_END)
            break;
        off = skip_token(off);
    }
    return struct_size;
}

int fdt_first_child(int node)
{
    uint32_t off = node_body(node);

    while (off < struct_size) {
        uint32_t t = tok(off);

        if (t == FDT_BEGIN_NODE)
            return (int)off;
        if (t == FDT_END_NODE || t == FDT_END)
            return -1;
        off = skip_token(off);
    }
    return -1;
}

int fdt_next_sibling(int node)
{
    uint32_t off = skip_node((uint32_t)node);

    while (off < struct_size) {
        uint32_t t = tok(off);

        if (t == FDT_BEGIN_NODE)
            return (int)off;
        if (t != FDT_NOP)
            return -1;
        off += 4;
    }
    return -1;
}

const void *fdt_prop(int node, const char *name, uint32_t *len)
{
    uint32_t off;

    if (node < 0)
        return NULL;
    for (off = node_body(node); off < struct_size; off = skip_token(off)) {
        uint32_t t = tok(off);

        if (t == FDT_NOP)
            continue;
        if (t != FDT_PROP)
            return NULL;
        uint32_t nameoff = fdt_be32(structs + off + 8);

        if (nameoff < strings_size && strcmp((const char *)strings + nameoff, name) == 0) {
            if (len != NULL)
                *len = fdt_be32(structs + off + 4);
            return structs + off + 12;
        }
    }
    return NULL;
}

/* Node names match with or without their unit address ("cpus", "cpu@0"). */
static bool name_matches(int node, const char *name, size_t n)
{
    const char *nn = fdt_name(node);

    return strncmp(nn, name, n) == 0 &&
           (nn[n] == 0 || (nn[n] == '@' && memchr(name, '@', n) == NULL));
}

int fdt_path(const char *path)
{
    int node = 0;

    if (blob == NULL || tok(0) != FDT_BEGIN_NODE)
        return -1;
    while (*path == '/')
        path++;
    while (*path != 0) {
        const char *end = strchr(path, '/');
        size_t n = end ? (size_t)(end - path) : strlen(path);
        int c;

        for (c = fdt_first_child(node); c >= 0; c = fdt_next_sibling(c))
            if (name_matches(c, path, n))
                break;
        if (c < 0)
            return -1;
        node = c;
        path += n;
        while (*path == '/')
            path++;
    }
    return node;
}

bool fdt_compatible(int node, const char *compat)
{
    uint32_t len, i = 0;
    const char *p = fdt_prop(node, "compatible", &len);

    while (p != NULL && i < len) {
        if (strcmp(p + i, compat) == 0)
            return true;
        i += (uint32_t)strnlen(p + i, len - i) + 1;
    }
    return false;
}

int fdt_find_compatible(const char *compat)
{
    uint32_t off;

    for (off = 0; off < struct_size; off = skip_token(off)) {
        if (tok(off) == FDT_BEGIN_NODE && fdt_compatible((int)off, compat))
            return (int)off;
        if (tok(off) == FDT_END)
            break;
    }
    return -1;
}

int fdt_parent(int node)
{
    int stack[MAX_DEPTH], depth = 0;
    uint32_t off;

    for (off = 0; off < struct_size; off = skip_token(off)) {
        uint32_t t = tok(off);

        if (t == FDT_BEGIN_NODE) {
            if ((int)off == node)
                return depth > 0 ? stack[depth - 1] : -1;
            if (depth == MAX_DEPTH)
                return -1;
            stack[depth++] = (int)off;
        } else if (t == FDT_END_NODE) {
            if (depth-- == 0)
                return -1;
        } else if (t == FDT_END) {
            break;
        }
    }
    return -1;
}

uint32_t fdt_u32(int node, const char *name, uint32_t dflt)
{
    uint32_t len;
    const void *p = fdt_prop(node, name, &len);

    return p != NULL && len >= 4 ? fdt_be32(p) : dflt;
}

bool fdt_reg(int node, unsigned int i, uint64_t *addr, uint64_t *size)
{
    int parent = fdt_parent(node);
    uint32_t ac = fdt_u32(parent, "#address-cells", 2), sc = fdt_u32(parent, "#size-cells", 1);
    uint32_t len;
    const uint8_t *p = fdt_prop(node, "reg", &len);
    uint32_t entry = (ac + sc) * 4;

    if (p == NULL || ac > 2 || sc > 2 || entry == 0 || (i + 1) * entry > len)
        return false;
    *addr = fdt_cells(p + i * entry, ac);
    *size = fdt_cells(p + i * entry + ac * 4, sc);
    return true;
}
