/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest workload (lib/guest_code.c) and the global it shares with the
 * host.  The guest runs its own copy of this binary, so the host sets the
 * arguments with sync_global_to_guest() (for a TD, before the image is
 * measured) and reads progress through the shared progress pages.
 */
#ifndef SEAMSTRESS_GUEST_CODE_H
#define SEAMSTRESS_GUEST_CODE_H

#include "seamstress.h"

extern struct seam_guest_args seam_guest_args;

/*
 * vCPU @vcpu sweeps every contended page in its order, forever: accept
 * where asked, check the old value of its slot, write its tag, read it
 * back; a message at the end of each sweep (and burst); done once the host
 * sets its progress->stop.
 */
void seam_guest_sweep(uint32_t vcpu);

#endif /* SEAMSTRESS_GUEST_CODE_H */
