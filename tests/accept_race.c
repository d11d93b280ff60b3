// SPDX-License-Identifier: GPL-2.0
/*
 * accept_race: the guest accepts each page immediately before touching it,
 * while the host punches exactly the page each vCPU will accept next
 * (--pattern ahead: the host reads the vCPU's live progress and its order).
 *
 * On TDX this is one S-EPT entry fought over by TDG.MEM.PAGE.ACCEPT and the
 * host's PAGE.REMOVE/RANGE.BLOCK/PAGE.AUG, with host priority and the
 * HOST_PRIORITY_BUSY_TIMEOUT risk (docs/tdx-module-and-kvm.md §1.3, §1.5).
 * Other flavors have nothing to accept, so the accept is a no-op there; the
 * race of the refault against the punch remains, and so do the counts: accepts,
 * refaults after removal (punch_hits).
 */
#include "chaos.h"
#include "guest_sweep.h"
#include "seam_test.h"

/*
 * Guest, per page: accept, then touch; the punch aimed at the next page
 * lands between the two or just before the accept.
 */
SEAM_GUEST_STEP(accept_then_touch, {
	guest_accept(s, slot);
	guest_check_untouched(s, slot, width);
	guest_write_read_back(s, slot, width);
	guest_burst_point(s);
})
SEAM_GUEST_SWEEPS(guest_code, accept_then_touch)

/* Host: punch the page a vCPU accepts next (the pattern does the aiming). */
static int punch(struct chaos_target *t, uint64_t n, uint64_t off, uint64_t len)
{
	return chaos_punch(t, off, len);
}

/* --accept tells the tdx_model's guest to accept too. */
static const char *const defaults[] = { "--accept", "--pattern", "ahead", NULL };

static const struct seam_test test = {
	.name = "accept_race",
	.summary = "each vCPU accepts a page right before touching it; the host punches it just then",
	.guest_code = guest_code,
	.model_guest_code = guest_code_on_model,
	.chaos_op = punch,
	.defaults = defaults,
};
SEAM_TEST_MAIN(test)
