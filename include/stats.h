/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two-sample statistics for A/B comparison of runs (seamstress compare):
 * Welch's t-test (the verdict's test: calibrated at the 3 runs a side a
 * patch validation has, where the Mann-Whitney U test cannot go below
 * p = 0.1), Holm's adjustment of a table's p-values, the Mann-Whitney U
 * test (exact null distribution up to 12 per side, normal approximation
 * with tie correction above) and a seeded percentile bootstrap of the
 * relative change of the mean.  All textbook methods; the unit tests check
 * them against published or hand-computed values.
 */
#ifndef SEAMSTRESS_STATS_H
#define SEAMSTRESS_STATS_H

#include <stddef.h>

double stats_mean(const double *x, size_t n);
double stats_median(const double *x, size_t n);

/* Two-sided p-value of the Mann-Whitney U test of @a against @b. */
double stats_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb);

/* Two-sided p of Student's t distribution with @df degrees of freedom. */
double stats_student_t_p(double t, double df);

/*
 * Two-sided p of Welch's unequal-variance t-test of mean(@a) = mean(@b);
 * NAN below 2 values a side, 0 or 1 when neither side varies.
 */
double stats_welch_p(const double *a, size_t na, const double *b, size_t nb);

/*
 * Holm's step-down adjustment of @n p-values into @adjusted: the family-wise
 * error of the whole table stays at the level each is compared with.
 */
void stats_holm(const double *p, size_t n, double *adjusted);

/*
 * 95% percentile-bootstrap interval of mean(b) / mean(a) - 1 with @iters
 * resamples from @seed.  Returns -1 when either side has fewer than 2 runs
 * or mean(a) is 0.
 */
int stats_bootstrap_change(const double *a, size_t na, const double *b, size_t nb,
			   unsigned int iters, unsigned long long seed,
			   double *lo, double *hi);

#endif /* SEAMSTRESS_STATS_H */
