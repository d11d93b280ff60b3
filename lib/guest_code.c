// SPDX-License-Identifier: GPL-2.0
/*
 * Guest workload: every vCPU sweeps the same contended pages, each in the
 * order the host prepared for it, and checks that its own slot holds only
 * what it wrote or zero (a punched page).  Anything else (a torn store, a
 * stale or foreign mapping) is reported to the host with the GPA and both
 * values, and the sweep goes on.
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

static void guest_msg5(uint64_t cmd, uint64_t stage, uint64_t a, uint64_t b,
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

static void guest_msg(uint64_t cmd, uint64_t stage, uint64_t a, uint64_t b,
		      uint64_t c, uint64_t d)
{
	guest_msg5(cmd, stage, a, b, c, d, 0);
}

#define SEAM_GUEST_ASSERT(cond)							\
do {										\
	if (!(cond))								\
		guest_msg(SEAM_CMD_ABORT, __LINE__, 0, 0, 0, 0);		\
} while (0)

/*
 * Accept the page right before the touch: with SEPT_VE_DISABLE a touch of
 * a page that was removed and re-added but not accepted kills the TD
 * (docs/tdx-kvm-abi.md §5).  BUSY (the host holds the S-EPT entry) is retried;
 * the results are counted.  Other flavors have nothing to accept.
 */
static void guest_accept(struct seam_progress *p, uint64_t gpa)
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

/*
 * A plain store is a mov; --store locked makes it an xchg, which the host
 * must perform as one atomic access even when it emulates it.  Both have
 * been seen torn on an emulating host (docs/findings.md).  --access-width
 * makes every access of the slot 4 or 2 bytes wide (the low lanes of the
 * tag), to tell which access sizes a host splits.
 */
static inline __attribute__((always_inline))
void store_tag(volatile uint64_t *slot, uint64_t tag, unsigned int width, bool locked)
{
	uint64_t v = tag;

	switch (width) {
	case 4:
		if (locked)
			asm volatile("xchg %k0, %1" : "+r"(v), "+m"(*(volatile uint32_t *)slot)
				     : : "memory");
		else
			*(volatile uint32_t *)slot = (uint32_t)tag;
		return;
	case 2:
		if (locked)
			asm volatile("xchg %w0, %1" : "+r"(v), "+m"(*(volatile uint16_t *)slot)
				     : : "memory");
		else
			*(volatile uint16_t *)slot = (uint16_t)tag;
		return;
	}
	if (locked)
		asm volatile("xchg %0, %1" : "+r"(v), "+m"(*slot) : : "memory");
	else
		*slot = tag;
}

static inline __attribute__((always_inline))
uint64_t load_tag(volatile uint64_t *slot, unsigned int width)
{
	switch (width) {
	case 4:
		return *(volatile uint32_t *)slot;
	case 2:
		return *(volatile uint16_t *)slot;
	}
	return *slot;
}

/*
 * The sweep, inlined once per access width (seam_guest_sweep() picks one):
 * with the width a constant and the store kind read once, the per-page
 * path tests neither (measured: a width test per access cost ~12% of the
 * sweeps per second on an emulating host).
 */
static inline __attribute__((always_inline))
void sweep_loop(uint32_t vcpu, unsigned int width)
{
	const struct seam_guest_args *args = &seam_guest_args;
	struct seam_progress *p = (struct seam_progress *)args->progress_gva + vcpu;
	uint64_t i, page, gva, seen, prev, prev_low, tag, tag_low, zeroed;
	bool locked = args->locked_store;
	const uint32_t *order;
	volatile uint64_t *slot;
	uint32_t sweep, burst;

	order = (const uint32_t *)args->order_gva + (uint64_t)vcpu * args->nr_pages;

	/*
	 * Keep the per-page path short: on hosts that emulate the guest every
	 * instruction is an exit's worth of time.  Only the current page is
	 * published per page (chase punchers and the watchdog need it); the
	 * counters are published once per sweep or burst.
	 */
	for (sweep = 1;; sweep++) {
		prev = seam_tag(vcpu, sweep - 1);
		prev_low = seam_tag_low(prev, width);
		tag = seam_tag(vcpu, sweep);
		tag_low = seam_tag_low(tag, width);
		zeroed = burst = 0;
		WRITE_ONCE(p->sweep, sweep);

		for (i = 0; i < args->nr_pages; i++) {
			page = order[i];
			gva = args->region_gva + page * SEAM_PAGE_SIZE +
			      vcpu * SEAM_SLOT_BYTES;
			slot = (volatile uint64_t *)gva;
			WRITE_ONCE(p->idx, i);
			WRITE_ONCE(p->page, page);

			if (args->accept)
				guest_accept(p, gva & ~(SEAM_PAGE_SIZE - 1));
			seen = load_tag(slot, width);
			if (seen != prev_low) {
				if (seen)
					guest_msg(SEAM_CMD_SYNC, SEAM_SYNC_CORRUPT, gva, prev,
						  seen, SEAM_PHASE_BEFORE_WRITE);
				else if (sweep > 1)
					zeroed++;
			}
			store_tag(slot, tag, width, locked);
			seen = load_tag(slot, width);
			if (seen != tag_low && seen) {
				/*
				 * Read it once more: a torn store left the torn
				 * value in memory, a torn load did not.
				 */
				guest_msg5(SEAM_CMD_SYNC, SEAM_SYNC_CORRUPT, gva, tag,
					   seen, SEAM_PHASE_READBACK, load_tag(slot, width));
				/*
				 * Repair the slot, so that the next sweep does
				 * not report this one wrong value again.
				 */
				store_tag(slot, tag, width, locked);
			}

			if (args->burst && ++burst == args->burst) {
				WRITE_ONCE(p->zeroed, p->zeroed + zeroed);
				zeroed = burst = 0;
				guest_msg(SEAM_CMD_SYNC, SEAM_SYNC_BURST, 0, 0, 0, 0);
			}
		}

		WRITE_ONCE(p->writes, p->writes + args->nr_pages);
		WRITE_ONCE(p->zeroed, p->zeroed + zeroed);
		guest_msg(SEAM_CMD_SYNC, SEAM_SYNC_SWEEP, sweep, 0, 0, 0);
		if (READ_ONCE(p->stop))
			guest_msg(SEAM_CMD_DONE, 0, 0, 0, 0, 0);
	}
}

void seam_guest_sweep(uint32_t vcpu)
{
	SEAM_GUEST_ASSERT(vcpu < seam_guest_args.nr_vcpus);
	switch (seam_guest_args.access_width) {
	case 4:
		sweep_loop(vcpu, 4);
		break;
	case 2:
		sweep_loop(vcpu, 2);
		break;
	default:
		sweep_loop(vcpu, 8);
	}
}
