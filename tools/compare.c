// SPDX-License-Identifier: GPL-2.0
/*
 * seamstress compare: A/B comparison of reports of a baseline and a
 * patched kernel.  Findings present on one side only come first; then every
 * counter, rate and latency percentile with its change, a 95% bootstrap
 * interval of the change of the mean and the Mann-Whitney p (lib/report/stats.c)
 * where each side has at least two runs, and a verdict that knows which
 * direction is worse.  Text by default, --json, and --plot FILE.svg
 * (gnuplot) of the latency percentiles of every run side by side.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "safe_file.h"
#include "stats.h"
#include "tool.h"

#define MAX_REPORTS	64
#define MAX_METRICS	512
#define BOOT_ITERS	4000
#define BOOT_SEED	0x5ea3

struct side {
	int n;
	char *path[MAX_REPORTS];
	struct json_object *rep[MAX_REPORTS];
};

struct metric {
	char name[160];
	int nb, nn;
	double b[MAX_REPORTS], v[MAX_REPORTS];
	/* results */
	double mb, mn, change, lo, hi, p;
	bool has_ci;
	const char *verdict;
};

static struct metric metrics[MAX_METRICS];
static int nr_metrics;

/* A report is a regular file of at most this many bytes. */
#define MAX_REPORT_BYTES	(64 << 20)

static int add_file(struct side *s, const char *path)
{
	int fd;

	if (s->n >= MAX_REPORTS)
		return fprintf(stderr, "seamstress compare: more than %d reports\n", MAX_REPORTS), -1;
	/* Not a FIFO (it would block) nor a device (/dev/zero never ends). */
	fd = safe_open_read(path, MAX_REPORT_BYTES, NULL, NULL);
	if (fd == -EINVAL || fd == -EFBIG)
		return fprintf(stderr, "seamstress compare: %s: not a regular file of at most %d MiB\n",
			       path, MAX_REPORT_BYTES >> 20), -1;
	if (fd < 0)
		return fprintf(stderr, "seamstress compare: %s: %s\n", path, strerror(-fd)), -1;
	s->rep[s->n] = json_object_from_fd(fd);
	close(fd);
	if (!s->rep[s->n] || !json_object_is_type(s->rep[s->n], json_type_object))
		return fprintf(stderr, "seamstress compare: %s: not a JSON report\n", path), -1;
	s->path[s->n++] = strdup(path);
	return 0;
}

/* @key of @o when it is an object (NULL otherwise: a malformed report). */
static struct json_object *get_object(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_object) ?
	       v : NULL;
}

/* The reports of directory @dir, in name order, suite.json aside. */
static int load_dir(struct side *s, const char *dir)
{
	struct dirent **ents;
	char path[1024];
	int i, n, err = 0;

	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return fprintf(stderr, "seamstress compare: %s: %s\n", dir, strerror(errno)), -1;
	for (i = 0; i < n; i++) {
		size_t l = strlen(ents[i]->d_name);

		if (!err && l > 5 && !strcmp(ents[i]->d_name + l - 5, ".json") &&
		    strcmp(ents[i]->d_name, "suite.json")) {
			snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
			err = add_file(s, path);
		}
		free(ents[i]);
	}
	free(ents);
	return err;
}

/* A report, a comma-separated list of them, or a directory of them. */
static int load_side(struct side *s, const char *arg)
{
	char *list = strdup(arg), *tok, *save;
	struct stat st;
	int err = 0;

	for (tok = strtok_r(list, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
		if (stat(tok, &st))
			err = (fprintf(stderr, "seamstress compare: %s: %s\n", tok, strerror(errno)), -1);
		else
			err = S_ISDIR(st.st_mode) ? load_dir(s, tok) : add_file(s, tok);
	}
	free(list);
	if (!err && !s->n)
		return fprintf(stderr, "seamstress compare: %s holds no reports\n", arg), -1;
	return err;
}

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "?";
}

