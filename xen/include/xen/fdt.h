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

/*
 * The i-th entry of the blob's memory reservation block (the DTS's /memreserve/ lines):
 * false past the last (the all-zero entry) or past the blob's end.
 */
bool fdt_mem_rsv(const struct fdt *fdt, unsigned int i, uint64_t *addr, uint64_t *size);

/* The i-th (address, size) pair of reg, decoded with the parent's cell counts. */
bool fdt_reg(const struct fdt *fdt, const struct fdt_node *node, unsigned int i, uint64_t *addr,
             uint64_t *size);

/*
 * Visit node and everything under it in order: begin(name, off) for each node (off: of
 * its BEGIN_NODE token, as struct fdt_node has it), prop(...) for each of its properties,
 * end() when it closes. begin says whether to enter the node or skip it with everything
 * under it (no more calls for them). false if the blob is malformed there or a callback
 * stopped the visit. Bounded by the structure block's size; at most FDT_MAX_DEPTH levels
 * below node.
 */
enum fdt_visit { FDT_VISIT_STOP, FDT_VISIT_SKIP, FDT_VISIT_ENTER };
struct fdt_visitor {
    enum fdt_visit (*begin)(void *ctx, const char *name, uint32_t off);
    bool (*prop)(void *ctx, const char *name, const void *val, uint32_t len);
    bool (*end)(void *ctx);
    void *ctx;
};
bool fdt_visit_subtree(const struct fdt *fdt, const struct fdt_node *node,
                       const struct fdt_visitor *v);

/* The node whose "phandle" is phandle (a walk over the whole tree). */
bool fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle, struct fdt_node *out);

/*
 * A node's bus address as its parent sees it, translated up to the root's address space
 * through the "ranges" of each ancestor: path[0] is the root, path[depth] the node (a
 * walk's nodes, kept per depth). An empty ranges passes addresses through; a bus without
 * ranges is not memory-mapped (I2C, SPI, ...), and false says so, as it does for a range
 * [*addr, *addr + size) no entry covers whole or cells beyond 64 bits.
 */
bool fdt_translate(const struct fdt *fdt, const struct fdt_node *path, unsigned int depth,
                   uint64_t *addr, uint64_t size);

/* Big-endian cells of a property. */
uint32_t fdt_be32(const void *p);
uint64_t fdt_read_cells(const void *p, uint32_t cells);

#endif
