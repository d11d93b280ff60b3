// SPDX-License-Identifier: GPL-2.0
/*
 * Race-window widening: the delays drift to where punches collide.  A
 * synthetic race whose window is one tenth of the vCPU's page visit, at a
 * third of it, must draw most of its delays from there after a few
 * thousand punches, and never leave the visit; without hits, the draw
 * stays uniform over every bin.
 */
#include "kselftest_harness.h"

#include "widen.h"

#define DWELL_NS	30000

FIXTURE(widen) {
	struct widen w;
	struct seam_rng rng;
};

FIXTURE_SETUP(widen)
{
	int i;

	widen_init(&self->w);
	seam_rng_init(&self->rng, 1, 0);
	/* Far more samples than the EWMA needs to settle on the visit. */
	for (i = 0; i < 200; i++)
		widen_dwell_sample(&self->w, DWELL_NS);
}

FIXTURE_TEARDOWN(widen) {}

static bool in_window(uint64_t delay)
{
	return delay >= DWELL_NS / 3 && delay < DWELL_NS / 3 + DWELL_NS / 10;
}

TEST_F(widen, delays_converge_on_the_colliding_offset)
{
	int i, inside = 0;
	uint64_t d;

	for (i = 0; i < 5000; i++) {
		d = widen_delay(&self->w, &self->rng);
		ASSERT_LT(d, DWELL_NS + 100) TH_LOG("delay %lu ns beyond the page visit", d);
		widen_result(&self->w, in_window(d));
	}
	for (i = 0; i < 1000; i++) {
		d = widen_delay(&self->w, &self->rng);
		inside += in_window(d);
		widen_result(&self->w, in_window(d));
	}
	/* A uniform draw would put ~100 of 1000 in the window. */
	EXPECT_GT(inside, 500) TH_LOG("only %d of the last 1000 delays in the window", inside);
	d = (uint64_t)(widen_best_bin(&self->w) + 0.5) * DWELL_NS / WIDEN_BINS;
	EXPECT_TRUE(d >= DWELL_NS / 3 - DWELL_NS / WIDEN_BINS &&
		    d < DWELL_NS / 3 + DWELL_NS / 10 + DWELL_NS / WIDEN_BINS)
		TH_LOG("best bin %d is not the window's", widen_best_bin(&self->w));
}

TEST_F(widen, no_hits_keep_every_bin_in_play)
{
	uint64_t seen[WIDEN_BINS] = { 0 }, fewest = UINT64_MAX;
	int i, b, rarest = 0;

	for (i = 0; i < 16000; i++) {
		b = widen_delay(&self->w, &self->rng) * WIDEN_BINS / DWELL_NS;
		ASSERT_LT(b, WIDEN_BINS);
		seen[b]++;
		widen_result(&self->w, false);
	}
	for (b = 0; b < WIDEN_BINS; b++) {
		if (seen[b] < fewest) {
			fewest = seen[b];
			rarest = b;
		}
	}
	/* Uniform: 1000 each. */
	EXPECT_GT(fewest, 500) TH_LOG("bin %d drawn %lu times of 16000", rarest, fewest);
}

/* A result with no delay drawn is not counted (the vCPU did not move). */
TEST_F(widen, result_without_a_draw_is_ignored)
{
	int b;

	widen_result(&self->w, true);
	for (b = 0; b < WIDEN_BINS; b++)
		EXPECT_EQ(self->w.tries[b] + self->w.hits[b], 0);
}

TEST_HARNESS_MAIN