/*
 * Reports compared must be the same experiment: one test on one flavor with
 * the same scenario settings, and each a run (a SKIP measured nothing; a
 * harness error stays in, as a broken kernel can cause one).  Pooling others (as until 2026-12-02) averaged unlike
 * runs into "+inf%" rows.  0, or -1 after naming the report that differs.
 */
static int same_experiment(const struct side *base, const struct side *new)
{
	static const char *const keys[] = {
		"vcpus", "pages", "punchers", "punch_size", "pattern", "order", "burst", "kick_hz",
		"punch_hz", "accept", "store", "access_width", "duration_s", "sweeps", NULL,
	};
	const struct side *sides[] = { base, new };
	struct json_object *ref = base->rep[0], *rep, *rc, *c, *a, *b;
	const char *refpath = base->path[0], *res;
	int s, i, k;

	rc = get_object(ref, "config");
	for (s = 0; s < 2; s++) {
		for (i = 0; i < sides[s]->n; i++) {
			rep = sides[s]->rep[i];
			res = str(rep, "result");
			if (!strcmp(res, "skip"))
				return fprintf(stderr, "seamstress compare: %s: result %s, no measurement to compare\n",
					       sides[s]->path[i], res), -1;
			if (strcmp(str(rep, "test"), str(ref, "test")) ||
			    strcmp(str(rep, "flavor"), str(ref, "flavor")))
				return fprintf(stderr, "seamstress compare: %s is test %s on flavor %s, %s is test %s on flavor %s: compare runs of one test on one flavor\n",
					       sides[s]->path[i], str(rep, "test"), str(rep, "flavor"),
					       refpath, str(ref, "test"), str(ref, "flavor")), -1;
			c = get_object(rep, "config");
			for (k = 0; keys[k] && rc && c; k++) {
				bool ha = json_object_object_get_ex(rc, keys[k], &a);
				bool hb = json_object_object_get_ex(c, keys[k], &b);

				if (ha != hb || (ha && strcmp(json_object_to_json_string(a),
							      json_object_to_json_string(b))))
					return fprintf(stderr, "seamstress compare: %s has config %s %s, %s has %s: compare runs of one scenario\n",
						       sides[s]->path[i], keys[k],
						       hb ? json_object_to_json_string(b) : "(none)", refpath,
						       ha ? json_object_to_json_string(a) : "(none)"), -1;
			}
		}
	}
	return 0;
}

static struct metric *metric(const char *name)
{
	int i;

	for (i = 0; i < nr_metrics; i++)
		if (!strcmp(metrics[i].name, name))
			return &metrics[i];
	if (nr_metrics >= MAX_METRICS)
		return NULL;
	snprintf(metrics[nr_metrics].name, sizeof(metrics[0].name), "%s", name);
	return &metrics[nr_metrics++];
}

static void add_value(const char *name, bool base, double v)
{
	struct metric *m = metric(name);

	if (!m)
		return;
	if (base && m->nb < MAX_REPORTS)
		m->b[m->nb++] = v;
	else if (!base && m->nn < MAX_REPORTS)
		m->v[m->nn++] = v;
}

static void collect(struct json_object *rep, bool base)
{
	static const char *const groups[] = { "counters", "rates" };
	struct json_object *g, *l;
	const char *test = str(rep, "test");
	char name[160];
	size_t i;

	for (i = 0; i < 2; i++) {
		if (!(g = get_object(rep, groups[i])))
			continue;
		json_object_object_foreach(g, k, v) {
			if (!json_object_is_type(v, json_type_int) &&
			    !json_object_is_type(v, json_type_double))
				continue;
			snprintf(name, sizeof(name), "%s %s.%s", test, groups[i], k);
			add_value(name, base, json_object_get_double(v));
		}
	}
	if ((g = get_object(rep, "latency"))) {
		json_object_object_foreach(g, lname, lat) {
			static const char *const pct[] = { "p50_ns", "p99_ns", "max_ns" };

			if (!json_object_is_type(lat, json_type_object))
				continue;
			for (i = 0; i < 3; i++) {
				if (!json_object_object_get_ex(lat, pct[i], &l))
					continue;
				snprintf(name, sizeof(name), "%s latency.%s.%s", test, lname, pct[i]);
				add_value(name, base, json_object_get_double(l));
			}
		}
	}
}

