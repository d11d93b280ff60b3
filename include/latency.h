/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Latency histograms: log-linear buckets (8 per power of two, so any
 * percentile is within 12.5% of the truth), mergeable across threads,
 * exact maximum.  Recording is a handful of instructions, fit for a
 * puncher's hot loop.
 */
#ifndef SEAMSTRESS_LATENCY_H
#define SEAMSTRESS_LATENCY_H

#include <stdint.h>

#define LAT_SUB_BITS	3
#define LAT_BUCKETS	(64 << LAT_SUB_BITS)

struct latency_hist {
	uint64_t count;
	uint64_t max;
	uint64_t sum;
	uint64_t bucket[LAT_BUCKETS];
};

void latency_record(struct latency_hist *h, uint64_t v);
void latency_merge(struct latency_hist *into, const struct latency_hist *from);
/* The upper bound of the bucket holding the @pct-th percentile; 0 if empty. */
uint64_t latency_percentile(const struct latency_hist *h, double pct);

#endif /* SEAMSTRESS_LATENCY_H */
