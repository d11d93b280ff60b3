// SPDX-License-Identifier: GPL-2.0
/*
 * concurrent_fault: many vCPUs fault on and write the same guest-physical
 * pages at the same moment while host threads punch holes under them.
 *
 * On TDX this drives the S-EPT entry lock: TDH.MEM.SEPT.ADD and
 * TDH.MEM.PAGE.AUG of one GPA from several vCPUs at once, against the
 * RANGE.BLOCK/TRACK/PAGE.REMOVE of the punch (docs/design.md §2.1); vCPUs
 * that lose the race re-fault at the same RIP, which is what arms the TDX
 * module's zero-step filter.  On every flavor the guest checks that it reads
 * back only its own tag or zero, and the host that it sees the last tags.
 */
#include "chaos.h"
#include "guest_sweep.h"
#include "seam_test.h"

/*
 * Guest, per page: the first touch of a page, and of a page punched since,
 * faults; several vCPUs meet on it (each sweeps in its own order, shuffled
 * by default); the write must stick.
 */
SEAM_GUEST_STEP(fault_and_write, {
	guest_accept_if_asked(s, slot);
	guest_check_untouched(s, slot, width);
	guest_write_read_back(s, slot, width);
	guest_burst_point(s);
})
SEAM_GUEST_SWEEPS(guest_code, fault_and_write)

/* Host: punch holes, nothing else, so every refault is a punch's. */
static int punch(struct chaos_target *t, uint64_t n, uint64_t off, uint64_t len)
{
	return chaos_punch(t, off, len);
}

static const struct seam_test test = {
	.name = "concurrent_fault",
	.summary = "vCPUs fault on and write the same pages while the host punches holes",
	.guest_code = guest_code,
	.model_guest_code = guest_code_on_model,
	.chaos_op = punch,
};
SEAM_TEST_MAIN(test)
