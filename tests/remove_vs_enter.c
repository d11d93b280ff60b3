// SPDX-License-Identifier: GPL-2.0
/*
 * remove_vs_enter: host threads punch holes in (and, where the flavor has
 * memory attributes, convert) the contended region while every vCPU enters
 * and exits as fast as it can: the guest exits every few pages (--burst 8)
 * and a kicker signals each vCPU out of KVM_RUN (--kick-rate 1000 Hz).
 *
 * On TDX this is the TDCS epoch (TDH.MEM.TRACK exclusive against every
 * TDH.VP.ENTER) and the secure-EPT tree lock (TDH.MEM.RANGE.BLOCK exclusive
 * against VP.ENTER's zero-step check), where KVM must kick vCPUs out and retry
 * (docs/tdx-module-and-kvm.md §1.3, §2.2, §3 bug 2).  The report carries the
 * punch latency percentiles, where BLOCK/TRACK/REMOVE retries show, and entries
 * per second.
 */
#include "supervisor.h"

int main(int argc, char *argv[])
{
	return seam_test_main("remove_vs_enter", argc, argv);
}
