/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A TD's exits to userspace (docs/tdx-kvm-abi.md §6) and what the harness
 * does with each: the seamstress message's doorbell (a TD's MMIO write, any
 * other VM's port write), MapGPA and memory-fault conversions, KVM_EXIT_TDX
 * sub-functions, and the internal error whose data[0] is TDH.VP.ENTER's
 * status.  Pure over struct kvm_run,
 * so the contract tests drive it with crafted exits.
 */
#ifndef SEAMSTRESS_TD_EXIT_H
#define SEAMSTRESS_TD_EXIT_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "report.h"
#include "seamstress.h"

enum td_exit_action {
	TD_EXIT_MSG,		/* *msg holds a guest message */
	TD_EXIT_RESUME,		/* handled: enter again */
	TD_EXIT_FAILED,		/* a finding was recorded: stop this vCPU */
};

/* What one KVM_RUN came back with. */
enum td_run_result {
	TD_RUN_EXIT,		/* an exit to handle (KVM_EXIT_MEMORY_FAULT included) */
	TD_RUN_KICKED,		/* EINTR: a signal, enter again */
	TD_RUN_FAILED,		/* KVM_RUN itself failed */
};

/*
 * From KVM_RUN's return @r, its errno @err and kvm_run.exit_reason: a
 * KVM_EXIT_MEMORY_FAULT comes with -1 and EFAULT or EHWPOISON.
 */
enum td_run_result td_run_result(int r, int err, uint32_t exit_reason);

struct td_exit_ops {
	/* KVM_SET_MEMORY_ATTRIBUTES of [gpa, gpa + size): 0 or -errno. */
	int (*set_attributes)(void *ctx, uint64_t gpa, uint64_t size, bool private);
	void *ctx;
	/* The shared progress blocks, where a TD leaves its exception (NULL: none). */
	const struct seam_progress *progress;
};

/*
 * Any other VM's message doorbell: a 4-byte OUT of the vCPU index + 1 to
 * SEAM_MSG_PORT (include/seamstress.h); the message is in ops->progress.
 */
enum td_exit_action vm_handle_doorbell(struct kvm_run *run, uint32_t vcpu,
				       const struct td_exit_ops *ops, struct seam_msg *msg,
				       struct seam_report *r);
enum td_exit_action td_handle_exit(struct kvm_run *run, uint32_t vcpu,
				   const struct td_exit_ops *ops,
				   struct seam_msg *msg, struct seam_report *r);

#endif /* SEAMSTRESS_TD_EXIT_H */
