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

/*
 * The regularized incomplete beta function I_x(a, b) from its continued
 * fraction, evaluated by the modified Lentz method; the fraction converges
 * for x < (a + 1) / (a + b + 2), and the symmetry I_x(a, b) = 1 - I_1-x(b, a)
 * covers the rest.
 */
static double beta_fraction(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h, num, delta;
	int m;

	d = 1 / (fabs(d) < tiny ? tiny : d);
	h = d;
	for (m = 1; m <= 300; m++) {
		num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
		d = 1 + num * d;
		c = 1 + num / c;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		h *= d * c;
		num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
		d = 1 + num * d;
		c = 1 + num / c;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1) < 1e-14)
			break;
	}
	return h;
}

static double incomplete_beta(double a, double b, double x)
{
	double front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_fraction(a, b, x) / a;
	return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

double stats_student_t_p(double t, double df)
{
	return incomplete_beta(df / 2, 0.5, df / (df + t * t));
}

static double variance(const double *x, size_t n, double mean)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += (x[i] - mean) * (x[i] - mean);
	return s / (n - 1);
}

double stats_welch_p(const double *a, size_t na, const double *b, size_t nb)
{
	double ma, mb, va, vb, t, df;

	if (na < 2 || nb < 2)
		return NAN;
	ma = stats_mean(a, na);
	mb = stats_mean(b, nb);
	va = variance(a, na, ma) / na;
	vb = variance(b, nb, mb) / nb;
	/* No spread on either side: the means are the answer. */
	if (va + vb == 0)
		return ma == mb ? 1 : 0;
	t = (mb - ma) / sqrt(va + vb);
	df = (va + vb) * (va + vb) / (va * va / (na - 1) + vb * vb / (nb - 1));
	return stats_student_t_p(t, df);
}

void stats_holm(const double *p, size_t n, double *adjusted)
{
	size_t *order = malloc(n * sizeof(*order)), i, j, k;
	double running = 0, v;

	for (i = 0; i < n; i++)
		order[i] = i;
	/* Ascending p (insertion sort: a table has tens of rows). */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && p[order[j]] < p[order[j - 1]]; j--)
			k = order[j], order[j] = order[j - 1], order[j - 1] = k;
	for (i = 0; i < n; i++) {
		v = (n - i) * p[order[i]];
		running = fmax(running, fmin(1, v));
		adjusted[order[i]] = running;
	}
	free(order);
}
