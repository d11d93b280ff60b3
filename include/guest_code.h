/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's out-of-line half (lib/guest_code.c): messages to the host, the
 * TD's accept, and the global the guest shares with the host.  The inline
 * half, from which tests build their loops, is include/guest_sweep.h.  The
 * guest runs its own copy of this binary, so the host sets the
 * arguments with sync_global_to_guest() (for a TD, before the image is
 * measured) and reads progress through the shared progress pages.
 */
#ifndef SEAMSTRESS_GUEST_CODE_H
#define SEAMSTRESS_GUEST_CODE_H

#include "seamstress.h"

extern struct seam_guest_args seam_guest_args;

/*
 * A TD's boot, as the host wrote it into the image before it was measured:
 * the workload seam_td_entry() calls, and each vCPU's stack, so that the
 * exception handler can tell whose stack it runs on.
 */
struct seam_td_guest {
	void (*workload)(uint32_t vcpu);
	uint64_t stack_top[SEAM_MAX_VCPUS];
	uint64_t stack_size;
};
extern struct seam_td_guest seam_td_guest;

/*
 * Where the TD's trampoline enters the workload (RDI = VCPU_INDEX): leaves
 * the vCPU's index, stack and CR3 in its progress block, then runs
 * seam_td_guest.workload.
 */
void seam_td_entry(uint32_t vcpu);

struct ex_regs;
/*
 * The TD's handler for every exception vector: records the first in the
 * vCPU's progress block (struct seam_td_trace) and triple-faults, which the
 * host sees as KVM_EXIT_SHUTDOWN.  Installed through the library's
 * vm_install_exception_handler().
 */
void seam_guest_fault(struct ex_regs *regs);

/*
 * A message to the host, in @p (this vCPU's progress block), and the
 * doorbell: a TD's MMIO write, any other VM's port write
 * (include/seamstress.h).
 */
void seam_guest_msg5(struct seam_progress *p, uint64_t cmd, uint64_t stage, uint64_t a,
		     uint64_t b, uint64_t c, uint64_t d, uint64_t e);
void seam_guest_msg(struct seam_progress *p, uint64_t cmd, uint64_t stage, uint64_t a,
		    uint64_t b, uint64_t c, uint64_t d);
/* Accept the 4K page at @gpa (a TD only), retrying BUSY; counted in @p. */
void seam_guest_accept(struct seam_progress *p, uint64_t gpa);
/*
 * Convert the 4K page at @gpa private -> shared -> private from inside the
 * guest (MapGPA: a TD's TDG.VP.VMCALL<MapGPA>, elsewhere the
 * KVM_HC_MAP_GPA_RANGE hypercall); the host answers each half through
 * KVM_EXIT_HYPERCALL.  Counted in @p.
 */
void seam_guest_convert(struct seam_progress *p, uint64_t gpa);
/* An ABORT message unless @vcpu is one the host created. */
void seam_guest_check_vcpu(uint32_t vcpu);

#endif /* SEAMSTRESS_GUEST_CODE_H */
