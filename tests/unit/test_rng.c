// SPDX-License-Identifier: GPL-2.0
/*
 * The seeded streams: same seed and stream, same sequence (replay depends on
 * it); other streams differ; permutations are permutations.
 */
#include <stdlib.h>

#include "rng.h"
#include "kselftest_harness.h"

TEST(same_seed_same_sequence)
{
	struct seam_rng a, b;
	int i;

	seam_rng_init(&a, 42, 3);
	seam_rng_init(&b, 42, 3);
	for (i = 0; i < 1000; i++)
		{ EXPECT_TRUE(seam_rng_next(&a) == seam_rng_next(&b)) TH_LOG("step %d", i); }
}

TEST(streams_and_seeds_differ)
{
	struct seam_rng a, b, c;

	seam_rng_init(&a, 42, 0);
	seam_rng_init(&b, 42, 1);
	seam_rng_init(&c, 43, 0);
	EXPECT_TRUE(seam_rng_next(&a) != seam_rng_next(&b)) TH_LOG("streams 0 and 1 of one seed");
	seam_rng_init(&a, 42, 0);
	EXPECT_TRUE(seam_rng_next(&a) != seam_rng_next(&c)) TH_LOG("seeds 42 and 43");
}

TEST(below_is_bounded_and_covers)
{
	struct seam_rng r;
	int seen[7] = { 0 }, i;
	uint64_t v;

	seam_rng_init(&r, 1, 0);
	for (i = 0; i < 7000; i++) {
		v = seam_rng_below(&r, 7);
		EXPECT_TRUE(v < 7) TH_LOG("%llu", (unsigned long long)v);
		if (v < 7)
			seen[v]++;
	}
	for (i = 0; i < 7; i++)
		{ EXPECT_TRUE(seen[i] > 700) TH_LOG("value %d drawn %d times of 7000", i, seen[i]); }
}

TEST(permute_is_a_permutation)
{
	uint32_t n = 1000, out[1000], a[1000];
	struct seam_rng r;
	char hit[1000] = { 0 };
	uint32_t i, fixed = 0;

	seam_rng_init(&r, 7, 0);
	seam_rng_permute(&r, out, n);
	for (i = 0; i < n; i++) {
		EXPECT_TRUE(out[i] < n && !hit[out[i]]) TH_LOG("index %u value %u", i, out[i]);
		if (out[i] < n)
			hit[out[i]] = 1;
		fixed += out[i] == i;
	}
	EXPECT_TRUE(fixed < 20) TH_LOG("%u fixed points: not shuffled", fixed);

	seam_rng_init(&r, 7, 0);
	seam_rng_permute(&r, a, n);
	EXPECT_TRUE(!memcmp(a, out, sizeof(a))) TH_LOG("same seed, same order");
}

TEST_HARNESS_MAIN
