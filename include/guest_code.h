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
 * A message to the host: the library's ucall, or for a TD
 * TDG.VP.VMCALL<ReportFatalError> with SEAM_TDX_UCALL_MAGIC.
 */
void seam_guest_msg5(uint64_t cmd, uint64_t stage, uint64_t a, uint64_t b,
		     uint64_t c, uint64_t d, uint64_t e);
void seam_guest_msg(uint64_t cmd, uint64_t stage, uint64_t a, uint64_t b,
		    uint64_t c, uint64_t d);
/* Accept the 4K page at @gpa (a TD only), retrying BUSY; counted in @p. */
void seam_guest_accept(struct seam_progress *p, uint64_t gpa);
/* An ABORT message unless @vcpu is one the host created. */
void seam_guest_check_vcpu(uint32_t vcpu);

#endif /* SEAMSTRESS_GUEST_CODE_H */
