// SPDX-License-Identifier: GPL-2.0
/*
 * The A/B statistics against hand-computed values: Mann-Whitney exact
 * p-values, the normal approximation, and bootstrap intervals that cover a
 * known shift and exclude zero only when the shift is real.
 */
#include <math.h>

#include "stats.h"
#include "unit.h"

static void test_median_mean(void)
{
	double x[] = { 5, 1, 3, 2 };

	UNIT_EXPECT(stats_median(x, 4) == 2.5 && stats_median(x, 3) == 3, "median");
	UNIT_EXPECT(stats_mean(x, 4) == 2.75, "mean");
}

static void test_mann_whitney_exact(void)
{
	double a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10 }, c[] = { 1, 2, 3, 4, 5 };
	double p;

	/* Complete separation of 5 vs 5: 2 of C(10,5) = 252 arrangements. */
	p = stats_mann_whitney_p(a, 5, b, 5);
	UNIT_EXPECT(fabs(p - 2.0 / 252) < 1e-12, "p %.6f", p);
	p = stats_mann_whitney_p(a, 5, c, 5);
	UNIT_EXPECT(p > 0.99, "identical samples p %.3f", p);
	/* 3 vs 3 separated: 2 / C(6,3) = 0.1: never significant at 0.05. */
	p = stats_mann_whitney_p(a, 3, b, 3);
	UNIT_EXPECT(fabs(p - 0.1) < 1e-12, "p %.6f", p);
}

static void test_mann_whitney_normal(void)
{
	double a[20], b[20];
	double p;
	int i;

	for (i = 0; i < 20; i++) {
		a[i] = i;
		b[i] = i + 30;
	}
	p = stats_mann_whitney_p(a, 20, b, 20);
	UNIT_EXPECT(p < 1e-6, "separated p %g", p);
	for (i = 0; i < 20; i++)
		b[i] = i + 0.5;
	p = stats_mann_whitney_p(a, 20, b, 20);
	UNIT_EXPECT(p > 0.5, "interleaved p %g", p);
}

static void test_bootstrap(void)
{
	double a[] = { 100, 102, 98, 101, 99 }, b[] = { 150, 153, 147, 151, 149 };
	double c[] = { 99, 103, 97, 100, 101 }, lo, hi;

	UNIT_EXPECT(!stats_bootstrap_change(a, 5, b, 5, 2000, 1, &lo, &hi), "computed");
	UNIT_EXPECT(lo > 0.45 && hi < 0.55 && lo <= 0.5 && hi >= 0.5,
		    "+50%% inside [%.3f, %.3f]", lo, hi);
	UNIT_EXPECT(!stats_bootstrap_change(a, 5, c, 5, 2000, 1, &lo, &hi), "computed");
	UNIT_EXPECT(lo < 0 && hi > 0, "no change: [%.3f, %.3f] holds 0", lo, hi);
	UNIT_EXPECT(stats_bootstrap_change(a, 1, c, 5, 2000, 1, &lo, &hi) == -1, "n = 1");
}

UNIT_MAIN(UNIT(test_median_mean),
	  UNIT(test_mann_whitney_exact),
	  UNIT(test_mann_whitney_normal),
	  UNIT(test_bootstrap))
