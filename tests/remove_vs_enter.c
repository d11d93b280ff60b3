// SPDX-License-Identifier: GPL-2.0
/*
 * remove_vs_enter: host threads punch holes in (and, where the flavor has
 * memory attributes, convert) the contended region while every vCPU enters
 * and exits as fast as it can: the guest exits every few pages (--burst 8)
 * and a kicker signals each vCPU out of KVM_RUN (--kick-rate 1000 Hz).
 *
 * On TDX this is the TDCS epoch (TDH.MEM.TRACK exclusive against every
 * TDH.VP.ENTER) and the secure-EPT tree lock (TDH.MEM.RANGE.BLOCK exclusive
 * against VP.ENTER's zero-step check), where KVM must kick vCPUs out and retry
 * (docs/tdx-module-and-kvm.md §1.3, §2.2, §3 bug 2).  The report carries the
 * punch latency percentiles, where BLOCK/TRACK/REMOVE retries show, and entries
 * per second.
 */
#include "chaos.h"
#include "guest_sweep.h"
#include "seam_test.h"

/*
 * Guest, per page: the sweep of concurrent_fault, out to the host every
 * --burst pages, so that every few stores are a TD exit and a TDH.VP.ENTER.
 */
SEAM_GUEST_STEP(write_and_exit, {
	guest_accept_if_asked(s, slot);
	guest_check_untouched(s, slot, width);
	guest_write_read_back(s, slot, width);
	guest_burst_point(s);
})
SEAM_GUEST_SWEEPS(guest_code, write_and_exit)

/*
 * Host: punches alternate with conversions where the flavor has memory
 * attributes: a conversion is a zap KVM makes itself, under the same locks
 * as the punch's, with the attribute update around it.
 */
static int punch_or_convert(struct chaos_target *t, uint64_t n, uint64_t off, uint64_t len)
{
	if ((n & 1) && chaos_can_convert(t))
		return chaos_convert(t, off, len);
	return chaos_punch(t, off, len);
}

static const char *const defaults[] = { "--burst", "8", "--kick-rate", "1000", NULL };

static const struct seam_test test = {
	.name = "remove_vs_enter",
	.summary = "punches and conversions while every vCPU exits and re-enters as fast as it can",
	.guest_code = guest_code,
	.model_guest_code = guest_code_on_model,
	.chaos_op = punch_or_convert,
	.defaults = defaults,
};
SEAM_TEST_MAIN(test)
