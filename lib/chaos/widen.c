// SPDX-License-Identifier: GPL-2.0
/*
 * Race-window widening (include/widen.h).
 */
#include "widen.h"

/* Until a vCPU was timed: about one emulated page visit on a slow host. */
#define WIDEN_DWELL_START_NS	20000.0
/* EWMA weight of a new dwell sample: 1/8, as TCP's SRTT. */
#define WIDEN_DWELL_ALPHA	0.125

void widen_init(struct widen *w)
{
	*w = (struct widen){ .dwell_ns = WIDEN_DWELL_START_NS, .bin = -1 };
}

void widen_dwell_sample(struct widen *w, uint64_t ns)
{
	w->dwell_ns += WIDEN_DWELL_ALPHA * ((double)ns - w->dwell_ns);
}

/*
 * A bin's weight is its posterior mean hit rate, (hits + 1) / (tries + 2):
 * untried bins stay in play, and a bin that hits is drawn more often.
 */
static double bin_weight(const struct widen *w, int b)
{
	return (w->hits[b] + 1.0) / (w->tries[b] + 2.0);
}

uint64_t widen_delay(struct widen *w, struct seam_rng *rng)
{
	double total = 0, x, span = w->dwell_ns / WIDEN_BINS;
	int b;

	for (b = 0; b < WIDEN_BINS; b++)
		total += bin_weight(w, b);
	x = total * (seam_rng_next(rng) >> 11) / (double)(1ULL << 53);
	for (b = 0; b < WIDEN_BINS - 1 && x >= bin_weight(w, b); b++)
		x -= bin_weight(w, b);
	w->bin = b;
	/* Uniform within the bin. */
	return (uint64_t)(span * b + span * (seam_rng_next(rng) >> 11) / (double)(1ULL << 53));
}

void widen_result(struct widen *w, bool hit)
{
	if (w->bin < 0)
		return;
	w->tries[w->bin]++;
	w->hits[w->bin] += hit;
	w->bin = -1;
}

int widen_best_bin(const struct widen *w)
{
	int b, best = 0;

	for (b = 1; b < WIDEN_BINS; b++)
		if (w->hits[b] * (w->tries[best] + 1) > w->hits[best] * (w->tries[b] + 1))
			best = b;
	return best;
}
