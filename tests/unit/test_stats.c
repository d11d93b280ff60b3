// SPDX-License-Identifier: GPL-2.0
/*
 * The A/B statistics against published and hand-computed values: Student's
 * t quantiles, Welch's test, Holm's adjustment, Mann-Whitney exact p-values,
 * the normal approximation, and bootstrap intervals that cover a known
 * shift and exclude zero only when the shift is real.
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

/* Two-sided 5% and 10% points of the t tables. */
FIXTURE(student_t) {};
FIXTURE_SETUP(student_t) {}
FIXTURE_TEARDOWN(student_t) {}

FIXTURE_VARIANT(student_t)
{
	double t, df, p;
};

FIXTURE_VARIANT_ADD(student_t, df1_5pct)	{ 12.7062, 1, 0.05 };
FIXTURE_VARIANT_ADD(student_t, df4_5pct)	{ 2.776445, 4, 0.05 };
FIXTURE_VARIANT_ADD(student_t, df10_10pct)	{ 1.812461, 10, 0.10 };
FIXTURE_VARIANT_ADD(student_t, df30_5pct)	{ 2.042272, 30, 0.05 };
FIXTURE_VARIANT_ADD(student_t, t0_is_p1)	{ 0, 7, 1 };

TEST_F(student_t, quantile)
{
	double p = stats_student_t_p(variant->t, variant->df);

	EXPECT_TRUE(fabs(p - variant->p) < 1e-5) TH_LOG("t %g df %g: p %.6f, expected %.6f",
							variant->t, variant->df, p, variant->p);
}

TEST(welch)
{
	double a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10 }, k[] = { 4, 4, 4 }, p;

	/* Means 3 and 8, each variance 2.5: t = 5 on 8 df, p = 0.0010528. */
	p = stats_welch_p(a, 5, b, 5);
	EXPECT_TRUE(fabs(p - 0.0010528) < 1e-6) TH_LOG("p %.7f", p);
	p = stats_welch_p(a, 5, a, 5);
	EXPECT_TRUE(p == 1) TH_LOG("identical samples p %g", p);
	/* 3 vs 3 fully separated: Mann-Whitney stops at 0.1, t does not. */
	p = stats_welch_p(a, 3, b, 3);
	EXPECT_TRUE(p < 0.01) TH_LOG("separated 3 vs 3 p %g", p);
	EXPECT_TRUE(stats_welch_p(k, 3, k, 3) == 1 && stats_welch_p(k, 3, a + 2, 3) == 1)
		TH_LOG("equal means give 1, whatever the spread");
	EXPECT_TRUE(stats_welch_p(k, 3, b, 3) < 0.05) TH_LOG("one side constant, the other apart (t 5.2, 2 df)");
	EXPECT_TRUE(isnan(stats_welch_p(a, 1, b, 5))) TH_LOG("one value a side has no test");
}

TEST(holm)
{
	double p[] = { 0.01, 0.04, 0.03, 0.005 }, adj[4];

	/* Sorted 0.005 x4, 0.01 x3, 0.03 x2, 0.04 x1 (kept monotone). */
	stats_holm(p, 4, adj);
	EXPECT_TRUE(fabs(adj[0] - 0.03) < 1e-12 && fabs(adj[1] - 0.06) < 1e-12 &&
		    fabs(adj[2] - 0.06) < 1e-12 && fabs(adj[3] - 0.02) < 1e-12)
		TH_LOG("adjusted %g %g %g %g", adj[0], adj[1], adj[2], adj[3]);
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
