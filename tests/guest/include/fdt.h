/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small read-only flattened device-tree reader for the guest (the guest may not use
 * the hypervisor's libraries). Nodes are offsets into the structure block; every walk is
 * bounded by the blob's own size fields, so a corrupt DT gives "not found", not a fault.
 */
#ifndef GUEST_FDT_H
#define GUEST_FDT_H

#include <stdbool.h>
#include <stdint.h>

bool fdt_init(const void *blob);
int fdt_path(const char *path); /* node offset or -1 */
int fdt_first_child(int node);  /* -1 if none */
int fdt_next_sibling(int node); /* -1 if none */
const char *fdt_name(int node);
const void *fdt_prop(int node, const char *name, uint32_t *len);
bool fdt_compatible(int node, const char *compat); /* in its "compatible" list */
int fdt_find_compatible(const char *compat);       /* first such node, or -1 */
uint32_t fdt_be32(const void *p);
uint64_t fdt_cells(const void *p, uint32_t ncells); /* 1 or 2 big-endian cells */
uint32_t fdt_u32(int node, const char *name, uint32_t dflt);
/* reg entry i of node, with the parent's #address-cells/#size-cells. */
bool fdt_reg(int node, unsigned int i, uint64_t *addr, uint64_t *size);
int fdt_parent(int node); /* -1 for the root */

#endif
