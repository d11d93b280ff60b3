// SPDX-License-Identifier: GPL-2.0
/*
 * The detector table (include/detectors.h).
 */
#include <string.h>

#include "detectors.h"

const struct detector seam_detector_table[] = {
	{ "integrity", DETECTOR_KERNEL, true,
	  "a guest or the host read a value that is not the last tag written there: torn, stale, foreign or garbage" },
	{ "hung", DETECTOR_KERNEL, true,
	  "an operation older than the deadline, or a vCPU without guest progress that long" },
	{ "kvm_bug_on", DETECTOR_KERNEL, true, "a WARNING from KVM's sources in the kernel log" },
	{ "seamcall", DETECTOR_KERNEL, true, "a 'SEAMCALL ... failed' line in the kernel log" },
	{ "splat", DETECTOR_KERNEL, true,
	  "any other WARNING, BUG, Oops, lockup, stall, panic, or a /sys/kernel/*_count that grew" },
	{ "vm_bugged", DETECTOR_KERNEL, true, "the VM fd answers EIO after the run" },
	{ "vm_dead", DETECTOR_KERNEL, true, "tdx_model: KVM killed the VM (kvm_vm_dead)" },
	{ "td_build", DETECTOR_KERNEL, true,
	  "tdx_model: a TD-building ioctl failed without a KVM_BUG_ON (the TD's measurement is incomplete)" },
	{ "deadlock", DETECTOR_KERNEL, true,
	  "tdx_model: a wait-for cycle: memslot deletion's synchronize_srcu() and a vCPU retrying locally a fault on the INVALID memslot" },
	{ "uret_msr", DETECTOR_KERNEL, true,
	  "tdx_model: a user-return MSR not what KVM's cache says: host userspace or another VM's guest runs with a stale value" },
	{ "zero_step", DETECTOR_KERNEL, true,
	  "a fault streak at one address with no progress, or the TDX module's zero-step filter acting" },
	{ "kvm_run", DETECTOR_KERNEL, true, "KVM_RUN failed" },
	{ "unexpected_exit", DETECTOR_KERNEL, true, "an exit to userspace the workload never asks for" },
	{ "punch", DETECTOR_KERNEL, true, "fallocate, madvise or a conversion failed" },
	{ "td_exit", DETECTOR_KERNEL, true, "TDH.VP.ENTER failed (KVM_EXIT_INTERNAL_ERROR)" },
	{ "td_fatal", DETECTOR_KERNEL, true,
	  "the TD reported a real fatal error, or triple-faulted after the exception its handler recorded" },
	{ "conversion", DETECTOR_KERNEL, true,
	  "KVM_SET_MEMORY_ATTRIBUTES for a MapGPA or a memory fault failed" },
	{ "guest_assert", DETECTOR_HARNESS, false, "an assertion in the guest workload fired" },
	{ "td_image", DETECTOR_HARNESS, false,
	  "td_image: a vCPU of the TD's image missed its workload, its own stack or page tables, or stopped other than at a TDCALL" },
	{ "worker", DETECTOR_HARNESS, false,
	  "the worker died before finishing (a TEST_ASSERT, a crash)" },
	{ "expectation", DETECTOR_RUN, false, "an --expect'ed detector did not fire" },
	{ "interrupted", DETECTOR_RUN, false, "a signal stopped the run" },
	{ NULL },
};

const struct detector *detector_find(const char *name)
{
	const struct detector *d;

	for (d = seam_detector_table; d->name; d++)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

const char *detector_expectable_list(void)
{
	static char list[512];
	const struct detector *d;

	if (list[0])
		return list;
	for (d = seam_detector_table; d->name; d++) {
		if (!d->expectable)
			continue;
		if (list[0])
			strcat(list, ", ");
		strcat(list, d->name);
	}
	return list;
}
