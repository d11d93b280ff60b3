// SPDX-License-Identifier: GPL-2.0
/*
 * The A/B statistics against hand-computed values: Mann-Whitney exact
 * p-values, the normal approximation, and bootstrap intervals that cover a
 * known shift and exclude zero only when the shift is real.
 */
#include <math.h>

#include "stats.h"
#include "kselftest_harness.h"

TEST(median_mean)
{
	double x[] = { 5, 1, 3, 2 };

	EXPECT_TRUE(stats_median(x, 4) == 2.5 && stats_median(x, 3) == 3) TH_LOG("median");
	EXPECT_TRUE(stats_mean(x, 4) == 2.75) TH_LOG("mean");
}

TEST(mann_whitney_exact)
{
	double a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10 }, c[] = { 1, 2, 3, 4, 5 };
	double p;

	/* Complete separation of 5 vs 5: 2 of C(10,5) = 252 arrangements. */
	p = stats_mann_whitney_p(a, 5, b, 5);
	EXPECT_TRUE(fabs(p - 2.0 / 252) < 1e-12) TH_LOG("p %.6f", p);
	p = stats_mann_whitney_p(a, 5, c, 5);
	EXPECT_TRUE(p > 0.99) TH_LOG("identical samples p %.3f", p);
	/* 3 vs 3 separated: 2 / C(6,3) = 0.1: never significant at 0.05. */
	p = stats_mann_whitney_p(a, 3, b, 3);
	EXPECT_TRUE(fabs(p - 0.1) < 1e-12) TH_LOG("p %.6f", p);
}

TEST(mann_whitney_normal)
{
	double a[20], b[20];
	double p;
	int i;

	for (i = 0; i < 20; i++) {
		a[i] = i;
		b[i] = i + 30;
	}
	p = stats_mann_whitney_p(a, 20, b, 20);
	EXPECT_TRUE(p < 1e-6) TH_LOG("separated p %g", p);
	for (i = 0; i < 20; i++)
		b[i] = i + 0.5;
	p = stats_mann_whitney_p(a, 20, b, 20);
	EXPECT_TRUE(p > 0.5) TH_LOG("interleaved p %g", p);
}

TEST(bootstrap)
{
	double a[] = { 100, 102, 98, 101, 99 }, b[] = { 150, 153, 147, 151, 149 };
	double c[] = { 99, 103, 97, 100, 101 }, lo, hi;

	EXPECT_TRUE(!stats_bootstrap_change(a, 5, b, 5, 2000, 1, &lo, &hi)) TH_LOG("computed");
	EXPECT_TRUE(lo > 0.45 && hi < 0.55 && lo <= 0.5 && hi >= 0.5) TH_LOG("+50%% inside [%.3f, %.3f]", lo, hi);
	EXPECT_TRUE(!stats_bootstrap_change(a, 5, c, 5, 2000, 1, &lo, &hi)) TH_LOG("computed");
	EXPECT_TRUE(lo < 0 && hi > 0) TH_LOG("no change: [%.3f, %.3f] holds 0", lo, hi);
	EXPECT_TRUE(stats_bootstrap_change(a, 1, c, 5, 2000, 1, &lo, &hi) == -1) TH_LOG("n = 1");
}

TEST_HARNESS_MAIN
