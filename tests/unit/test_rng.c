// SPDX-License-Identifier: GPL-2.0
/*
 * The seeded streams: same seed and stream, same sequence (replay depends on
 * it); other streams differ; permutations are permutations.
 */
#include <stdlib.h>

#include "rng.h"
#include "unit.h"

static void test_same_seed_same_sequence(void)
{
	struct seam_rng a, b;
	int i;

	seam_rng_init(&a, 42, 3);
	seam_rng_init(&b, 42, 3);
	for (i = 0; i < 1000; i++)
		UNIT_EXPECT(seam_rng_next(&a) == seam_rng_next(&b), "step %d", i);
}

static void test_streams_and_seeds_differ(void)
{
	struct seam_rng a, b, c;

	seam_rng_init(&a, 42, 0);
	seam_rng_init(&b, 42, 1);
	seam_rng_init(&c, 43, 0);
	UNIT_EXPECT(seam_rng_next(&a) != seam_rng_next(&b), "streams 0 and 1 of one seed");
	seam_rng_init(&a, 42, 0);
	UNIT_EXPECT(seam_rng_next(&a) != seam_rng_next(&c), "seeds 42 and 43");
}

static void test_below_is_bounded_and_covers(void)
{
	struct seam_rng r;
	int seen[7] = { 0 }, i;
	uint64_t v;

	seam_rng_init(&r, 1, 0);
	for (i = 0; i < 7000; i++) {
		v = seam_rng_below(&r, 7);
		UNIT_EXPECT(v < 7, "%llu", (unsigned long long)v);
		if (v < 7)
			seen[v]++;
	}
	for (i = 0; i < 7; i++)
		UNIT_EXPECT(seen[i] > 700, "value %d drawn %d times of 7000", i, seen[i]);
}

static void test_permute_is_a_permutation(void)
{
	uint32_t n = 1000, out[1000], a[1000];
	struct seam_rng r;
	char hit[1000] = { 0 };
	uint32_t i, fixed = 0;

	seam_rng_init(&r, 7, 0);
	seam_rng_permute(&r, out, n);
	for (i = 0; i < n; i++) {
		UNIT_EXPECT(out[i] < n && !hit[out[i]], "index %u value %u", i, out[i]);
		if (out[i] < n)
			hit[out[i]] = 1;
		fixed += out[i] == i;
	}
	UNIT_EXPECT(fixed < 20, "%u fixed points: not shuffled", fixed);

	seam_rng_init(&r, 7, 0);
	seam_rng_permute(&r, a, n);
	UNIT_EXPECT(!memcmp(a, out, sizeof(a)), "same seed, same order");
}

UNIT_MAIN(UNIT(test_same_seed_same_sequence),
	  UNIT(test_streams_and_seeds_differ),
	  UNIT(test_below_is_bounded_and_covers),
	  UNIT(test_permute_is_a_permutation))
