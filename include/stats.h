/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two-sample statistics for A/B comparison of runs (seamstress compare):
 * the Mann-Whitney U test (exact null distribution for the small samples
 * a patch validation has, normal approximation with tie correction above
 * 12 per side) and a seeded percentile bootstrap of the relative change of
 * the mean.  Both are textbook methods; the unit tests check them against
 * hand-computed values.
 */
#ifndef SEAMSTRESS_STATS_H
#define SEAMSTRESS_STATS_H

#include <stddef.h>

double stats_mean(const double *x, size_t n);
double stats_median(const double *x, size_t n);

/* Two-sided p-value of the Mann-Whitney U test of @a against @b. */
double stats_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb);

/*
 * 95% percentile-bootstrap interval of mean(b) / mean(a) - 1 with @iters
 * resamples from @seed.  Returns -1 when either side has fewer than 2 runs
 * or mean(a) is 0.
 */
int stats_bootstrap_change(const double *a, size_t na, const double *b, size_t nb,
			   unsigned int iters, unsigned long long seed,
			   double *lo, double *hi);

#endif /* SEAMSTRESS_STATS_H */