/* Which way is worse: +1 higher is worse, -1 lower is worse, 0 neither. */
static int worse_direction(const char *name)
{
	static const char *const bad_up[] = {
		"latency.", "integrity_mismatches", "zero_step_suspects", "longest_fault_streak",
		"vp_enter_busy_exits", "synthesized_ept_exits", "accept_busy", "accept_other",
		"kick_exits_per_s", NULL,
	};
	int i;

	for (i = 0; bad_up[i]; i++)
		if (strstr(name, bad_up[i]))
			return +1;
	if (strstr(name, "rates.") && strstr(name, "_per_s"))
		return -1;
	return 0;
}

static void analyse(double threshold)
{
	struct metric *m;
	int i, dir;

	for (i = 0; i < nr_metrics; i++) {
		m = &metrics[i];
		m->verdict = "";
		if (!m->nb || !m->nn)
			continue;
		m->mb = stats_mean(m->b, m->nb);
		m->mn = stats_mean(m->v, m->nn);
		m->change = m->mb ? m->mn / m->mb - 1 : (m->mn ? INFINITY : 0);
		m->p = m->nb >= 2 && m->nn >= 2 ? stats_mann_whitney_p(m->b, m->nb, m->v, m->nn) : NAN;
		m->has_ci = !stats_bootstrap_change(m->b, m->nb, m->v, m->nn, BOOT_ITERS, BOOT_SEED,
						    &m->lo, &m->hi);
		/* Significant: the interval excludes 0 and the change passes the threshold. */
		if (!m->has_ci || (m->lo <= 0 && m->hi >= 0) || fabs(m->change) < threshold)
			continue;
		dir = worse_direction(m->name);
		if (!dir)
			m->verdict = "changed";
		else if ((dir > 0) == (m->change > 0))
			m->verdict = "REGRESSION";
		else
			m->verdict = "improved";
	}
}

/* Findings by (test, detector), counted in runs. */
static int findings_of(struct side *s, char names[][96], int *count, int max)
{
	struct json_object *fs, *f;
	int i, j, k, n = 0;
	char key[96];

	for (i = 0; i < s->n; i++) {
		if (!json_object_object_get_ex(s->rep[i], "findings", &fs) ||
		    !json_object_is_type(fs, json_type_array))
			continue;
		for (j = 0; j < (int)json_object_array_length(fs); j++) {
			f = json_object_array_get_idx(fs, j);
			if (!json_object_is_type(f, json_type_object))
				continue;
			snprintf(key, sizeof(key), "%s: %s", str(s->rep[i], "test"), str(f, "detector"));
			for (k = 0; k < n && strcmp(names[k], key); k++)
				;
			if (k == n && n < max) {
				snprintf(names[n], 96, "%s", key);
				count[n++] = 0;
			}
			if (k < n)
				count[k]++;
		}
	}
	return n;
}

static int only_in(char a[][96], int na, char b[][96], int nb, int *ca, const char *label,
		   struct json_writer *w, bool json)
{
	int i, j, found = 0;

	for (i = 0; i < na; i++) {
		for (j = 0; j < nb && strcmp(a[i], b[j]); j++)
			;
		if (j < nb)
			continue;
		found++;
		if (json)
			json_string(w, NULL, a[i]);
		else
			printf("finding only in %s: %s (%d)\n", label, a[i], ca[i]);
	}
	return found;
}

/*
 * The SVG path goes into a gnuplot script between quotes: only characters
 * that cannot end the string or start a command are taken.
 */
