// SPDX-License-Identifier: GPL-2.0
/*
 * convert_vs_fault: vCPUs fault on and write pages while host threads
 * convert them private -> shared -> private with KVM_SET_MEMORY_ATTRIBUTES,
 * emptying both backings on the way (guest_memfd's private page and the
 * shared mapping's), so the guest may only ever read its own tag or zero.
 *
 * A conversion is a zap KVM makes itself: kvm_vm_set_mem_attributes()
 * invalidates the range under mmu_lock and the next private fault maps it
 * again (docs/tdx-kvm-abi.md §5); on TDX that is RANGE.BLOCK, TRACK
 * and PAGE.REMOVE against the vCPUs' PAGE.AUG and ACCEPT of the same entry,
 * as in concurrent_fault, but with the attribute update racing the fault's
 * check of it (KVM_EXIT_MEMORY_FAULT when they disagree).  The flavor must
 * have memory attributes: sw_protected (an upstream KVM built with
 * KVM_SW_PROTECTED_VM), tdx, or the tdx_model; elsewhere the test SKIPs
 * naming the missing capability.
 */
#include "chaos.h"
#include "guest_sweep.h"
#include "seam_test.h"

/*
 * Guest, per page: a page converted since the last sweep reads 0 (a
 * refault), and the write after it must stick.
 */
SEAM_GUEST_STEP(fault_through_conversion, {
	guest_accept_if_asked(s, slot);
	guest_check_untouched(s, slot, width);
	guest_write_read_back(s, slot, width);
	guest_burst_point(s);
})
SEAM_GUEST_SWEEPS(guest_code, fault_through_conversion)

/* Host: convert, nothing else, so every refault is a conversion's. */
static int convert(struct chaos_target *t, uint64_t n, uint64_t off, uint64_t len)
{
	return chaos_convert(t, off, len);
}

static const struct seam_test test = {
	.name = "convert_vs_fault",
	.summary = "vCPUs fault on and write pages while the host converts them private<->shared",
	.guest_code = guest_code,
	.model_guest_code = guest_code_on_model,
	.chaos_op = convert,
	.needs = SEAM_NEEDS_MEMORY_ATTRIBUTES,
};
SEAM_TEST_MAIN(test)
