// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double stats_mean(const double *x, size_t n)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += x[i];
	return n ? s / n : NAN;
}

double stats_median(const double *x, size_t n)
{
	double *c, m;

	if (!n)
		return NAN;
	c = malloc(n * sizeof(*c));
	memcpy(c, x, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp_double);
	m = n & 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
	free(c);
	return m;
}

/* U of @a: pairs (i, j) with a[i] > b[j], ties counting one half. */
static double u_statistic(const double *a, size_t na, const double *b, size_t nb)
{
	double u = 0;
	size_t i, j;

	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			u += a[i] > b[j] ? 1 : a[i] == b[j] ? 0.5 : 0;
	return u;
}

/*
 * Exact null distribution: count(n, m, u) = arrangements of n a's and m b's
 * with U = u, by count(n, m, u) = count(n-1, m, u-m) + count(n, m-1, u).
 */
static double exact_p(size_t na, size_t nb, double u)
{
	size_t umax = na * nb, n, m, k;
	double *c = calloc((na + 1) * (nb + 1) * (umax + 1), sizeof(double));
	double total = 0, tail = 0, center = umax / 2.0, dist = fabs(u - center);
#define C(n, m, k) c[((n) * (nb + 1) + (m)) * (umax + 1) + (k)]

	for (n = 0; n <= na; n++) {
		for (m = 0; m <= nb; m++) {
			for (k = 0; k <= umax; k++) {
				if (!n || !m) {
					C(n, m, k) = k == 0;
					continue;
				}
				C(n, m, k) = (k >= m ? C(n - 1, m, k - m) : 0) + C(n, m - 1, k);
			}
		}
	}
	for (k = 0; k <= umax; k++) {
		total += C(na, nb, k);
		if (fabs(k - center) >= dist - 1e-9)
			tail += C(na, nb, k);
	}
#undef C
	free(c);
	return tail / total;
}

double stats_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb)
{
	double u, mu, sigma, z, *all, tie = 0;
	size_t i, j, n = na + nb;

	if (!na || !nb)
		return NAN;
	u = u_statistic(a, na, b, nb);
	if (na <= 12 && nb <= 12)
		return exact_p(na, nb, u);

	/* Normal approximation with tie correction and continuity. */
	all = malloc(n * sizeof(*all));
	memcpy(all, a, na * sizeof(*a));
	memcpy(all + na, b, nb * sizeof(*b));
	qsort(all, n, sizeof(*all), cmp_double);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && all[j] == all[i]; j++)
			;
		tie += pow(j - i, 3) - (j - i);
	}
	free(all);
	mu = na * nb / 2.0;
	sigma = sqrt(na * nb / 12.0 * ((n + 1) - tie / (n * (n - 1.0))));
	if (sigma == 0)
		return 1;
	z = (fabs(u - mu) - 0.5) / sigma;
	return erfc(z / sqrt(2));
}

int stats_bootstrap_change(const double *a, size_t na, const double *b, size_t nb,
			   unsigned int iters, unsigned long long seed,
			   double *lo, double *hi)
{
	double *r, sa, sb;
	struct seam_rng rng;
	unsigned int it;
	size_t i;

	if (na < 2 || nb < 2 || stats_mean(a, na) == 0)
		return -1;
	r = malloc(iters * sizeof(*r));
	seam_rng_init(&rng, seed, 0);
	for (it = 0; it < iters; it++) {
		for (i = 0, sa = 0; i < na; i++)
			sa += a[seam_rng_below(&rng, na)];
		for (i = 0, sb = 0; i < nb; i++)
			sb += b[seam_rng_below(&rng, nb)];
		r[it] = sa ? (sb / nb) / (sa / na) - 1 : 0;
	}
	qsort(r, iters, sizeof(*r), cmp_double);
	*lo = r[(size_t)(0.025 * (iters - 1))];
	*hi = r[(size_t)(0.975 * (iters - 1))];
	free(r);
	return 0;
}
