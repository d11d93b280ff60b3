/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Seeded host-side randomness.  Every random choice of a run derives from
 * the run's seed through a named stream, so the same seed replays the same
 * orders and the same puncher offsets.
 */
#ifndef SEAMSTRESS_RNG_H
#define SEAMSTRESS_RNG_H

#include <stdint.h>

struct seam_rng {
	uint64_t state;
};

/* Stream @stream (e.g. a thread index) of @seed; streams are independent. */
void seam_rng_init(struct seam_rng *rng, uint64_t seed, uint64_t stream);
uint64_t seam_rng_next(struct seam_rng *rng);
/* Uniform in [0, bound); bound > 0. */
uint64_t seam_rng_below(struct seam_rng *rng, uint64_t bound);
/* A uniformly shuffled permutation of 0..n-1 (Fisher-Yates). */
void seam_rng_permute(struct seam_rng *rng, uint32_t *out, uint32_t n);

#endif /* SEAMSTRESS_RNG_H */
