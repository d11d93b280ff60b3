// SPDX-License-Identifier: GPL-2.0
/*
 * The chaos threads' choices (include/chaos_pick.h): which chunk a puncher
 * strikes and which vCPU a kicker kicks, for every backend.
 */
#include <linux/compiler.h>

#include "chaos_pick.h"
#include "rng.h"
#include "seamstress.h"

uint64_t chaos_vcpu_page(const struct chaos_view *cv, uint32_t v, uint64_t idx)
{
	return cv->order[v * cv->nr_pages + idx % cv->nr_pages];
}

uint64_t chaos_page_chunk(const struct chaos_view *cv, uint64_t page)
{
	return (page * SEAM_PAGE_SIZE) & ~(cv->punch_size - 1);
}

static uint64_t nr_chunks(const struct chaos_view *cv)
{
	return cv->nr_pages * SEAM_PAGE_SIZE / cv->punch_size;
}

uint64_t chaos_sweep_start(const struct chaos_view *cv, uint32_t index, uint32_t nr)
{
	return index * (nr_chunks(cv) / nr);
}

uint64_t chaos_pick_chunk(const struct chaos_view *cv, struct seam_rng *rng, uint64_t *pos)
{
	/*
	 * The vCPU is drawn first for every pattern, read or not: one draw
	 * per operation, then the pattern's own.  The model's seeded runs
	 * replay by this stream (the configs/repro-*.conf seeds were found
	 * on it).
	 */
	uint32_t v = seam_rng_below(rng, cv->nr_vcpus);

	switch (cv->pattern) {
	case PATTERN_SWEEP:
		return ((*pos)++ % nr_chunks(cv)) * cv->punch_size;
	case PATTERN_CHASE:
		/* Where the vCPU is now: the fault races the zap. */
		return chaos_page_chunk(cv, READ_ONCE(cv->progress[v].page));
	case PATTERN_AHEAD:
		/* The page the vCPU accepts and touches next. */
		return chaos_page_chunk(cv, chaos_vcpu_page(cv, v, READ_ONCE(cv->progress[v].idx) + 1));
	case PATTERN_RANDOM:
	default:
		return seam_rng_below(rng, nr_chunks(cv)) * cv->punch_size;
	}
}

uint64_t chaos_kicker_run(const struct chaos_kicker_ops *ops, void *backend, uint32_t nr_vcpus)
{
	uint64_t kicks = 0;
	uint32_t v = 0;

	while (!ops->stopping(backend)) {
		ops->wait(backend);
		if (ops->kickable(backend, v)) {
			ops->kick(backend, v);
			kicks++;
		}
		v = (v + 1) % nr_vcpus;
	}
	return kicks;
}
