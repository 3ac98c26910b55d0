/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small read-only flattened device tree (DTB) reader. See docs/arm-boot.md for why this
 * is ours and not libfdt. Every offset taken from the blob is bounds-checked against the
 * header before use, every loop is bounded by the blob's size, and nothing is written, so
 * a malformed DTB makes the reader fail, never run off the end.
 */
#ifndef MINIXEN_FDT_H
#define MINIXEN_FDT_H

#include <xen/types.h>

#define FDT_MAX_DEPTH 16

struct fdt {
    const uint8_t *blob;
    uint32_t struct_off, struct_size;   /* structure block */
    uint32_t strings_off, strings_size; /* strings block */
};

/* One node as the walk sees it. */
struct fdt_node {
    uint32_t off;        /* of its FDT_BEGIN_NODE token, within the structure block */
    unsigned int depth;  /* root = 0 */
    const char *name;    /* "memory@40000000"; "" for the root */
    uint32_t addr_cells; /* the parent's #address-cells: how to read this node's reg */
    uint32_t size_cells; /* the parent's #size-cells */
};

struct fdt_walk {
    uint32_t pos; /* next token, within the structure block */
    unsigned int depth;
    uint32_t addr_cells[FDT_MAX_DEPTH + 1], size_cells[FDT_MAX_DEPTH + 1];
};

/* 0 if blob is a sane DTB no larger than max_size (its header's totalsize is checked). */
int fdt_open(struct fdt *fdt, const void *blob, size_t max_size);
uint32_t fdt_total_size(const void *blob);

/* Pre-order walk: each call yields the next node; false at the end or on a malformed blob. */
void fdt_walk_start(struct fdt_walk *w);
bool fdt_walk_next(const struct fdt *fdt, struct fdt_walk *w, struct fdt_node *node);

/* Property value of a node, or NULL; *len gets its length in bytes. */
const void *fdt_prop(const struct fdt *fdt, const struct fdt_node *node, const char *name,
                     uint32_t *len);
/* Is str one of the strings of a stringlist property (compatible, ...)? */
bool fdt_prop_has_string(const struct fdt *fdt, const struct fdt_node *node, const char *name,
                         const char *str);
bool fdt_is_compatible(const struct fdt *fdt, const struct fdt_node *node, const char *compat);
/* status absent, "okay" or "ok". */
bool fdt_is_available(const struct fdt *fdt, const struct fdt_node *node);
bool fdt_prop_u32(const struct fdt *fdt, const struct fdt_node *node, const char *name,
                  uint32_t *val);

/* The i-th (address, size) pair of reg, decoded with the parent's cell counts. */
bool fdt_reg(const struct fdt *fdt, const struct fdt_node *node, unsigned int i, uint64_t *addr,
             uint64_t *size);

/*
 * Visit node and everything under it in order: begin(name) for each node, prop(...) for
 * each of its properties, end() when it closes. false if the blob is malformed there or a
 * callback returned false. Bounded by the structure block's size; at most FDT_MAX_DEPTH
 * levels below node.
 */
struct fdt_visitor {
    bool (*begin)(void *ctx, const char *name);
    bool (*prop)(void *ctx, const char *name, const void *val, uint32_t len);
    bool (*end)(void *ctx);
    void *ctx;
};
bool fdt_visit_subtree(const struct fdt *fdt, const struct fdt_node *node,
                       const struct fdt_visitor *v);

/* Big-endian cells of a property. */
uint32_t fdt_be32(const void *p);
uint64_t fdt_read_cells(const void *p, uint32_t cells);

#endif
