// SPDX-License-Identifier: GPL-2.0
/*
 * Latency percentiles: exact for small values, within one bucket (12.5%)
 * above, the maximum exact, merging equal to recording in one histogram.
 */
#include <stdlib.h>

#include "latency.h"
#include "kselftest_harness.h"

static struct latency_hist a, b, all;

TEST(small_values_exact)
{
	struct latency_hist h = { 0 };
	int i;

	for (i = 1; i <= 7; i++)
		latency_record(&h, i);
	EXPECT_TRUE(latency_percentile(&h, 50) == 4) TH_LOG("p50 %llu",
		    (unsigned long long)latency_percentile(&h, 50));
	EXPECT_TRUE(latency_percentile(&h, 100) == 7 && h.max == 7) TH_LOG("max");
	EXPECT_TRUE(h.count == 7 && h.sum == 28) TH_LOG("count/sum");
}

TEST(percentiles_within_a_bucket)
{
	struct latency_hist h = { 0 };
	uint64_t v, p50, p99;

	/* 1..100000 ns uniformly: p50 = 50000, p99 = 99000. */
	for (v = 1; v <= 100000; v++)
		latency_record(&h, v);
	p50 = latency_percentile(&h, 50);
	p99 = latency_percentile(&h, 99);
	EXPECT_TRUE(p50 >= 50000 && p50 <= 50000 * 1.125) TH_LOG("p50 %llu", (unsigned long long)p50);
	EXPECT_TRUE(p99 >= 99000 && p99 <= 100000) TH_LOG("p99 %llu", (unsigned long long)p99);
	EXPECT_TRUE(latency_percentile(&h, 100) == 100000) TH_LOG("p100 is the max");
}

TEST(outlier_max_exact)
{
	struct latency_hist h = { 0 };
	int i;

	for (i = 0; i < 1000; i++)
		latency_record(&h, 1000);
	latency_record(&h, 123456789);
	EXPECT_TRUE(h.max == 123456789) TH_LOG("max");
	EXPECT_TRUE(latency_percentile(&h, 99) <= 1000 * 1.125) TH_LOG("p99 not dragged by one outlier");
	EXPECT_TRUE(latency_percentile(&h, 100) == 123456789) TH_LOG("p100");
}

TEST(merge)
{
	uint64_t v;

	for (v = 1; v < 5000; v += 3) {
		latency_record(v & 1 ? &a : &b, v * 7);
		latency_record(&all, v * 7);
	}
	latency_merge(&a, &b);
	EXPECT_TRUE(!memcmp(&a, &all, sizeof(a))) TH_LOG("merged differs from recorded together");
}

TEST(empty)
{
	struct latency_hist h = { 0 };

	EXPECT_TRUE(latency_percentile(&h, 50) == 0) TH_LOG("empty");
}

TEST_HARNESS_MAIN
