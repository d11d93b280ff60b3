/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest workload (lib/guest_code.c) and the globals it shares with the
 * host.  The guest runs its own copy of this binary, so the host reaches
 * these through addr_gva2hva() or sync_global_to_guest().
 */
#ifndef SEAMSTRESS_GUEST_CODE_H
#define SEAMSTRESS_GUEST_CODE_H

#include "seamstress.h"

extern struct seam_guest_args seam_guest_args;
extern struct seam_progress seam_progress[SEAM_MAX_VCPUS];

/*
 * vCPU @vcpu sweeps every contended page in its order, forever: check the
 * old value of its slot, write its tag, read it back; GUEST_SYNC at the end
 * of each sweep; GUEST_DONE once the host sets progress->stop.
 */
void seam_guest_sweep(uint32_t vcpu);

#endif /* SEAMSTRESS_GUEST_CODE_H */
