// SPDX-License-Identifier: GPL-2.0
/*
 * concurrent_fault: many vCPUs fault on and write the same guest-physical
 * pages at the same moment while host threads punch holes under them.
 *
 * On TDX this drives the S-EPT entry lock: TDH.MEM.SEPT.ADD and
 * TDH.MEM.PAGE.AUG of one GPA from several vCPUs at once, against the
 * RANGE.BLOCK/TRACK/PAGE.REMOVE of the punch (docs/design.md §2.1); vCPUs
 * that lose the race re-fault at the same RIP, which is what arms the TDX
 * module's zero-step filter.  On every flavor the guest checks that it reads
 * back only its own tag or zero, and the host that it sees the last tags.
 */
#include "supervisor.h"

int main(int argc, char *argv[])
{
	return seam_test_main("concurrent_fault", argc, argv);
}
