// SPDX-License-Identifier: GPL-2.0
/*
 * seamstress compare: A/B comparison of reports of a baseline and a
 * patched kernel, for a cover letter.  A header names the test, the flavor
 * and each side's kernels, config hashes and runs; findings present on one
 * side only come next; then every counter, rate and latency percentile with
 * its change and, where each side has at least two runs, Welch's p adjusted
 * by Holm over the whole table (lib/report/stats.c).  A row's verdict needs
 * both: p below --alpha (0.05) and a change beyond --threshold (10%), and
 * it knows which direction is worse.  Until 2026-12-02 the verdict was a
 * bootstrap interval, which with 3 runs a side is far too narrow: same
 * settings on a loaded host gave 6 REGRESSIONs (issue 13).  Text of at most
 * 72 columns by default, --format markdown (with the bootstrap interval) or
 * json, and --plot FILE.svg (gnuplot): every rate and latency, run by run.
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
	/* results: p is Welch's, adjusted over the table; p_raw before that */
	double mb, mn, change, lo, hi, p, p_raw;
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

/* --section: only the reports of this scenario section (NULL: all). */
static const char *section;

/* Whether report file @path is of --section: its name is SECTION.json. */
static bool of_section(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n;

	if (!section)
		return true;
	n = strlen(section);
	return !strncmp(base, section, n) && !strcmp(base + n, ".json");
}

/* "run-K/NAME.json" of a report of a --repeat pass, else "NAME.json". */
static const char *report_rel(const char *p)
{
	const char *base = strrchr(p, '/'), *dir;
	size_t digits;

	if (!base)
		return p;
	for (dir = base; dir > p && dir[-1] != '/'; dir--)
		;
	digits = strspn(dir + 4, "0123456789");
	if (!strncmp(dir, "run-", 4) && digits && dir + 4 + digits == base)
		return dir;
	return base + 1;
}

/*
 * The reports a seamstress run listed in @dir/suite.json (every pass of a
 * --repeat, none of an older run's leftovers), found under @dir whatever
 * directory the run was started from: DIR/NAME.json or DIR/run-K/NAME.json.
 * 1 when there is no suite.json, 0, or -1 after an error.
 */
static int load_suite(struct side *s, const char *dir)
{
	struct json_object *sum, *runs, *r, *rep;
	char path[1024];
	const char *p, *rel;
	bool missing;
	int i, err = 0;

	sum = suite_summary_load(dir, MAX_REPORT_BYTES, path, sizeof(path), &runs, &missing);
	if (!sum && missing)
		return 1;
	if (!sum)
		return fprintf(stderr, "seamstress compare: %s: not a seamstress run's summary\n", path), -1;
	for (i = 0; i < (int)json_object_array_length(runs) && !err; i++) {
		r = json_object_array_get_idx(runs, i);
		if (!json_object_object_get_ex(r, "report", &rep) ||
		    !json_object_is_type(rep, json_type_string))
			continue;
		p = json_object_get_string(rep);
		rel = report_rel(p);
		if (!of_section(rel))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, rel);
		/* A run that wrote no report (a crash, a SKIP before it) is not data. */
		if (access(path, F_OK))
			continue;
		err = add_file(s, path);
	}
	json_object_put(sum);
	return err;
}

