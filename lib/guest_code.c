// SPDX-License-Identifier: GPL-2.0
/*
 * Guest workload: every vCPU sweeps the same contended pages, each in the
 * order the host prepared for it, and checks that its own slot holds only
 * what it wrote or zero (a punched page).  Anything else is a stale or
 * foreign mapping, reported to the host with the GPA and both values.
 */
#include "kvm_util.h"
#include "ucall_common.h"

#include "guest_code.h"

struct seam_guest_args seam_guest_args;
struct seam_progress seam_progress[SEAM_MAX_VCPUS];

static void guest_report_corrupt(uint64_t gpa, uint64_t expected, uint64_t seen,
				 enum seam_phase phase)
{
	GUEST_SYNC_ARGS(SEAM_SYNC_CORRUPT, gpa, expected, seen, phase);
}

/*
 * The flavor's accept.  Private memory of a TD must be accepted
 * (TDG.MEM.PAGE.ACCEPT) before it is touched; every other flavor has
 * nothing to accept, so the same sweep runs with a no-op here.
 */
static inline void guest_accept(uint64_t gpa)
{
}

void seam_guest_sweep(uint32_t vcpu)
{
	const struct seam_guest_args *args = &seam_guest_args;
	struct seam_progress *p = &seam_progress[vcpu];
	uint64_t i, page, gva, seen, prev, tag, zeroed, accepts;
	const uint32_t *order;
	volatile uint64_t *slot;
	uint32_t sweep, burst;

	GUEST_ASSERT(vcpu < args->nr_vcpus);
	order = (const uint32_t *)args->order_gva + (uint64_t)vcpu * args->nr_pages;

	/*
	 * Keep the per-page path short: on hosts that emulate the guest every
	 * instruction is an exit's worth of time.  Only the current page is
	 * published per page (chase punchers and the watchdog need it); the
	 * counters are published once per sweep or burst.
	 */
	for (sweep = 1;; sweep++) {
		prev = seam_tag(vcpu, sweep - 1);
		tag = seam_tag(vcpu, sweep);
		zeroed = accepts = burst = 0;
		WRITE_ONCE(p->sweep, sweep);

		for (i = 0; i < args->nr_pages; i++) {
			page = order[i];
			gva = args->region_gva + page * SEAM_PAGE_SIZE +
			      vcpu * SEAM_SLOT_BYTES;
			slot = (volatile uint64_t *)gva;
			WRITE_ONCE(p->idx, i);
			WRITE_ONCE(p->page, page);

			if (args->accept) {
				guest_accept(gva & ~(SEAM_PAGE_SIZE - 1));
				accepts++;
			}
			seen = *slot;
			if (seen != prev) {
				if (seen)
					guest_report_corrupt(gva, prev, seen,
							     SEAM_PHASE_BEFORE_WRITE);
				else if (sweep > 1)
					zeroed++;
			}
			*slot = tag;
			seen = *slot;
			if (seen != tag && seen)
				guest_report_corrupt(gva, tag, seen,
						     SEAM_PHASE_READBACK);

			if (args->burst && ++burst == args->burst) {
				WRITE_ONCE(p->zeroed, p->zeroed + zeroed);
				WRITE_ONCE(p->accepts, p->accepts + accepts);
				zeroed = accepts = burst = 0;
				GUEST_SYNC(SEAM_SYNC_BURST);
			}
		}

		WRITE_ONCE(p->writes, p->writes + args->nr_pages);
		WRITE_ONCE(p->zeroed, p->zeroed + zeroed);
		WRITE_ONCE(p->accepts, p->accepts + accepts);
		GUEST_SYNC_ARGS(SEAM_SYNC_SWEEP, sweep, 0, 0, 0);
		if (READ_ONCE(p->stop))
			GUEST_DONE();
	}
}
