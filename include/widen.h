/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Race-window widening for the punchers (--widen), after LTP's
 * tst_fuzzy_sync: the host cannot stop a vCPU at a barrier, but it sees the
 * guest publish each page before touching it, and that publish is the
 * race's start line.  A puncher waits for a vCPU to move to its next page,
 * waits a delay, and punches that page.  The delay is drawn from the
 * vCPU's measured time on one page, in bins; a bin's chance grows with the
 * punches from it that landed between the guest's write and its read-back
 * (the guest publishes each such wipe at once), so the punches drift to
 * the offset where they collide.
 */
#ifndef SEAMSTRESS_WIDEN_H
#define SEAMSTRESS_WIDEN_H

#include <stdbool.h>
#include <stdint.h>

#include "rng.h"

#define WIDEN_BINS	16

struct widen {
	double dwell_ns;	/* EWMA: a vCPU's time on one page */
	uint64_t tries[WIDEN_BINS], hits[WIDEN_BINS];
	int bin;		/* of the delay last drawn, -1 before any */
};

void widen_init(struct widen *w);
/* One vCPU took @ns on one page (from one page publish to the next). */
void widen_dwell_sample(struct widen *w, uint64_t ns);
/* The delay for the next punch, in ns after the vCPU moved to its page. */
uint64_t widen_delay(struct widen *w, struct seam_rng *rng);
/* Whether the punch with the delay last drawn collided. */
void widen_result(struct widen *w, bool hit);
/* The bin with the most hits per try (ties: the lower), for the report. */
int widen_best_bin(const struct widen *w);

#endif /* SEAMSTRESS_WIDEN_H */
