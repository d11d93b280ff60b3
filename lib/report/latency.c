// SPDX-License-Identifier: GPL-2.0
#include "latency.h"

static unsigned int bucket_of(uint64_t v)
{
	unsigned int msb, sub;

	if (v < (1u << LAT_SUB_BITS))
		return v;
	msb = 63 - __builtin_clzll(v);
	sub = (v >> (msb - LAT_SUB_BITS)) & ((1u << LAT_SUB_BITS) - 1);
	return ((msb - LAT_SUB_BITS + 1) << LAT_SUB_BITS) + sub;
}

/* The largest value that falls in bucket @b. */
static uint64_t bucket_top(unsigned int b)
{
	unsigned int shift, sub;

	if (b < (1u << LAT_SUB_BITS))
		return b;
	shift = (b >> LAT_SUB_BITS) - 1;
	sub = b & ((1u << LAT_SUB_BITS) - 1);
	return ((((uint64_t)(1u << LAT_SUB_BITS) | sub) + 1) << shift) - 1;
}

void latency_record(struct latency_hist *h, uint64_t v)
{
	h->bucket[bucket_of(v)]++;
	h->count++;
	h->sum += v;
	if (v > h->max)
		h->max = v;
}

void latency_merge(struct latency_hist *into, const struct latency_hist *from)
{
	unsigned int i;

	for (i = 0; i < LAT_BUCKETS; i++)
		into->bucket[i] += from->bucket[i];
	into->count += from->count;
	into->sum += from->sum;
	if (from->max > into->max)
		into->max = from->max;
}

uint64_t latency_percentile(const struct latency_hist *h, double pct)
{
	uint64_t rank, seen = 0, top;
	unsigned int i;

	if (!h->count)
		return 0;
	rank = (uint64_t)(pct / 100.0 * h->count + 0.5);
	if (rank < 1)
		rank = 1;
	for (i = 0; i < LAT_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank) {
			top = bucket_top(i);
			return top < h->max ? top : h->max;
		}
	}
	return h->max;
}
