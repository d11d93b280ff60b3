/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest building blocks for a test's guest loop (struct seam_test.guest_code).
 *
 * A vCPU sweeps the contended pages in the order the host prepared for it;
 * per page it may accept the page, check what its slot holds (its previous
 * tag, or zero where a punch hit), write its tag and read it back.  Anything
 * it did not write (a torn access, a stale or foreign mapping) goes to the
 * host with the GPA and both values, and the sweep goes on.  The host's
 * quiesce protocol (lib/run/stress_run.c) needs the sweep-end message; the
 * watchdog and the chase/ahead punchers need the published page.
 *
 * A test writes its per-page step from these blocks and SEAM_GUEST_SWEEPS()
 * makes it guest code.  Everything is inlined into that loop: on a host that
 * emulates the guest every instruction costs an exit's worth of time, so the
 * per-page path is kept to loads, the store and the compares, and the loop
 * is instantiated once per access width, so that the width is a constant
 * there (a width test per access cost ~12% of the sweeps per second on an
 * emulating host).
 */
#ifndef SEAMSTRESS_GUEST_SWEEP_H
#define SEAMSTRESS_GUEST_SWEEP_H

#include <stdbool.h>

#include "kvm_util.h"
#include "guest_code.h"
#include "model_guest.h"

/* One vCPU's sweep state, in registers once inlined. */
struct guest_sweep {
	struct seam_progress *p;
	const uint32_t *order;
	uint64_t region_gva, nr_pages;
	uint32_t vcpu, burst, burst_left;
	bool locked, accept;
	uint64_t sweep, prev, prev_low, tag, tag_low, zeroed;
};

/* Every building block, and a test's page step, is inlined into the sweep. */
#define __guest_inline static inline __attribute__((always_inline))

/*
 * A plain store is a mov; --store locked makes it an xchg, which the host
 * must perform as one atomic access even when it emulates it.  Both have
 * been seen torn on an emulating host (docs/findings.md).  --access-width
 * makes every access of the slot 4 or 2 bytes wide (the low lanes of the
 * tag), to tell which access sizes a host splits.
 */
__guest_inline void store_tag(volatile uint64_t *slot, uint64_t tag, unsigned int width,
			      bool locked)
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

__guest_inline uint64_t load_tag(volatile uint64_t *slot, unsigned int width)
{
	switch (width) {
	case 4:
		return *(volatile uint32_t *)slot;
	case 2:
		return *(volatile uint16_t *)slot;
	}
	return *slot;
}

__guest_inline void guest_sweep_init(struct guest_sweep *s, uint32_t vcpu)
{
	const struct seam_guest_args *args = &seam_guest_args;

	seam_guest_check_vcpu(vcpu);
	*s = (struct guest_sweep) {
		.p = (struct seam_progress *)args->progress_gva + vcpu,
		.order = (const uint32_t *)args->order_gva + (uint64_t)vcpu * args->nr_pages,
		.region_gva = args->region_gva,
		.nr_pages = args->nr_pages,
		.vcpu = vcpu,
		.burst = args->burst,
		/* A TD must accept every page that may have been removed. */
		.accept = args->accept || args->tdx,
		.locked = args->locked_store,
		/* Sweep 0's tag: what the first sweep's check expects, after 0. */
		.tag = seam_tag(vcpu, 0),
	};
}

/* Nothing to accept, plain stores, no bursts: the common run. */
__guest_inline bool guest_sweep_is_plain(const struct guest_sweep *s)
{
	return !s->accept && !s->locked && !s->burst;
}

/*
 * The next sweep: its tag and the one before it, as @width bytes see them.
 * The one before is the last sweep's: a tag costs ~70 emulated
 * instructions to build, once a sweep is enough.
 */
__guest_inline void guest_sweep_begin(struct guest_sweep *s, unsigned int width)
{
	s->sweep++;
	s->prev = s->tag;
	s->prev_low = seam_tag_low(s->prev, width);
	s->tag = seam_tag(s->vcpu, s->sweep);
	s->tag_low = seam_tag_low(s->tag, width);
	s->zeroed = 0;
	s->burst_left = s->burst;
	WRITE_ONCE(s->p->sweep, s->sweep);
}