static bool plot_path_ok(const char *p)
{
	size_t n = strlen(p);

	if (n < 5 || strcmp(p + n - 4, ".svg"))
		return false;
	return strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/+-") == n;
}

static int plot(const char *svg, struct side *base, struct side *new)
{
	char data[] = "/tmp/seamstress-plot-XXXXXX";
	struct json_object *lat;
	struct side *sides[2] = { base, new };
	int fd, s, i, r;
	FILE *f, *gp;

	fd = mkstemp(data);
	if (fd < 0)
		return fprintf(stderr, "seamstress compare: mkstemp(%s): %s\n", data, strerror(errno)), -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(data);
		return fprintf(stderr, "seamstress compare: fdopen: %s\n", strerror(errno)), -1;
	}

	/* One block per side: x = percentile (0 p50, 1 p99, 2 max), y = ns. */
	for (s = 0; s < 2; s++) {
		for (i = 0; i < sides[s]->n; i++) {
			if (!(lat = get_object(sides[s]->rep[i], "latency")))
				continue;
			json_object_object_foreach(lat, name, l) {
				struct json_object *p50, *p99, *max;

				/* A latency name is data: one word of the data file. */
				if (strpbrk(name, " \t\n\"'#"))
					continue;
				if (!json_object_object_get_ex(l, "p50_ns", &p50) ||
				    !json_object_object_get_ex(l, "p99_ns", &p99) ||
				    !json_object_object_get_ex(l, "max_ns", &max))
					continue;
				fprintf(f, "%f %ld %s\n%f %ld %s\n%f %ld %s\n",
					0 + s * 0.3, json_object_get_int64(p50), name,
					1 + s * 0.3, json_object_get_int64(p99), name,
					2 + s * 0.3, json_object_get_int64(max), name);
			}
		}
		fprintf(f, "\n\n");
	}
	fclose(f);
	gp = popen("gnuplot 2>&1", "w");
	if (!gp) {
		unlink(data);
		return fprintf(stderr, "seamstress compare: cannot run gnuplot\n"), -1;
	}
	fprintf(gp,
		"set terminal svg size 800,500 dynamic background rgb 'white'\n"
		"set output '%s'\n"
		"set title 'punch latency per run: base vs new'\n"
		"set logscale y\nset ylabel 'ns'\nset xrange [-0.5:2.8]\n"
		"set xtics ('p50' 0.15, 'p99' 1.15, 'max' 2.15)\nset key top left\n"
		"plot '%s' index 0 using 1:2 with points pt 7 ps 1.2 title 'base (%d runs)', "
		"'%s' index 1 using 1:2 with points pt 5 ps 1.2 title 'new (%d runs)'\n",
		svg, data, base->n, data, new->n);
	r = pclose(gp);
	unlink(data);
	if (r)
		return fprintf(stderr, "seamstress compare: gnuplot failed (is gnuplot-nox installed?)\n"), -1;
	return 0;
}

