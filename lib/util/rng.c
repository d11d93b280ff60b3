// SPDX-License-Identifier: GPL-2.0
/*
 * SplitMix64: tiny, fast, and every stream of a seed is a distinct
 * well-mixed sequence, which is all a stress schedule needs.
 */
#include "rng.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void seam_rng_init(struct seam_rng *rng, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);

	rng->state = splitmix64(&x);
}

uint64_t seam_rng_next(struct seam_rng *rng)
{
	return splitmix64(&rng->state);
}

uint64_t seam_rng_below(struct seam_rng *rng, uint64_t bound)
{
	/* Rejection keeps the result unbiased for bounds not a power of 2. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
	uint64_t r;

	do {
		r = seam_rng_next(rng);
	} while (r >= limit);
	return r % bound;
}

void seam_rng_permute(struct seam_rng *rng, uint32_t *out, uint32_t n)
{
	uint32_t i, j, t;

	for (i = 0; i < n; i++)
		out[i] = i;
	for (i = n; i > 1; i--) {
		j = seam_rng_below(rng, i);
		t = out[i - 1];
		out[i - 1] = out[j];
		out[j] = t;
	}
}
