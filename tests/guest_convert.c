// SPDX-License-Identifier: GPL-2.0
/*
 * guest_convert: every vCPU converts pages of its own order private ->
 * shared -> private itself, with MapGPA, right before it touches them,
 * while host threads punch holes in the same pages.
 *
 * The conversion is the guest's, as in a real TD: TDG.VP.VMCALL<MapGPA>
 * (on sw_protected the KVM_HC_MAP_GPA_RANGE hypercall) exits to the host
 * with KVM_EXIT_HYPERCALL, and the host answers with
 * KVM_SET_MEMORY_ATTRIBUTES, emptying the backing the guest left (the
 * private page once shared, the shared one once private again), as
 * private_mem_conversions_test does.  On TDX each half is RANGE.BLOCK,
 * TRACK and PAGE.REMOVE of an entry other vCPUs are AUG'ing and
 * accepting, driven from inside the TD; the page comes back PENDING, so
 * the converting vCPU accepts it and the others take a #VE (SEPT_VE_DISABLE
 * stays clear: the guest removes private pages whatever the punchers do).
 * The flavor must have memory attributes: sw_protected or tdx; elsewhere
 * the test SKIPs naming the missing capability.
 */
#include "chaos.h"
#include "guest_code.h"
#include "guest_sweep.h"
#include "seam_test.h"

/* One page in this many of each vCPU's order is converted before its touch. */
#define GUEST_CONVERT_EVERY	8

/*
 * Guest, per page: convert it first where its place in this vCPU's order
 * says so; then the page reads 0 or the last tag, and the write must stick.
 */
__guest_inline void convert_and_write(struct guest_sweep *s, volatile uint64_t *slot,
				      unsigned int width)
{
	if (READ_ONCE(s->p->idx) % GUEST_CONVERT_EVERY == 0)
		seam_guest_convert(s->p, (uint64_t)slot & ~(SEAM_PAGE_SIZE - 1));
	guest_accept_if_asked(s, slot);
	guest_check_untouched(s, slot, width);
	guest_write_read_back(s, slot, width);
	guest_burst_point(s);
}
SEAM_GUEST_SWEEPS_VM(guest_code, convert_and_write)

/* Host: punch, as concurrent_fault does, against the guest's conversions. */
static int punch(struct chaos_target *t, uint64_t n, uint64_t off, uint64_t len)
{
	return chaos_punch(t, off, len);
}

static const struct seam_test test = {
	.name = "guest_convert",
	.summary = "vCPUs convert their pages private<->shared themselves (MapGPA) while the host punches holes",
	.guest_code = guest_code,
	.chaos_op = punch,
	.needs = SEAM_NEEDS_MEMORY_ATTRIBUTES,
	.guest_converts = true,
};
SEAM_TEST_MAIN(test)