int compare_main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "plot", required_argument, NULL, 'p' },
		{ "threshold", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	static char fb[128][96], fn[128][96];
	static struct side base, new;
	int cb[128], cn[128], nfb, nfn, i, c, regressions = 0, only_new;
	const char *svg = NULL;
	double threshold = 0.10;
	struct json_writer w;
	bool json = false;
	char *end;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jp:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'p':
			svg = optarg;
			if (!plot_path_ok(svg))
				return fprintf(stderr, "seamstress compare: --plot %s: allowed are letters, digits and ._/+- ending in .svg\n",
					       svg), 2;
			break;
		case 't':
			threshold = strtod(optarg, &end) / 100;
			if (*end || end == optarg || threshold < 0) {
				fprintf(stderr, "seamstress compare: --threshold: '%s' is not allowed; allowed: a percentage >= 0\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			printf("usage: seamstress compare [--json] [--plot FILE.svg] [--threshold PCT] BASE NEW\n");
			return 0;
		default:
			return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "seamstress compare: give BASE and NEW (reports, lists or directories)\n");
		return 2;
	}
	if (load_side(&base, argv[optind]) || load_side(&new, argv[optind + 1]) ||
	    same_experiment(&base, &new))
		return 2;
	for (i = 0; i < base.n; i++)
		collect(base.rep[i], true);
	for (i = 0; i < new.n; i++)
		collect(new.rep[i], false);
	analyse(threshold);
	nfb = findings_of(&base, fb, cb, 128);
	nfn = findings_of(&new, fn, cn, 128);

	for (i = 0; i < nr_metrics; i++)
		regressions += !strcmp(metrics[i].verdict, "REGRESSION");

	if (json) {
		json_init(&w, stdout);
		json_begin_object(&w, NULL);
		json_u64(&w, "base_runs", base.n);
		json_u64(&w, "new_runs", new.n);
		json_double(&w, "threshold", threshold);
		json_string(&w, "method", "bootstrap 95% percentile interval of mean(new)/mean(base)-1 "
			    "(4000 resamples); Mann-Whitney U, exact below 13 runs per side");
		json_begin_array(&w, "findings_only_in_new");
		only_new = only_in(fn, nfn, fb, nfb, cn, "new", &w, true);
		json_end_array(&w);
		json_begin_array(&w, "findings_only_in_base");
		only_in(fb, nfb, fn, nfn, cb, "base", &w, true);
		json_end_array(&w);
		json_begin_array(&w, "metrics");
		for (i = 0; i < nr_metrics; i++) {
			struct metric *m = &metrics[i];

			if (!m->nb || !m->nn)
				continue;
			json_begin_object(&w, NULL);
			json_string(&w, "name", m->name);
			json_u64(&w, "base_n", m->nb);
			json_u64(&w, "new_n", m->nn);
			json_double(&w, "base_mean", m->mb);
			json_double(&w, "new_mean", m->mn);
			json_double(&w, "change", m->change);
			if (m->has_ci) {
				json_double(&w, "ci_low", m->lo);
				json_double(&w, "ci_high", m->hi);
			}
			json_double(&w, "p", m->p);
			json_string(&w, "verdict", m->verdict);
			json_end_object(&w);
		}
		json_end_array(&w);
		json_u64(&w, "regressions", regressions);
		json_end_object(&w);
	} else {
		printf("seamstress compare: base %d run(s), new %d run(s); %s\n", base.n, new.n,
		       base.n < 2 || new.n < 2 ? "one run a side gives no interval: repeat runs for significance" :
		       "95% bootstrap interval of the change, Mann-Whitney p");
		only_new = only_in(fn, nfn, fb, nfb, cn, "new", NULL, false);
		only_in(fb, nfb, fn, nfn, cb, "base", NULL, false);
		printf("%-52s %12s %12s %9s %20s %7s  %s\n", "metric", "base", "new", "change",
		       "95% interval", "p", "verdict");
		for (i = 0; i < nr_metrics; i++) {
			struct metric *m = &metrics[i];
			char ci[40] = "-", p[16] = "-";

			/* 0 on every run of both sides says nothing (in --json it stays). */
			if (!m->nb || !m->nn || (!m->mb && !m->mn && !m->lo && !m->hi))
				continue;
			if (m->has_ci)
				snprintf(ci, sizeof(ci), "[%+.1f%%, %+.1f%%]", 100 * m->lo, 100 * m->hi);
			if (!isnan(m->p))
				snprintf(p, sizeof(p), "%.3f", m->p);
			printf("%-52s %12.4g %12.4g %+8.1f%% %20s %7s  %s\n", m->name, m->mb, m->mn,
			       100 * m->change, ci, p, m->verdict);
		}
		printf("%d regression(s) beyond %.0f%%; %d finding kind(s) only in new\n", regressions,
		       100 * threshold, only_new);
	}
	if (svg && plot(svg, &base, &new))
		return 2;
	return regressions || only_new ? 1 : 0;
}