/* The reports of directory @dir: its run's list, else its *.json in name order. */
static int load_dir(struct side *s, const char *dir)
{
	struct dirent **ents;
	char path[1024];
	int i, n, err;

	err = load_suite(s, dir);
	if (err <= 0)
		return err;
	err = 0;
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return fprintf(stderr, "seamstress compare: %s: %s\n", dir, strerror(errno)), -1;
	for (i = 0; i < n; i++) {
		size_t l = strlen(ents[i]->d_name);

		if (!err && l > 5 && !strcmp(ents[i]->d_name + l - 5, ".json") &&
		    strcmp(ents[i]->d_name, "suite.json") && of_section(ents[i]->d_name)) {
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
				return fprintf(stderr, "seamstress compare: %s is test %s on flavor %s, %s is test %s on flavor %s: compare runs of one test on one flavor (a run's directory: pick one with --section NAME)\n",
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
	char name[160];
	size_t i;

	for (i = 0; i < 2; i++) {
		if (!(g = get_object(rep, groups[i])))
			continue;
		json_object_object_foreach(g, k, v) {
			if (!json_object_is_type(v, json_type_int) &&
			    !json_object_is_type(v, json_type_double))
				continue;
			snprintf(name, sizeof(name), "%s.%s", groups[i], k);
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
				snprintf(name, sizeof(name), "latency.%s.%s", lname, pct[i]);
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

/* 0 on every run of both sides: a row that says nothing (kept in JSON). */
static bool all_zero(const struct metric *m)
{
	int i;

	for (i = 0; i < m->nb; i++)
		if (m->b[i])
			return false;
	for (i = 0; i < m->nn; i++)
		if (m->v[i])
			return false;
	return true;
}

/* A row the text and markdown tables show: values on both sides, not all 0. */
static bool shown(const struct metric *m)
{
	return m->nb && m->nn && !all_zero(m);
}

/* The metrics Holm's adjustment covers: those that have a p. */
static int nr_tested;

static void analyse(double threshold, double alpha)
{
	double raw[MAX_METRICS], adj[MAX_METRICS];
	int idx[MAX_METRICS];
	struct metric *m;
	int i, dir;

	nr_tested = 0;
	for (i = 0; i < nr_metrics; i++) {
		m = &metrics[i];
		m->verdict = "";
		m->p = m->p_raw = NAN;
		if (!m->nb || !m->nn)
			continue;
		m->mb = stats_mean(m->b, m->nb);
		m->mn = stats_mean(m->v, m->nn);
		m->change = m->mb ? m->mn / m->mb - 1 : (m->mn ? INFINITY : 0);
		m->has_ci = !stats_bootstrap_change(m->b, m->nb, m->v, m->nn, BOOT_ITERS, BOOT_SEED,
						    &m->lo, &m->hi);
		m->p_raw = stats_welch_p(m->b, m->nb, m->v, m->nn);
		if (!isnan(m->p_raw) && !all_zero(m)) {
			raw[nr_tested] = m->p_raw;
			idx[nr_tested++] = i;
		}
	}
	stats_holm(raw, nr_tested, adj);
	for (i = 0; i < nr_tested; i++) {
		m = &metrics[idx[i]];
		m->p = adj[i];
		/* Significant after the adjustment, and big enough to matter. */
		if (m->p >= alpha || fabs(m->change) < threshold)
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
		   struct json_writer *w, bool json, const char *bullet)
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
			printf("%sfinding only in %s: %s (%d)\n", bullet, label, a[i], ca[i]);
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

/* What the plot and the tables may print of a report's key: plain words. */
static bool plain_name(const char *name)
{
	return name[0] && strspn(name, "abcdefghijklmnopqrstuvwxyz"
				 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._") == strlen(name);
}

/* A row of the plot: every rate and latency that is not 0 throughout. */
static bool plotted(const struct metric *m)
{
	return shown(m) && plain_name(m->name) &&
	       (!strncmp(m->name, "rates.", 6) || !strncmp(m->name, "latency.", 8));
}

/*
 * One panel per rate and latency, each run a point: base at x = 0, new at
 * x = 1, runs spread a little so that equal values stay apart.
 */
static int plot(const char *svg, struct side *base, struct side *new)
{
	char data[] = "/tmp/seamstress-plot-XXXXXX";
	int fd, i, j, r, panels = 0, k = 0, rows;
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
	for (i = 0; i < nr_metrics; i++) {
		struct metric *m = &metrics[i];

		if (!plotted(m))
			continue;
		for (j = 0; j < m->nb; j++)
			fprintf(f, "%f %.9g\n", -0.15 + 0.3 * j / (m->nb > 1 ? m->nb - 1 : 1), m->b[j]);
		fprintf(f, "\n\n");
		for (j = 0; j < m->nn; j++)
			fprintf(f, "%f %.9g\n", 0.85 + 0.3 * j / (m->nn > 1 ? m->nn - 1 : 1), m->v[j]);
		fprintf(f, "\n\n");
		panels++;
	}
	fclose(f);
	if (!panels) {
		unlink(data);
		return fprintf(stderr, "seamstress compare: --plot: no rate or latency to plot\n"), -1;
	}
	gp = popen("gnuplot 2>&1", "w");
	if (!gp) {
		unlink(data);
		return fprintf(stderr, "seamstress compare: cannot run gnuplot\n"), -1;
	}
	rows = (panels + 3) / 4;
	fprintf(gp,
		"set terminal svg size 1200,%d dynamic background rgb 'white'\n"
		"set output '%s'\n"
		"set multiplot layout %d,4 title 'base (%d runs, circles) vs new (%d runs, squares)'\n"
		"set xrange [-0.5:1.5]\nset xtics ('base' 0, 'new' 1)\nunset key\n",
		260 * rows, svg, rows, base->n, new->n);
	for (i = 0; i < nr_metrics; i++) {
		if (!plotted(&metrics[i]))
			continue;
		/* Names are plain words (plotted()): safe between the quotes. */
		fprintf(gp, "set title '%s' noenhanced\n"
			"plot '%s' index %d using 1:2 with points pt 7 ps 1, "
			"'%s' index %d using 1:2 with points pt 5 ps 1\n",
			metrics[i].name, data, 2 * k, data, 2 * k + 1);
		k++;
	}
	fprintf(gp, "unset multiplot\n");
	r = pclose(gp);
	unlink(data);
	if (r)
		return fprintf(stderr, "seamstress compare: gnuplot failed (is gnuplot-nox installed?)\n"), -1;
	return 0;
}

/*
 * One side's line of the header: its runs, the kernel releases and kernel
 * config hashes they ran on (each with its count when they differ).
 */
static void describe(const char *label, const struct side *s, FILE *out, bool md)
{
	const char *what[2] = { "kernel", "config" }, *v[MAX_REPORTS];
	int count[MAX_REPORTS], n, i, j, w;

	fprintf(out, "%s%-4s %d run(s)", md ? "- " : "", label, s->n);
	for (w = 0; w < 2; w++) {
		for (i = n = 0; i < s->n; i++) {
			struct json_object *e = get_object(s->rep[i], "environment"), *kc, *h;
			const char *x = "unrecorded";

			if (!w && json_object_object_get_ex(s->rep[i], "kernel", &h) &&
			    json_object_is_type(h, json_type_string))
				x = json_object_get_string(h);
			else if (w && e && (kc = get_object(e, "kernel_config")) &&
				 json_object_object_get_ex(kc, "fnv1a64", &h) &&
				 json_object_is_type(h, json_type_string))
				x = json_object_get_string(h);
			for (j = 0; j < n && strcmp(v[j], x); j++)
				;
			if (j == n) {
				v[n] = x;
				count[n++] = 0;
			}
			count[j]++;
		}
		fprintf(out, ", %s", what[w]);
		for (j = 0; j < n; j++) {
			fprintf(out, "%s %s", j ? "," : "", v[j]);
			if (n > 1)
				fprintf(out, " (%d)", count[j]);
		}
	}
	fprintf(out, "\n");
}

static void fmt_p(char *buf, size_t len, double p)
{
	if (isnan(p))
		snprintf(buf, len, "-");
	else if (p < 0.001)
		snprintf(buf, len, "<0.001");
	else
		snprintf(buf, len, "%.3f", p);
}

static void fmt_change(char *buf, size_t len, double c)
{
	if (isinf(c))
		snprintf(buf, len, "%sinf%%", c > 0 ? "+" : "-");
	else
		snprintf(buf, len, fabs(c) >= 10 ? "%+.0f%%" : "%+.1f%%", 100 * c);
}

/* The text table: at most 72 columns; a longer name has a line of its own. */
#define NAME_COLS	25

static void print_text(void)
{
	char p[16], ch[16];
	int i;

	printf("%-*s %9s %9s %7s %6s %s\n", NAME_COLS, "metric", "base", "new", "change", "p",
	       "verdict");
	for (i = 0; i < nr_metrics; i++) {
		struct metric *m = &metrics[i];

		if (!shown(m))
			continue;
		fmt_p(p, sizeof(p), m->p);
		fmt_change(ch, sizeof(ch), m->change);
		if (strlen(m->name) > NAME_COLS)
			printf("%s\n%-*s", m->name, NAME_COLS, "");
		else
			printf("%-*s", NAME_COLS, m->name);
		printf(" %9.3g %9.3g %7s %6s %s\n", m->mb, m->mn, ch, p, m->verdict);
	}
}

static void print_markdown(void)
{
	char p[16], ch[16], ci[48];
	int i;

	printf("\n| metric | base | new | change | 95%% interval | p | verdict |\n"
	       "|---|---:|---:|---:|---:|---:|---|\n");
	for (i = 0; i < nr_metrics; i++) {
		struct metric *m = &metrics[i];

		if (!shown(m) || !plain_name(m->name))
			continue;
		fmt_p(p, sizeof(p), m->p);
		fmt_change(ch, sizeof(ch), m->change);
		if (m->has_ci)
			snprintf(ci, sizeof(ci), "%+.1f%% .. %+.1f%%", 100 * m->lo, 100 * m->hi);
		else
			snprintf(ci, sizeof(ci), "-");
		printf("| `%s` | %.4g | %.4g | %s | %s | %s | %s |\n", m->name, m->mb, m->mn, ch, ci, p,
		       m->verdict[0] ? m->verdict : " ");
	}
	printf("\n");
}

enum format { FORMAT_TEXT, FORMAT_MARKDOWN, FORMAT_JSON };
static const char *const format_names[] = { "text", "markdown", "json" };

/* Returns the number of finding kinds only in new. */
static int print_json(const struct side *base, const struct side *new, double threshold,
		       double alpha, char fb[][96], int nfb, int *cb, char fn[][96], int nfn,
		       int *cn, int regressions)
{
	struct json_writer w;
	int i, only_new;

	json_init(&w, stdout);
	json_begin_object(&w, NULL);
	json_string(&w, "test", str(base->rep[0], "test"));
	json_string(&w, "flavor", str(base->rep[0], "flavor"));
	json_u64(&w, "base_runs", base->n);
	json_u64(&w, "new_runs", new->n);
	json_double(&w, "threshold", threshold);
	json_double(&w, "alpha", alpha);
	json_string(&w, "method", "verdict: Welch's t-test p, Holm-adjusted over the metrics that "
		    "have one, below alpha, and |mean(new)/mean(base)-1| >= threshold; ci: bootstrap "
		    "95% percentile interval of the change (4000 resamples), not part of the verdict");
	json_u64(&w, "metrics_tested", nr_tested);
	json_begin_array(&w, "findings_only_in_new");
	only_new = only_in(fn, nfn, fb, nfb, cn, "new", &w, true, "");
	json_end_array(&w);
	json_begin_array(&w, "findings_only_in_base");
	only_in(fb, nfb, fn, nfn, cb, "base", &w, true, "");
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
		json_double(&w, "p_welch", m->p_raw);
		json_double(&w, "p", m->p);
		json_string(&w, "verdict", m->verdict);
		json_end_object(&w);
	}
	json_end_array(&w);
	json_u64(&w, "regressions", regressions);
	json_end_object(&w);
	return only_new;
}

static const char usage[] =
	"usage: seamstress compare [--format text|markdown|json] [--json] [--plot FILE.svg]\n"
	"                          [--threshold PCT] [--alpha P] [--section NAME] BASE NEW\n"
	"  BASE, NEW: a report, a comma-separated list, or a directory: a seamstress\n"
	"  run's --out (the reports its suite.json lists, every pass of a --repeat)\n"
	"  or any directory of reports; --section NAME takes only NAME.json\n";

/* A number option in [lo, hi]; 0, or -1 after naming the option. */
static int number_opt(const char *opt, const char *arg, double lo, double hi, double *v)
{
	char *end;

	*v = strtod(arg, &end);
	if (*end || end == arg || !(*v >= lo && *v <= hi))
		return fprintf(stderr, "seamstress compare: %s: '%s' is not allowed; allowed: a number from %g to %g\n",
			       opt, arg, lo, hi), -1;
	return 0;
}

int compare_main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "format", required_argument, NULL, 'f' },
		{ "plot", required_argument, NULL, 'p' },
		{ "threshold", required_argument, NULL, 't' },
		{ "alpha", required_argument, NULL, 'a' },
		{ "section", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	static char fb[128][96], fn[128][96];
	static struct side base, new;
	int cb[128], cn[128], nfb, nfn, i, c, regressions = 0, only_new;
	enum format format = FORMAT_TEXT;
	double threshold = 10, alpha = 0.05;
	const char *svg = NULL;
	bool md;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jf:p:t:a:s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			format = FORMAT_JSON;
			break;
		case 'f':
			for (i = 0; i < 3 && strcmp(optarg, format_names[i]); i++)
				;
			if (i == 3) {
				fprintf(stderr, "seamstress compare: --format: '%s' is not allowed; allowed: text, markdown, json\n",
					optarg);
				return 2;
			}
			format = i;
			break;
		case 'p':
			svg = optarg;
			if (!plot_path_ok(svg))
				return fprintf(stderr, "seamstress compare: --plot %s: allowed are letters, digits and ._/+- ending in .svg\n",
					       svg), 2;
			break;
		case 't':
			if (number_opt("--threshold", optarg, 0, 1e6, &threshold))
				return 2;
			break;
		case 'a':
			if (number_opt("--alpha", optarg, 1e-9, 1, &alpha))
				return 2;
			break;
		case 's':
			section = optarg;
			break;
		case 'h':
			printf("%s", usage);
			return 0;
		default:
			fprintf(stderr, "%s", usage);
			return 2;
		}
	}
	threshold /= 100;
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
	analyse(threshold, alpha);
	nfb = findings_of(&base, fb, cb, 128);
	nfn = findings_of(&new, fn, cn, 128);
	for (i = 0; i < nr_metrics; i++)
		regressions += !strcmp(metrics[i].verdict, "REGRESSION");

	if (format == FORMAT_JSON) {
		only_new = print_json(&base, &new, threshold, alpha, fb, nfb, cb, fn, nfn, cn,
				      regressions);
	} else {
		md = format == FORMAT_MARKDOWN;
		printf("%sseamstress compare: %s on %s\n", md ? "### " : "", str(base.rep[0], "test"),
		       str(base.rep[0], "flavor"));
		if (md)
			printf("\n");
		describe("base", &base, stdout, md);
		describe("new", &new, stdout, md);
		if (base.n < 2 || new.n < 2)
			printf("%sverdict: findings only; one run a side has no p: repeat runs\n",
			       md ? "\n" : "");
		else
			printf("%sverdict: change beyond %g%% and p < %g (Welch's t, Holm over %d metrics)\n",
			       md ? "\n" : "", 100 * threshold, alpha, nr_tested);
		if (md)
			printf("\n");
		only_new = only_in(fn, nfn, fb, nfb, cn, "new", NULL, false, md ? "- " : "");
		only_in(fb, nfb, fn, nfn, cb, "base", NULL, false, md ? "- " : "");
		if (md)
			print_markdown();
		else
			print_text();
		printf("%d regression(s); %d finding kind(s) only in new\n", regressions, only_new);
	}
	if (svg && plot(svg, &base, &new))
		return 2;
	return regressions || only_new ? 1 : 0;
}
