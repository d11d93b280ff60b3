// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's out-of-line pieces: the tests' loops (built from
 * include/guest_sweep.h) call these off the per-page fast path.
 *
 * The same code runs in every flavor; a TD differs in two places only: it
 * accepts each page before touching it (TDG.MEM.PAGE.ACCEPT) and it talks to
 * the host through TDG.VP.VMCALL instead of the library's ucall.
 */
#include "kvm_util.h"
#include "ucall_common.h"

#include "guest_code.h"
#include "tdcall.h"

struct seam_guest_args seam_guest_args;

void seam_guest_msg5(uint64_t cmd, uint64_t stage, uint64_t a, uint64_t b,
		     uint64_t c, uint64_t d, uint64_t e)
{
	if (seam_guest_args.tdx) {
		/* R12 magic, R13 cmd, R14 stage, R15 a, RBX b, RSI c, RDI d, R8 e. */
		tdg_vp_vmcall(TDVMCALL_REPORT_FATAL_ERROR, SEAM_TDX_UCALL_MAGIC, cmd,
			      stage, a, b, c, d, e, 0);
		return;
	}
	switch (cmd) {
	case SEAM_CMD_SYNC:
		/* GUEST_SYNC_ARGS() with one more argument: args[1..6]. */
		ucall(UCALL_SYNC, 7, "hello", stage, a, b, c, d, e);
		break;
	case SEAM_CMD_DONE:
		GUEST_DONE();
		break;
	default:
		__GUEST_ASSERT(0, "guest_code.c:%lu", stage);
	}
}

void seam_guest_msg(uint64_t cmd, uint64_t stage, uint64_t a, uint64_t b,
		    uint64_t c, uint64_t d)
{
	seam_guest_msg5(cmd, stage, a, b, c, d, 0);
}

#define SEAM_GUEST_ASSERT(cond)							\
do {										\
	if (!(cond))								\
		seam_guest_msg(SEAM_CMD_ABORT, __LINE__, 0, 0, 0, 0);		\
} while (0)

/*
 * Accept the page right before the touch: with SEPT_VE_DISABLE a touch of
 * a page that was removed and re-added but not accepted kills the TD
 * (docs/tdx-kvm-abi.md §5).  BUSY (the host holds the S-EPT entry) is retried;
 * the results are counted.  Other flavors have nothing to accept.
 */
void seam_guest_accept(struct seam_progress *p, uint64_t gpa)
{
	uint64_t status;

	p->accepts++;
	if (!seam_guest_args.tdx)
		return;
	/* Linux tries the larger level first and falls back (docs/tdx-kvm-abi.md §7). */
	if (seam_guest_args.accept_2m) {
		status = tdg_mem_page_accept(gpa & ~(0x200000ULL - 1), 1);
		if (!status) {
			p->accept_ok++;
			return;
		}
	}
	for (;;) {
		status = tdg_mem_page_accept(gpa, 0);
		if ((status & TDX_SEAMCALL_STATUS_MASK) != TDX_OPERAND_BUSY)
			break;
		p->accept_busy++;
		p->accept_last_busy = status;
	}
	if (!status)
		p->accept_ok++;
	else if ((status & TDX_SEAMCALL_STATUS_MASK) == TDX_PAGE_ALREADY_ACCEPTED)
		p->accept_already++;
	else
		p->accept_other++;
}

void seam_guest_check_vcpu(uint32_t vcpu)
{
	SEAM_GUEST_ASSERT(vcpu < seam_guest_args.nr_vcpus);
}
