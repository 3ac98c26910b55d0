/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Read-only DTB reader (format: devicetree specification v0.4, chapter 5).
 *
 * The structure block is a token stream: BEGIN_NODE name, PROP {len, nameoff} value,
 * END_NODE, NOP, END; all tokens 4-byte aligned. We never trust a length or offset from
 * the blob: each is checked against the block it points into before we read through it.
 * Bytes are read one at a time so an odd blob address cannot fault with the MMU off.
 */
#include <xen/fdt.h>
#include <xen/errno.h>
#include <xen/lib.h>

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u

/* A host DT larger than this is not a DT we want to walk at boot. */
#define FDT_MAX_SIZE (2u << 20)

uint32_t fdt_be32(const void *p)
{
    const uint8_t *b = p;

    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t fdt_read_cells(const void *p, uint32_t cells)
{
    const uint8_t *b = p;
    uint64_t v = 0;

    /* More than two cells cannot fit 64 bits: keep the low 64, as the bus addresses do. */
    for (uint32_t i = 0; i < cells && i < 4; i++)
        v = v << 32 | fdt_be32(b + 4 * i);
    return v;
}

uint32_t fdt_total_size(const void *blob)
{
    return fdt_be32((const uint8_t *)blob + 4);
}

int fdt_open(struct fdt *fdt, const void *blob, size_t max_size)
{
    const uint8_t *h = blob;
    uint32_t total, version, last_comp;

    if (blob == NULL || max_size < 40 || fdt_be32(h) != FDT_MAGIC)
        return -EINVAL;
    total = fdt_be32(h + 4);
    version = fdt_be32(h + 20);
    last_comp = fdt_be32(h + 24);
    if (total < 40 || total > max_size || total > FDT_MAX_SIZE)
        return -EINVAL;
    /* Version 17 with compatibility down to 16 is what every producer writes today. */
    if (version < 16 || last_comp > 17)
        return -EINVAL;
    fdt->blob = blob;
    fdt->struct_off = fdt_be32(h + 8);
    fdt->strings_off = fdt_be32(h + 12);
    fdt->strings_size = fdt_be32(h + 32);
    fdt->struct_size = fdt_be32(h + 36);
    /* Both blocks inside the blob; subtraction form so no sum can overflow. */
    if (fdt->struct_off > total || fdt->struct_size > total - fdt->struct_off ||
        fdt->strings_off > total || fdt->strings_size > total - fdt->strings_off ||
        (fdt->struct_off & 3) != 0 || (fdt->struct_size & 3) != 0)
        return -EINVAL;
    return 0;
}

static uint32_t tok_at(const struct fdt *fdt, uint32_t pos)
{
    return fdt_be32(fdt->blob + fdt->struct_off + pos);
}

/* Length of the NUL-terminated string at pos in a block of size lim, or -1 if unterminated. */
static long bounded_strlen(const uint8_t *s, uint32_t pos, uint32_t lim)
{
    for (uint32_t i = pos; i < lim; i++)
        if (s[i] == '\0')
            return (long)(i - pos);
    return -1;
}

static bool streq(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/*
 * Position just past the BEGIN_NODE token and name at off (4-aligned), or 0 if
 * malformed. 0 is never a valid "after" position since a token precedes it.
 */
static uint32_t skip_node_name(const struct fdt *fdt, uint32_t off)
{
    long n = bounded_strlen(fdt->blob + fdt->struct_off, off + 4, fdt->struct_size);

    if (n < 0)
        return 0;
    return (off + 4 + (uint32_t)n + 1 + 3) & ~3u;
}

/*
 * Parse the PROP token at pos: its name, value, length, and the position of the next
 * token. false if it does not fit its blocks.
 */
static bool read_prop(const struct fdt *fdt, uint32_t pos, const char **name, const void **val,
                      uint32_t *len, uint32_t *next)
{
    uint32_t plen, nameoff;
    long nlen;

    if (pos > fdt->struct_size || fdt->struct_size - pos < 12)
        return false;
    plen = tok_at(fdt, pos + 4);
    nameoff = tok_at(fdt, pos + 8);
    if (plen > fdt->struct_size - pos - 12)
        return false;
    if (nameoff >= fdt->strings_size)
        return false;
    nlen = bounded_strlen(fdt->blob + fdt->strings_off, nameoff, fdt->strings_size);
    if (nlen < 0)
        return false;
    *name = (const char *)fdt->blob + fdt->strings_off + nameoff;
    *val = fdt->blob + fdt->struct_off + pos + 12;
    *len = plen;
    *next = (pos + 12 + plen + 3) & ~3u;
    return true;
}

const void *fdt_prop(const struct fdt *fdt, const struct fdt_node *node, const char *name,
                     uint32_t *len)
{
    uint32_t pos = skip_node_name(fdt, node->off);

    /* Properties come first, before any child; the stream length bounds the loop. */
    while (pos != 0 && pos + 4 <= fdt->struct_size) {
        uint32_t tok = tok_at(fdt, pos), plen, next;
        const char *pname;
        const void *val;

        if (tok == FDT_NOP) {
            pos += 4;
            continue;
        }
        if (tok != FDT_PROP || !read_prop(fdt, pos, &pname, &val, &plen, &next))
            return NULL;
        if (streq(pname, name)) {
            if (len != NULL)
                *len = plen;
            return val;
        }
        pos = next;
    }
    return NULL;
}

bool fdt_prop_has_string(const struct fdt *fdt, const struct fdt_node *node, const char *name,
                         const char *str)
{
    uint32_t len, i = 0;
    const char *v = fdt_prop(fdt, node, name, &len);

    if (v == NULL)
        return false;
    while (i < len) {
        long n = bounded_strlen((const uint8_t *)v, i, len);

        if (n < 0)
            return false;
        if (streq(v + i, str))
            return true;
        i += (uint32_t)n + 1;
    }
    return false;
}

bool fdt_is_compatible(const struct fdt *fdt, const struct fdt_node *node, const char *compat)
{
    return fdt_prop_has_string(fdt, node, "compatible", compat);
}

bool fdt_is_available(const struct fdt *fdt, const struct fdt_node *node)
{
    uint32_t len;
    const char *s = fdt_prop(fdt, node, "status", &len);

    if (s == NULL)
        return true;
    return fdt_prop_has_string(fdt, node, "status", "okay") ||
           fdt_prop_has_string(fdt, node, "status", "ok");
}

bool fdt_prop_u32(const struct fdt *fdt, const struct fdt_node *node, const char *name,
                  uint32_t *val)
{
    uint32_t len;
    const void *p = fdt_prop(fdt, node, name, &len);

    if (p == NULL || len != 4)
        return false;
    *val = fdt_be32(p);
    return true;
}

bool fdt_mem_rsv(const struct fdt *fdt, unsigned int i, uint64_t *addr, uint64_t *size)
{
    uint32_t total = fdt_be32(fdt->blob + 4), off = fdt_be32(fdt->blob + 16);
    const uint8_t *e;

    /* 16-byte entries from off_mem_rsvmap; the header (40 bytes) was checked by fdt_open. */
    if (off < 40 || off > total || i >= (total - off) / 16)
        return false;
    e = fdt->blob + off + 16 * i;
    *addr = fdt_read_cells(e, 2);
    *size = fdt_read_cells(e + 8, 2);
    return *addr != 0 || *size != 0;
}

bool fdt_reg(const struct fdt *fdt, const struct fdt_node *node, unsigned int i, uint64_t *addr,
             uint64_t *size)
{
    uint32_t len, ac = node->addr_cells, sc = node->size_cells, entry;
    const uint8_t *p = fdt_prop(fdt, node, "reg", &len);

    if (p == NULL || ac == 0 || ac > 2 || sc > 2)
        return false;
    entry = 4 * (ac + sc);
    if (i >= len / entry)
        return false;
    p += i * entry;
    *addr = fdt_read_cells(p, ac);
    *size = sc != 0 ? fdt_read_cells(p + 4 * ac, sc) : 0;
    return true;
}

void fdt_walk_start(struct fdt_walk *w)
{
    w->pos = 0;
    w->depth = 0;
    /* The spec's defaults, for a root without #address-cells / #size-cells. */
    w->addr_cells[0] = 2;
    w->size_cells[0] = 1;
}

bool fdt_walk_next(const struct fdt *fdt, struct fdt_walk *w, struct fdt_node *node)
{
    /* Every iteration consumes at least one 4-byte token, so struct_size/4 bounds it. */
    for (uint32_t budget = fdt->struct_size / 4 + 1; budget > 0; budget--) {
        uint32_t tok, next, plen;
        const char *pname;
        const void *val;

        if (w->pos > fdt->struct_size || fdt->struct_size - w->pos < 4)
            return false;
        tok = tok_at(fdt, w->pos);
        switch (tok) {
        case FDT_BEGIN_NODE:
            if (w->depth > FDT_MAX_DEPTH)
                return false;
            next = skip_node_name(fdt, w->pos);
            if (next == 0)
                return false;
            node->off = w->pos;
            node->depth = w->depth;
            node->name = (const char *)fdt->blob + fdt->struct_off + w->pos + 4;
            /* The root's reg (none) would use the defaults; children use the parent's. */
            node->addr_cells = w->depth > 0 ? w->addr_cells[w->depth - 1] : 2;
            node->size_cells = w->depth > 0 ? w->size_cells[w->depth - 1] : 1;
            /* What this node says its children use: defaults unless it overrides. */
            w->addr_cells[w->depth] = 2;
            w->size_cells[w->depth] = 1;
            fdt_prop_u32(fdt, node, "#address-cells", &w->addr_cells[w->depth]);
            fdt_prop_u32(fdt, node, "#size-cells", &w->size_cells[w->depth]);
            w->depth++;
            w->pos = next;
            return true;
        case FDT_END_NODE:
            if (w->depth == 0)
                return false;
            w->depth--;
            w->pos += 4;
            break;
        case FDT_PROP:
            if (!read_prop(fdt, w->pos, &pname, &val, &plen, &next))
                return false;
            w->pos = next;
            break;
        case FDT_NOP:
            w->pos += 4;
            break;
        default: /* FDT_END or garbage */
            return false;
        }
    }
    return false;
}

bool fdt_visit_subtree(const struct fdt *fdt, const struct fdt_node *node,
                       const struct fdt_visitor *v)
{
    uint32_t pos = node->off;
    unsigned int depth = 0, skipping = 0; /* skipping: levels open inside a skipped node */

    /* Every step moves pos forward by at least 4 bytes: bounded by the block's size. */
    while (pos + 4 <= fdt->struct_size) {
        uint32_t tok = tok_at(fdt, pos), plen, next;
        enum fdt_visit how = FDT_VISIT_SKIP;
        const char *name;
        const void *val;

        switch (tok) {
        case FDT_NOP:
            pos += 4;
            break;
        case FDT_BEGIN_NODE:
            next = skip_node_name(fdt, pos);
            if (next == 0 || depth + skipping == FDT_MAX_DEPTH)
                return false;
            if (skipping == 0)
                how = v->begin(v->ctx, (const char *)fdt->blob + fdt->struct_off + pos + 4, pos);
            if (how == FDT_VISIT_STOP)
                return false;
            if (how == FDT_VISIT_ENTER)
                depth++;
            else
                skipping++;
            pos = next;
            break;
        case FDT_PROP:
            if (depth + skipping == 0 || !read_prop(fdt, pos, &name, &val, &plen, &next) ||
                (skipping == 0 && !v->prop(v->ctx, name, val, plen)))
                return false;
            pos = next;
            break;
        case FDT_END_NODE:
            pos += 4;
            if (skipping != 0) {
                if (--skipping == 0 && depth == 0)
                    return true; /* node itself was skipped */
                break;
            }
            if (depth == 0 || !v->end(v->ctx))
                return false;
            if (--depth == 0)
                return true;
            break;
        default:
            return false;
        }
    }
    return false;
}

bool fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle, struct fdt_node *out)
{
    struct fdt_walk w;
    uint32_t v;

    if (phandle == 0 || phandle == ~0u)
        return false; /* never a node's (devicetree specification 2.3.3) */
    fdt_walk_start(&w);
    while (fdt_walk_next(fdt, &w, out))
        if (fdt_prop_u32(fdt, out, "phandle", &v) && v == phandle)
            return true;
    return false;
}

bool fdt_translate(const struct fdt *fdt, const struct fdt_node *path, unsigned int depth,
                   uint64_t *addr, uint64_t size)
{
    /* path[k] is a bus whose children's addresses path[k + 1] reads with its cells. */
    for (unsigned int k = depth - 1; depth > 0 && k >= 1; k--) {
        uint32_t ca = path[k + 1].addr_cells, pa = path[k].addr_cells, cs = path[k + 1].size_cells;
        uint32_t len = 0, entry = 4 * (ca + pa + cs);
        const uint8_t *r = fdt_prop(fdt, &path[k], "ranges", &len);
        bool found = false;

        if (r == NULL || ca > 2 || pa > 2 || cs > 2 || ca == 0 || pa == 0)
            return false;
        for (uint32_t i = 0; len != 0 && i + entry <= len && !found; i += entry) {
            uint64_t cb = fdt_read_cells(r + i, ca), pb = fdt_read_cells(r + i + 4 * ca, pa);
            uint64_t sz = fdt_read_cells(r + i + 4 * (ca + pa), cs);

            if (*addr >= cb && size <= sz && *addr - cb <= sz - size) {
                *addr = *addr - cb + pb;
                found = true;
            }
        }
        if (len != 0 && !found)
            return false; /* empty ranges: the same addresses above */
    }
    return true;
}
