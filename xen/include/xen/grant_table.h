/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Grant tables as the rest of the hypervisor sees them (xen/common/grant_table.c): version 1
 * shared frames, allocated when first needed, up to Xen's default of 64 frames.
 */
#ifndef MINIXEN_GRANT_TABLE_H
#define MINIXEN_GRANT_TABLE_H

#include <xen/domain.h>

#define GNTTAB_MAX_FRAMES     64 /* Xen's default max_grant_frames */
#define GNTTAB_INITIAL_FRAMES 1  /* a table starts this large, as on Xen */

/*
 * The page of grant-table frame idx of d, growing the table up to idx (XENMEM_add_to_physmap
 * with XENMAPSPACE_grant_table). -EINVAL past the limit, or if it cannot grow.
 */
int gnttab_get_frame(struct domain *d, uint64_t idx, void **page);
/* Frame idx is now mapped at gfn in d (what GNTTABOP_setup_table reports for it). */
void gnttab_set_frame_gfn(struct domain *d, uint64_t idx, gfn_t gfn);
/* Whatever grant-table frame was mapped at gfn of d is no longer (remove_from_physmap). */
void gnttab_forget_frame_gfn(struct domain *d, gfn_t gfn);
/*
 * d starts a new life (domain_reset): the mappings it held of other domains' grants are
 * released, every mapping of its own grants in any domain is removed from that domain's
 * guest-physical map (its frames are about to be scrubbed and reused), and its table is
 * as if never used.
 */
void gnttab_domain_reset(struct domain *d);
/* The same, then d's table freed (domain destruction). */
void gnttab_domain_destroy(struct domain *d);

#endif
