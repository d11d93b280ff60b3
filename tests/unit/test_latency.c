// SPDX-License-Identifier: GPL-2.0
/*
 * Latency percentiles: exact for small values, within one bucket (12.5%)
 * above, the maximum exact, merging equal to recording in one histogram.
 */
#include <stdlib.h>

#include "latency.h"
#include "unit.h"

static struct latency_hist a, b, all;

static void test_small_values_exact(void)
{
	struct latency_hist h = { 0 };
	int i;

	for (i = 1; i <= 7; i++)
		latency_record(&h, i);
	UNIT_EXPECT(latency_percentile(&h, 50) == 4, "p50 %llu",
		    (unsigned long long)latency_percentile(&h, 50));
	UNIT_EXPECT(latency_percentile(&h, 100) == 7 && h.max == 7, "max");
	UNIT_EXPECT(h.count == 7 && h.sum == 28, "count/sum");
}

static void test_percentiles_within_a_bucket(void)
{
	struct latency_hist h = { 0 };
	uint64_t v, p50, p99;

	/* 1..100000 ns uniformly: p50 = 50000, p99 = 99000. */
	for (v = 1; v <= 100000; v++)
		latency_record(&h, v);
	p50 = latency_percentile(&h, 50);
	p99 = latency_percentile(&h, 99);
	UNIT_EXPECT(p50 >= 50000 && p50 <= 50000 * 1.125, "p50 %llu", (unsigned long long)p50);
	UNIT_EXPECT(p99 >= 99000 && p99 <= 100000, "p99 %llu", (unsigned long long)p99);
	UNIT_EXPECT(latency_percentile(&h, 100) == 100000, "p100 is the max");
}

static void test_outlier_max_exact(void)
{
	struct latency_hist h = { 0 };
	int i;

	for (i = 0; i < 1000; i++)
		latency_record(&h, 1000);
	latency_record(&h, 123456789);
	UNIT_EXPECT(h.max == 123456789, "max");
	UNIT_EXPECT(latency_percentile(&h, 99) <= 1000 * 1.125, "p99 not dragged by one outlier");
	UNIT_EXPECT(latency_percentile(&h, 100) == 123456789, "p100");
}

static void test_merge(void)
{
	uint64_t v;

	for (v = 1; v < 5000; v += 3) {
		latency_record(v & 1 ? &a : &b, v * 7);
		latency_record(&all, v * 7);
	}
	latency_merge(&a, &b);
	UNIT_EXPECT(!memcmp(&a, &all, sizeof(a)), "merged differs from recorded together");
}

static void test_empty(void)
{
	struct latency_hist h = { 0 };

	UNIT_EXPECT(latency_percentile(&h, 50) == 0, "empty");
}

UNIT_MAIN(UNIT(test_small_values_exact),
	  UNIT(test_percentiles_within_a_bucket),
	  UNIT(test_outlier_max_exact),
	  UNIT(test_merge),
	  UNIT(test_empty))