/* This vCPU's slot in the @i-th page of its order, published as its position. */
__guest_inline volatile uint64_t *guest_page_slot(struct guest_sweep *s, uint64_t i)
{
	uint64_t page = s->order[i];

	WRITE_ONCE(s->p->idx, i);
	WRITE_ONCE(s->p->page, page);
	return (volatile uint64_t *)(s->region_gva + page * SEAM_PAGE_SIZE +
				     s->vcpu * SEAM_SLOT_BYTES);
}

/*
 * The blocks below are the VM's (vm_*); a page step calls them by the
 * names of the dispatch at the end of this file (guest_accept(), ...), so
 * that SEAM_GUEST_STEP() builds the same step for the tdx_model flavor too.
 */

/* TDG.MEM.PAGE.ACCEPT of the slot's page; counted, a no-op outside a TD. */
__guest_inline void vm_accept(struct guest_sweep *s, volatile uint64_t *slot)
{
	seam_guest_accept(s->p, (uint64_t)slot & ~(SEAM_PAGE_SIZE - 1));
}

/* Accept where the run asks for it (--accept) or the flavor needs it (a TD). */
__guest_inline void vm_accept_if_asked(struct guest_sweep *s, volatile uint64_t *slot)
{
	if (s->accept)
		vm_accept(s, slot);
}

/*
 * Before the write the slot holds the previous sweep's tag, or 0 where a
 * punch dropped the page (counted: proof the punches land); anything else
 * is reported.
 */
__guest_inline void vm_check_untouched(struct guest_sweep *s, volatile uint64_t *slot,
				       unsigned int width)
{
	uint64_t seen = load_tag(slot, width);

	if (seen == s->prev_low)
		return;
	if (seen)
		seam_guest_msg(s->p, SEAM_CMD_SYNC, SEAM_SYNC_CORRUPT, (uint64_t)slot,
			       s->prev, seen, SEAM_PHASE_BEFORE_WRITE);
	else if (s->sweep > 1)
		s->zeroed++;
}

/*
 * Write the tag and read it back: the read sees the tag, or 0 where a punch
 * landed in between (counted at once: the race --widen aims at); anything
 * else is reported with a second read (a torn store left the torn value in
 * memory, a torn load did not) and the slot is repaired, so that the next
 * sweep does not report this one wrong value again.
 */
__guest_inline void vm_write_read_back(struct guest_sweep *s, volatile uint64_t *slot,
				       unsigned int width)
{
	uint64_t seen;

	store_tag(slot, s->tag, width, s->locked);
	seen = load_tag(slot, width);
	if (seen == s->tag_low)
		return;
	if (!seen) {
		WRITE_ONCE(s->p->wiped, s->p->wiped + 1);
		return;
	}
	seam_guest_msg5(s->p, SEAM_CMD_SYNC, SEAM_SYNC_CORRUPT, (uint64_t)slot, s->tag,
			seen, SEAM_PHASE_READBACK, load_tag(slot, width));
	store_tag(slot, s->tag, width, s->locked);
}

/* Exit to the host every --burst pages (0: only at the end of a sweep). */
__guest_inline void vm_burst_point(struct guest_sweep *s)
{
	if (!s->burst || --s->burst_left)
		return;
	WRITE_ONCE(s->p->zeroed, s->p->zeroed + s->zeroed);
	s->zeroed = 0;
	s->burst_left = s->burst;
	seam_guest_msg(s->p, SEAM_CMD_SYNC, SEAM_SYNC_BURST, 0, 0, 0, 0);
}

/*
 * The sweep is done: publish the counters, tell the host (its quiesce
 * protocol counts sweeps) and stop once it asks.
 */
__guest_inline void guest_sweep_end(struct guest_sweep *s)
{
	WRITE_ONCE(s->p->writes, s->p->writes + s->nr_pages);
	WRITE_ONCE(s->p->zeroed, s->p->zeroed + s->zeroed);
	seam_guest_msg(s->p, SEAM_CMD_SYNC, SEAM_SYNC_SWEEP, s->sweep, 0, 0, 0);
	if (READ_ONCE(s->p->stop))
		seam_guest_msg(s->p, SEAM_CMD_DONE, 0, 0, 0, 0, 0);
}

