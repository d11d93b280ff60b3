// SPDX-License-Identifier: GPL-2.0
/*
 * The chaos threads' choices (include/chaos_pick.h), which the kernel's
 * punchers and kicker and the model's make alike: each pattern strikes
 * the chunk it promises, the draws are the replay stream the model's
 * pinned seeds rely on, and the kicker takes the vCPUs in turn.
 */
#include "chaos_pick.h"
#include "rng.h"
#include "seamstress.h"
#include "kselftest_harness.h"

#define PAGES	8

static const uint32_t order[2 * PAGES] = {
	3, 1, 4, 0, 5, 2, 7, 6,		/* vCPU 0 */
	7, 6, 5, 4, 3, 2, 1, 0,		/* vCPU 1 */
};

FIXTURE(pick) {
	struct seam_progress progress[2];
	struct chaos_view cv;
	struct seam_rng rng;
};

FIXTURE_SETUP(pick)
{
	memset(self->progress, 0, sizeof(self->progress));
	self->cv = (struct chaos_view){ .progress = self->progress, .order = order,
					.nr_vcpus = 2, .nr_pages = PAGES,
					.punch_size = SEAM_PAGE_SIZE };
	seam_rng_init(&self->rng, 7, 1000);
}

FIXTURE_TEARDOWN(pick) {}

/* Random: the vCPU's draw, then the chunk's; every chunk aligned. */
TEST_F(pick, random_draws_the_vcpu_then_the_chunk)
{
	struct seam_rng twin;
	uint64_t pos = 0, off;
	int i;

	self->cv.pattern = PATTERN_RANDOM;
	self->cv.punch_size = 2 * SEAM_PAGE_SIZE;
	seam_rng_init(&twin, 7, 1000);
	for (i = 0; i < 100; i++) {
		off = chaos_pick_chunk(&self->cv, &self->rng, &pos);
		seam_rng_below(&twin, 2);
		ASSERT_EQ(seam_rng_below(&twin, PAGES / 2) * 2 * SEAM_PAGE_SIZE, off)
			TH_LOG("operation %d: chunk 0x%lx off the stream", i, off);
	}
}

/* Sweep: puncher i of n starts i/n of the way in, then walks and wraps. */
TEST_F(pick, sweep_walks_from_its_start)
{
	uint64_t pos = chaos_sweep_start(&self->cv, 1, 2), off;
	int i;

	self->cv.pattern = PATTERN_SWEEP;
	ASSERT_EQ(4, pos) TH_LOG("puncher 1 of 2 over 8 chunks");
	for (i = 0; i < PAGES; i++) {
		off = chaos_pick_chunk(&self->cv, &self->rng, &pos);
		EXPECT_EQ(((4 + i) % PAGES) * SEAM_PAGE_SIZE, off) TH_LOG("step %d", i);
	}
}

/* Chase: the chunk of the page the drawn vCPU published. */
TEST_F(pick, chase_strikes_the_page_a_vcpu_is_on)
{
	struct seam_rng twin;
	uint64_t pos = 0, off;
	uint32_t v;
	int i;

	self->cv.pattern = PATTERN_CHASE;
	self->progress[0].page = 5;
	self->progress[1].page = 2;
	seam_rng_init(&twin, 7, 1000);
	for (i = 0; i < 20; i++) {
		off = chaos_pick_chunk(&self->cv, &self->rng, &pos);
		v = seam_rng_below(&twin, 2);
		EXPECT_EQ(self->progress[v].page * SEAM_PAGE_SIZE, off) TH_LOG("vCPU %u", v);
	}
}

/* Ahead: the next page of the drawn vCPU's order, past its end to its start. */
TEST_F(pick, ahead_strikes_the_page_a_vcpu_touches_next)
{
	struct seam_rng twin;
	uint64_t pos = 0, off;
	uint32_t v;
	int i;

	self->cv.pattern = PATTERN_AHEAD;
	self->progress[0].idx = 2;		/* on page 4, next 0 */
	self->progress[1].idx = PAGES - 1;	/* on page 0, next 7 */
	seam_rng_init(&twin, 7, 1000);
	for (i = 0; i < 20; i++) {
		off = chaos_pick_chunk(&self->cv, &self->rng, &pos);
		v = seam_rng_below(&twin, 2);
		EXPECT_EQ((v ? 7 : 0) * SEAM_PAGE_SIZE, off) TH_LOG("vCPU %u", v);
	}
}

/* A fake backend: 3 vCPUs, vCPU 1 done, stops after 7 waits. */
struct fake_kicks {
	int waits, kicked[3];
};

static bool fake_stopping(void *b)
{
	return ((struct fake_kicks *)b)->waits == 7;
}

static void fake_wait(void *b)
{
	((struct fake_kicks *)b)->waits++;
}

static bool fake_kickable(void *b, uint32_t v)
{
	return v != 1;
}

static void fake_kick(void *b, uint32_t v)
{
	((struct fake_kicks *)b)->kicked[v]++;
}

TEST(kicker_takes_vcpus_in_turn_passing_over_done_ones)
{
	static const struct chaos_kicker_ops ops = {
		.stopping = fake_stopping, .wait = fake_wait,
		.kickable = fake_kickable, .kick = fake_kick,
	};
	struct fake_kicks k = {};
	uint64_t kicks = chaos_kicker_run(&ops, &k, 3);

	/* Turns 0 1 2 0 1 2 0: vCPU 0 three times, 2 twice, 1 never. */
	EXPECT_EQ(5, kicks);
	EXPECT_TRUE(k.kicked[0] == 3 && k.kicked[1] == 0 && k.kicked[2] == 2)
		TH_LOG("kicked %d %d %d, expected 3 0 2", k.kicked[0], k.kicked[1], k.kicked[2]);
}

TEST_HARNESS_MAIN
