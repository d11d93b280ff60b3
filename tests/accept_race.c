// SPDX-License-Identifier: GPL-2.0
/*
 * accept_race: the guest accepts each page immediately before touching it,
 * while the host punches exactly the page each vCPU will accept next
 * (--pattern ahead: the host reads the vCPU's live progress and its order).
 *
 * On TDX this is one S-EPT entry fought over by TDG.MEM.PAGE.ACCEPT and the
 * host's PAGE.REMOVE/RANGE.BLOCK/PAGE.AUG, with host priority and the
 * HOST_PRIORITY_BUSY_TIMEOUT risk (docs/tdx-module-and-kvm.md §1.3, §1.5).
 * Other flavors have nothing to accept, so the accept is a no-op there; the
 * race of the refault against the punch remains, and so do the counts: accepts,
 * refaults after removal (punch_hits).
 */
#include "supervisor.h"

int main(int argc, char *argv[])
{
	return seam_test_main("accept_race", argc, argv);
}