/*
 * The blocks by the type of the sweep state: the VM's guest_sweep, or the
 * tdx_model vCPU's model_guest (include/model_guest.h).
 */
#define SEAM_GUEST_BLOCK(block, s, ...)						\
	_Generic((s), struct guest_sweep *: vm_##block,				\
		      struct model_guest *: model_guest_##block)(s, __VA_ARGS__)
#define guest_accept(s, slot)			SEAM_GUEST_BLOCK(accept, s, slot)
#define guest_accept_if_asked(s, slot)		SEAM_GUEST_BLOCK(accept_if_asked, s, slot)
#define guest_check_untouched(s, slot, width)	SEAM_GUEST_BLOCK(check_untouched, s, slot, width)
#define guest_write_read_back(s, slot, width)	SEAM_GUEST_BLOCK(write_read_back, s, slot, width)
#define guest_burst_point(s)							\
	_Generic((s), struct guest_sweep *: vm_burst_point,			\
		      struct model_guest *: model_guest_burst_point)(s)

/*
 * A test's page step, @body over (s, slot, width), written once and built
 * twice: @name for the guest (inlined into SEAM_GUEST_SWEEPS()) and
 * @name##_on_model for the tdx_model flavor's vCPUs (lib/model/model_run.c).
 */
#define SEAM_GUEST_STEP(name, body...)						\
__guest_inline void name(struct guest_sweep *s, volatile uint64_t *slot,	\
			 unsigned int width)					\
body										\
static inline void name##_on_model(struct model_guest *s,			\
				   volatile uint64_t *slot, unsigned int width)	\
body

/*
 * Define guest code @name(vcpu): sweeps forever, calling @page_step(&s, slot,
 * width) for this vCPU's slot in each page of its order, with the sweep's
 * start and end (the messages the host's protocol needs) around them.
 *
 * The sweeps are instantiated once per access width, and once more for the
 * plain run (no accept, plain stores, no bursts), where those three are
 * constants and their tests leave the per-page path: each cost three
 * emulated instructions a page.
 */
#define SEAM_GUEST_SWEEPS(name, page_step)					\
SEAM_GUEST_SWEEPS_VM(name, page_step)						\
										\
/* The same page step on a tdx_model vCPU, one page (the width is moot). */	\
static void name##_on_model(struct model_guest *g)				\
{										\
	page_step##_on_model(g, NULL, 8);					\
}

/*
 * The same for a page step of plain guest code (not SEAM_GUEST_STEP()),
 * which only a VM runs: the test has no model_guest_code.
 */
#define SEAM_GUEST_SWEEPS_VM(name, page_step)					\
__guest_inline void name##_sweeps(struct guest_sweep s, unsigned int width, bool plain)\
{										\
	volatile uint64_t *slot;						\
	uint64_t i;								\
										\
	if (plain) {								\
		s.accept = s.locked = false;					\
		s.burst = 0;							\
	}									\
	for (;;) {								\
		guest_sweep_begin(&s, width);					\
		for (i = 0; i < s.nr_pages; i++) {				\
			slot = guest_page_slot(&s, i);				\
			page_step(&s, slot, width);				\
		}								\
		guest_sweep_end(&s);						\
	}									\
}										\
										\
__guest_inline void name##_width(const struct guest_sweep *s, bool plain)	\
{										\
	switch (seam_guest_args.access_width) {					\
	case 4:									\
		name##_sweeps(*s, 4, plain);					\
		break;								\
	case 2:									\
		name##_sweeps(*s, 2, plain);					\
		break;								\
	default:								\
		name##_sweeps(*s, 8, plain);					\
	}									\
}										\
										\
static void name(uint32_t vcpu)							\
{										\
	struct guest_sweep s;							\
										\
	guest_sweep_init(&s, vcpu);						\
	if (guest_sweep_is_plain(&s))						\
		name##_width(&s, true);						\
	else									\
		name##_width(&s, false);					\
}

#endif /* SEAMSTRESS_GUEST_SWEEP_H */
