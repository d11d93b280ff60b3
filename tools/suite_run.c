// SPDX-License-Identifier: GPL-2.0
/*
 * seamstress run: every section of the scenario files as its test binary,
 * one after another, each under a timeout.  One TAP stream on stdout, a
 * JSON report per run and suite.json in the output directory, JUnit XML on
 * request, a progress line on stderr when it is a terminal, and a repro
 * bundle for every run that failed.  Ctrl-C stops after the current run
 * (which writes its own report) and marks the suite interrupted.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "safe_file.h"
#include "kmsg.h"
#include "known_issues.h"
#include "kselftest.h"
#include "options.h"
#include "report.h"
#include "scenario.h"
#include "tool.h"
#include "watchdog.h"

#define MAX_RUNS	(4 * SCENARIO_MAX_SECTIONS)
#define MAX_EXTRA	64
/* A timed-out test has this long after SIGTERM to write its report. */
#define TIMEOUT_GRACE_S	5

struct run_result {
	const struct scenario_section *sec;
	const char *file;
	int rep;		/* its pass of --repeat / --until-fail (0: no repetition) */
	char json[512];
	char flavor[32];
	char result[16];	/* pass, fail, xfail, skip, timeout, interrupted, error */
	char reason[512];	/* skip reason; xfail: the known issues and their notes */
	int exit_code;
	double secs;
	int findings;
	char known[512];	/* known issues its findings matched, with notes */
	char known_ids[256];	/* their ids, " id " each, for an exact match */
	char messages[640];	/* the first findings, "detector: message; ..." */
	char log[600];		/* the run's output */
	char integrity[160];	/* integrity mismatches by class and the torn hit rate */
};

/* How many findings a failure's JUnit body quotes. */
#define FAILURE_FINDINGS	3

static volatile sig_atomic_t interrupted;

/* @in as XML attribute or element text: the five specials escaped, controls dropped. */
static void xml_escape(const char *in, char *out, size_t len)
{
	size_t k = 0;

	for (; *in && k + 7 < len; in++) {
		const char *e = *in == '&' ? "&amp;" : *in == '<' ? "&lt;" : *in == '>' ? "&gt;" :
				*in == '"' ? "&quot;" : *in == '\'' ? "&apos;" : NULL;

		if (e)
			k += snprintf(out + k, len - k, "%s", e);
		else if ((unsigned char)*in >= 0x20 || *in == '\n' || *in == '\t')
			out[k++] = *in;
	}
	out[k] = 0;
}

static void on_signal(int sig)
{
	interrupted = sig;
}

static double now_s(void)
{
	return watch_now_ns() / 1e9;
}

/* Where the test binaries are: beside this program, in tests/. */
static void test_path(const char *test, char *buf, size_t len)
{
	char self[512];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	self[n > 0 ? n : 0] = 0;
	snprintf(buf, len, "%s/tests/%s", dirname(self), test);
}

/* Seconds a run may take: its duration and deadline, and room to report. */
static double run_timeout(const struct scenario_section *s, char **extra, int nr_extra)
{
	char *argv[2 * SCENARIO_MAX_KEYS + MAX_EXTRA + 2], err[256];
	struct seam_opts o;
	int argc;

	if (s->timeout_s)
		return s->timeout_s;
	argc = scenario_argv(s, extra, nr_extra, argv, sizeof(argv) / sizeof(argv[0]));
	options_defaults(&o);
	if (options_parse(&o, argc, argv, err, sizeof(err)) != OPTS_OK)
		return 60;
	return (o.sweeps ? 600 : o.duration_s) + 2 * o.deadline_s + 30;
}

static void progress(int i, int n, const struct run_result *r, double start, double limit,
		     int pass, int fail, int skip)
{
	if (!isatty(2))
		return;
	fprintf(stderr, "\r\033[K[%d/%d] %s (%s) %.0f/%.0f s | pass %d fail %d skip %d",
		i + 1, n, r->sec->name, r->sec->test, now_s() - start, limit, pass, fail, skip);
}

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in = open(from, O_RDONLY), out;

	if (in < 0)
		return;
	out = safe_open_write(to, 0644);
	while (out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			break;
	close(in);
	if (out >= 0)
		close(out);
}

static void write_text(const char *path, const char *text, int mode)
{
	int fd = safe_open_write(path, mode);

	if (fd < 0)
		return;
	if (write(fd, text, strlen(text)) < 0)
		perror(path);
	close(fd);
}

/*
 * The reproduce line's words, each single-quoted (a ' as '\''), so that
 * no character of it, whatever the report says, is shell syntax.
 */
static void shell_words(const char *line, char *out, size_t len)
{
	size_t n = 0;
	const char *p;

	for (p = line; *p && n + 8 < len;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		out[n++] = ' ';
		out[n++] = '\'';
		for (; *p && *p != ' ' && n + 8 < len; p++) {
			if (*p == '\'') {
				memcpy(out + n, "'\\''", 4);
				n += 4;
			} else {
				out[n++] = *p;
			}
		}
		out[n++] = '\'';
	}
	out[n++] = '\n';
	out[n] = 0;
}

/*
 * What someone attaches to a mailing-list report: the scenario section,
 * kernel release and config, the kernel log of the run, the report with
 * the detectors' evidence, and the command that replays it.
 */
static void repro_bundle(const char *out, const struct run_result *r, const char *kmsg_path,
			 const char *log_path)
{
	char dir[600], path[700], text[8192], cfg[256];
	struct json_object *rep, *v;
	struct utsname u;
	int n, i;

	snprintf(dir, sizeof(dir), "%s/repro-%s", out, r->sec->name);
	/* Ours (made now, or by an earlier run of ours), or nothing is written. */
	if (mkdir(dir, 0755) && errno != EEXIST)
		return;
	if (safe_dir_check(dir, NULL, 0))
		return;

	n = snprintf(text, sizeof(text), "# from %s\n[%s]\ntest = %s\n", r->file,
		     r->sec->name, r->sec->test);
	for (i = 0; i < r->sec->nr && n < (int)sizeof(text); i++)
		n += snprintf(text + n, sizeof(text) - n, "%s = %s\n", r->sec->kv[i].key,
			      r->sec->kv[i].value);
	snprintf(path, sizeof(path), "%s/scenario.conf", dir);
	write_text(path, text, 0644);

	uname(&u);
	snprintf(text, sizeof(text), "%s %s %s %s\n", u.sysname, u.release, u.version, u.machine);
	snprintf(path, sizeof(path), "%s/kernel.txt", dir);
	write_text(path, text, 0644);

	snprintf(cfg, sizeof(cfg), "/boot/config-%s", u.release);
	snprintf(path, sizeof(path), "%s/%s", dir,
		 access("/proc/config.gz", R_OK) ? "kernel-config" : "kernel-config.gz");
	copy_file(access("/proc/config.gz", R_OK) ? cfg : "/proc/config.gz", path);

	snprintf(path, sizeof(path), "%s/kmsg.txt", dir);
	copy_file(kmsg_path, path);
	snprintf(path, sizeof(path), "%s/output.txt", dir);
	copy_file(log_path, path);
	snprintf(path, sizeof(path), "%s/report.json", dir);
	copy_file(r->json, path);

	rep = json_object_from_file(r->json);
	if (rep && json_object_object_get_ex(rep, "reproduce", &v) &&
	    json_object_is_type(v, json_type_string)) {
		n = snprintf(text, sizeof(text), "#!/bin/sh\n# seed and options of the failed run\nexec");
		shell_words(json_object_get_string(v), text + n, sizeof(text) - n);
		snprintf(path, sizeof(path), "%s/reproduce.sh", dir);
		write_text(path, text, 0755);
	}
	json_object_put(rep);
}

static void save_record(const char *record, void *arg)
{
	fputs(record, arg);
}

/* Save the kernel log records that arrived since @fd was opened. */
static void kmsg_save(int fd, const char *path)
{
	FILE *f = safe_fopen_write(path);

	if (fd >= 0 && f)
		kmsg_for_each(fd, save_record, f);
	if (f)
		fclose(f);
}

static void read_report(struct run_result *r)
{
	struct json_object *rep = json_object_from_file(r->json), *v;

	if (!rep)
		return;
	if (json_object_object_get_ex(rep, "flavor", &v))
		snprintf(r->flavor, sizeof(r->flavor), "%s", json_object_get_string(v));
	if (json_object_object_get_ex(rep, "findings", &v) && json_object_is_type(v, json_type_array)) {
		size_t i, n = 0;

		size_t m = 0, ids = 0;
		char token[80];

		r->findings = json_object_array_length(v);
		for (i = 0; i < (size_t)r->findings; i++) {
			struct json_object *f = json_object_array_get_idx(v, i), *k, *id, *note, *d, *msg;

			/* The first findings, for a failure's JUnit body. */
			if (i < FAILURE_FINDINGS && json_object_object_get_ex(f, "detector", &d) &&
			    json_object_object_get_ex(f, "message", &msg) && m < sizeof(r->messages))
				m += snprintf(r->messages + m, sizeof(r->messages) - m, "%s%s: %s",
					      m ? "; " : "", json_object_get_string(d),
					      json_object_get_string(msg));
			/* Each known issue once, by its exact id: "id: note; id2: note2". */
			if (!json_object_object_get_ex(f, "known_issue", &k) ||
			    !json_object_object_get_ex(k, "id", &id) ||
			    !json_object_object_get_ex(k, "note", &note))
				continue;
			snprintf(token, sizeof(token), " %s ", json_object_get_string(id));
			if (strstr(r->known_ids, token))
				continue;
			ids += snprintf(r->known_ids + ids, ids < sizeof(r->known_ids) ? sizeof(r->known_ids) - ids : 0,
					"%s", ids ? token + 1 : token);
			n += snprintf(r->known + n, n < sizeof(r->known) ? sizeof(r->known) - n : 0,
				      "%s%s: %s", n ? "; " : "", json_object_get_string(id),
				      json_object_get_string(note));
		}
	}
	/* The hit rate a reproducer exists to show. */
	if (json_object_object_get_ex(rep, "counters", &v) && json_object_is_type(v, json_type_object)) {
		struct json_object *t, *st, *fo, *ga, *rates, *rate;

		if (json_object_object_get_ex(v, "integrity_torn", &t) &&
		    json_object_object_get_ex(v, "integrity_stale", &st) &&
		    json_object_object_get_ex(v, "integrity_foreign", &fo) &&
		    json_object_object_get_ex(v, "integrity_garbage", &ga) &&
		    json_object_object_get_ex(rep, "rates", &rates) &&
		    json_object_object_get_ex(rates, "integrity_torn_per_min", &rate))
			snprintf(r->integrity, sizeof(r->integrity),
				 "integrity torn %lld (%.1f/min), stale %lld, foreign %lld, garbage %lld",
				 (long long)json_object_get_int64(t), json_object_get_double(rate),
				 (long long)json_object_get_int64(st), (long long)json_object_get_int64(fo),
				 (long long)json_object_get_int64(ga));
	}
	if (json_object_object_get_ex(rep, "skip_reason", &v) && json_object_get_string(v))
		snprintf(r->reason, sizeof(r->reason), "%s", json_object_get_string(v));
	json_object_put(rep);
}

static void run_one(struct run_result *r, const char *out, char **extra, int nr_extra,
		    int index, int total, int *tally)
{
	char *argv[2 * SCENARIO_MAX_KEYS + MAX_EXTRA + 4], bin[600], log[600], kpath[600];
	double start = now_s(), limit = run_timeout(r->sec, extra, nr_extra);
	int argc, status = 0, fd, kfd;
	bool timed_out = false, forwarded = false, killed = false;
	pid_t pid, w, runner;

	snprintf(r->json, sizeof(r->json), "%s/%s.json", out, r->sec->name);
	snprintf(log, sizeof(log), "%s/%s.log", out, r->sec->name);
	snprintf(r->log, sizeof(r->log), "%s", log);
	snprintf(kpath, sizeof(kpath), "%s/%s.kmsg", out, r->sec->name);
	test_path(r->sec->test, bin, sizeof(bin));
	unlink(r->json);

	argc = scenario_argv(r->sec, extra, nr_extra, argv, sizeof(argv) / sizeof(argv[0]) - 2);
	/* The selftests library loads the guest from argv[0]: the real path. */
	argv[0] = bin;
	argv[argc++] = "-j";
	argv[argc++] = r->json;
	argv[argc] = NULL;

	kfd = kmsg_open_at_end();
	runner = getpid();
	pid = fork();
	if (!pid) {
		/* A runner killed outright (SIGKILL, a closed terminal) takes its test along. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != runner)
			_exit(127);
		fd = safe_open_write(log, 0644);
		if (fd < 0) {
			fprintf(stderr, "seamstress run: %s: %s\n", log, strerror(-fd));
			_exit(127);
		}
		dup2(fd, 1);
		dup2(fd, 2);
		execv(bin, argv);
		fprintf(stderr, "seamstress run: cannot execute %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		/* A terminal's Ctrl-C reaches the test too; a kill of the runner does not. */
		if (interrupted && !forwarded) {
			kill(pid, SIGINT);
			forwarded = true;
		}
		/*
		 * The timeout: SIGTERM first, which the test answers by writing
		 * its report marked interrupted; SIGKILL only if it has not gone
		 * after the grace.
		 */
		if (now_s() - start > limit && !timed_out) {
			timed_out = true;
			kill(pid, SIGTERM);
		}
		if (timed_out && now_s() - start > limit + TIMEOUT_GRACE_S && !killed) {
			killed = true;
			kill(pid, SIGKILL);
		}
		progress(index, total, r, start, limit, tally[0], tally[1], tally[2]);
		usleep(100000);
	}
	r->secs = now_s() - start;
	kmsg_save(kfd, kpath);
	if (kfd >= 0)
		close(kfd);

	r->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	read_report(r);
	if (timed_out) {
		snprintf(r->result, sizeof(r->result), "timeout");
		snprintf(r->reason, sizeof(r->reason), "%.0f seconds; %s%s", limit,
			 killed ? "SIGKILL after a SIGTERM " : "SIGTERM, ",
			 access(r->json, R_OK) ? "no report" : "report written");
	} else if (r->exit_code == 0) {
		snprintf(r->result, sizeof(r->result), "pass");
	} else if (r->exit_code == KSFT_SKIP) {
		snprintf(r->result, sizeof(r->result), "skip");
	} else if (r->exit_code == KSFT_XFAIL) {
		snprintf(r->result, sizeof(r->result), "xfail");
		snprintf(r->reason, sizeof(r->reason), "%s", r->known[0] ? r->known : "known issue");
	} else if (r->exit_code == SEAM_EXIT_HARNESS_ERROR) {
		snprintf(r->result, sizeof(r->result), "error");
		snprintf(r->reason, sizeof(r->reason), "harness error (exit %d), no verdict on the kernel",
			 r->exit_code);
	} else {
		snprintf(r->result, sizeof(r->result), "%s", access(r->json, R_OK) ? "error" : "fail");
		if (!r->reason[0])
			snprintf(r->reason, sizeof(r->reason), "exit=%d", r->exit_code);
	}
	if (strcmp(r->result, "pass") && strcmp(r->result, "skip") && strcmp(r->result, "xfail"))
		repro_bundle(out, r, kpath, log);
}

/* JUnit's skipped: not run, skipped, or failed only with known issues. */
static bool is_skipped(const struct run_result *r)
{
	return !strcmp(r->result, "skip") || !strcmp(r->result, "interrupted") ||
	       !strcmp(r->result, "xfail");
}

/* A run's name in TAP and JUnit: "section", or "section (run K)" when repeating. */
static void run_name(const struct run_result *r, char *buf, size_t len)
{
	if (r->rep)
		snprintf(buf, len, "%s (run %d)", r->sec->name, r->rep);
	else
		snprintf(buf, len, "%s", r->sec->name);
}

/* The last @len - 1 bytes of the file at @path, from a line's start; "" if unreadable. */
static void log_tail(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	off_t size, from;
	ssize_t got;
	char *nl;

	buf[0] = 0;
	if (fd < 0)
		return;
	size = lseek(fd, 0, SEEK_END);
	from = size > (off_t)len - 1 ? size - (off_t)len + 1 : 0;
	got = pread(fd, buf, len - 1, from);
	close(fd);
	buf[got > 0 ? got : 0] = 0;
	if (from && (nl = strchr(buf, '\n')))
		memmove(buf, nl + 1, strlen(nl + 1) + 1);
}

static int write_junit(const char *path, const struct run_result *res, int n, double secs)
{
	int failures = 0, skipped = 0, errors = 0, i;
	FILE *f = safe_fopen_write(path);

	if (!f) {
		fprintf(stderr, "seamstress run: --junit %s: %s\n", path, strerror(errno));
		return -errno;
	}
	for (i = 0; i < n; i++) {
		if (is_skipped(&res[i]))
			skipped++;
		else if (!strcmp(res[i].result, "error"))
			errors++;
		else if (strcmp(res[i].result, "pass"))
			failures++;
	}
	/* Jenkins' junit-10.xsd allows no skipped on testsuites. */
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">\n"
		"  <testsuite name=\"seamstress\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">\n",
		n, failures, errors, secs, n, failures, errors, skipped, secs);
	for (i = 0; i < n; i++) {
		const struct run_result *r = &res[i];
		char reason[1024], messages[2048], name[128];

		xml_escape(r->reason, reason, sizeof(reason));
		xml_escape(r->messages, messages, sizeof(messages));
		run_name(r, name, sizeof(name));
		fprintf(f, "    <testcase classname=\"seamstress.%s\" name=\"%s\" time=\"%.3f\">",
			r->sec->test, name, r->secs);
		/* A known issue is not a failure of this run: skipped, with its note. */
		if (!strcmp(r->result, "xfail"))
			fprintf(f, "\n      <skipped message=\"known issue: %s\"/>\n    ", reason);
		else if (is_skipped(r))
			fprintf(f, "\n      <skipped message=\"%s\"/>\n    ", reason);
		else if (!strcmp(r->result, "error"))
			fprintf(f, "\n      <error message=\"%s\" type=\"error\">flavor %s, %d findings: %s\nreport %s\nlog %s</error>\n    ",
				reason, r->flavor, r->findings, messages, r->json, r->log);
		else if (strcmp(r->result, "pass"))
			fprintf(f, "\n      <failure message=\"%s: %s\" type=\"%s\">flavor %s, %d findings: %s\nreport %s\nlog %s</failure>\n    ",
				r->result, reason, r->result, r->flavor, r->findings, messages, r->json, r->log);
		/* A failure's log excerpt, the end of the run's output, for the CI's page. */
		if (!is_skipped(r) && strcmp(r->result, "pass")) {
			char tail[2048], esc[2048 * 6];

			log_tail(r->log, tail, sizeof(tail));
			xml_escape(tail, esc, sizeof(esc));
			if (esc[0])
				fprintf(f, "  <system-out>%s</system-out>\n    ", esc);
		}
		fprintf(f, "</testcase>\n");
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
	return fclose(f) ? -errno : 0;
}

struct summary {
	const struct run_result *res;
	int n;
	double secs;
	char **files;
	int nr_files;
};

static int fill_summary(FILE *f, void *arg)
{
	const struct summary *sm = arg;
	const struct run_result *res = sm->res;
	struct json_writer w;
	struct utsname u;
	int i;

	uname(&u);
	json_init(&w, f);
	json_begin_object(&w, NULL);
	json_begin_array(&w, "scenarios");
	for (i = 0; i < sm->nr_files; i++)
		json_string(&w, NULL, sm->files[i]);
	json_end_array(&w);
	json_string(&w, "kernel", u.release);
	json_boolean(&w, "interrupted", interrupted);
	json_double(&w, "duration_s", sm->secs);
	json_begin_array(&w, "runs");
	for (i = 0; i < sm->n; i++) {
		json_begin_object(&w, NULL);
		json_string(&w, "section", res[i].sec->name);
		json_string(&w, "test", res[i].sec->test);
		json_string(&w, "flavor", res[i].flavor);
		json_string(&w, "result", res[i].result);
		json_string(&w, "reason", res[i].reason);
		json_i64(&w, "exit_code", res[i].exit_code);
		json_double(&w, "duration_s", res[i].secs);
		json_i64(&w, "findings", res[i].findings);
		json_string(&w, "report", res[i].json);
		json_end_object(&w);
	}
	json_end_array(&w);
	json_end_object(&w);
	return ferror(f) ? -EIO : 0;
}

static int write_summary(const char *out, const struct run_result *res, int n, double secs,
			 char **files, int nr_files)
{
	struct summary sm = { res, n, secs, files, nr_files };
	char path[600];
	int err;

	snprintf(path, sizeof(path), "%s/suite.json", out);
	err = safe_replace(path, 0644, fill_summary, &sm);
	if (err)
		fprintf(stderr, "seamstress run: %s: %s\n", path, strerror(-err));
	return err;
}

struct json_object *suite_summary_load(const char *dir, off_t max, char *path, size_t len,
					struct json_object **runs, bool *missing)
{
	struct json_object *sum;
	int fd;

	snprintf(path, len, "%s/suite.json", dir);
	fd = safe_open_read(path, max, NULL, NULL);
	if (missing)
		*missing = fd < 0;
	if (fd < 0)
		return NULL;
	sum = json_object_from_fd(fd);
	close(fd);
	if (!sum || !json_object_object_get_ex(sum, "runs", runs) ||
	    !json_object_is_type(*runs, json_type_array)) {
		json_object_put(sum);
		return NULL;
	}
	return sum;
}

/* What --repeat, --until-fail and --max-time ask for. */
struct repeat {
	int times;		/* --repeat N (1) */
	bool until_fail;	/* repeat until a run fails or errs */
	double max_time;	/* --max-time: no repetition starts after it (0: none) */
};

/* Counters of every run so far: pass, fail, skip, xfail, error. */
enum { T_PASS, T_FAIL, T_SKIP, T_XFAIL, T_ERROR, T_NR };

/*
 * One pass over the runs @res[0..n) into @out: each under its timeout, its
 * TAP line numbered from @first, named "name (run K)" when repeating.
 */
static void run_suite_once(struct run_result *res, int n, const char *out, char **extra,
			   int nr_extra, int first, int rep, int *tally)
{
	char name[128];
	int i;

	for (i = 0; i < n; i++) {
		struct run_result *r = &res[i];

		r->rep = rep;
		run_name(r, name, sizeof(name));
		if (interrupted) {
			snprintf(r->result, sizeof(r->result), "interrupted");
			snprintf(r->reason, sizeof(r->reason), "not run: the suite was interrupted");
			printf("ok %d %s # SKIP not run: interrupted\n", first + i, name);
			continue;
		}
		run_one(r, out, extra, nr_extra, i, n, tally);
		if (isatty(2))
			fprintf(stderr, "\r\033[K");
		printf("# %s: test=%s flavor=%s %.1f s, %d findings, report %s\n", name,
		       r->sec->test, r->flavor, r->secs, r->findings, r->json);
		if (r->integrity[0])
			printf("# %s: %s\n", name, r->integrity);
		if (!strcmp(r->result, "pass")) {
			tally[T_PASS]++;
			printf("ok %d %s\n", first + i, name);
		} else if (!strcmp(r->result, "skip")) {
			tally[T_SKIP]++;
			printf("ok %d %s # SKIP %s\n", first + i, name, r->reason);
		} else if (!strcmp(r->result, "xfail")) {
			tally[T_XFAIL]++;
			printf("ok %d %s # XFAIL %s\n", first + i, name, r->reason);
		} else {
			tally[!strcmp(r->result, "error") ? T_ERROR : T_FAIL]++;
			printf("not ok %d %s # %s%s%s (repro bundle: %s/repro-%s)\n", first + i, name,
			       !strcmp(r->result, "timeout") ? "TIMEOUT " : "", r->reason,
			       interrupted ? ", interrupted" : "", out, r->sec->name);
			/* The first finding, so that the TAP stream alone says what was seen. */
			if (r->messages[0])
				printf("# %s: %.300s\n", name, r->messages);
		}
		fflush(stdout);
	}
}

static int positive_opt(const char *opt, const char *arg, long max, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(arg, &end, 10);
	if (errno || *end || end == arg || *v < 1 || *v > max) {
		fprintf(stderr, "seamstress run: %s: '%s' is not allowed; allowed: 1 to %ld\n", opt, arg, max);
		return -1;
	}
	return 0;
}

static const char run_usage[] =
	"usage: seamstress run [--out DIR] [--junit FILE] [--known-issues FILE]\n"
	"                      [--section NAME]... [--list] [--repeat N] [--until-fail]\n"
	"                      [--max-time SECS] SCENARIO.conf... [-- TEST OPTIONS]\n"
	"  --list: each section's file, name, test and timeout (s), tab-separated\n"
	"  --repeat N, --until-fail: the suite N times, or until a run fails or\n"
	"  errs; each pass into DIR/run-K/; --max-time: no pass starts after SECS\n";

/* The most repetitions --until-fail makes (a week of 1-minute passes). */
#define MAX_REPEAT	10080

int suite_run(int argc, char *argv[], const char **out_dir)
{
	static struct scenario sc[16];
	static struct run_result tmpl[MAX_RUNS];
	char why[512];
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "junit", required_argument, NULL, 'J' },
		{ "known-issues", required_argument, NULL, 'K' },
		{ "section", required_argument, NULL, 's' },
		{ "list", no_argument, NULL, 'l' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "until-fail", no_argument, NULL, 'u' },
		{ "max-time", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *out = "build/reports", *junit = NULL, *known = NULL, *only[16];
	static char *extra_known[MAX_EXTRA + 2];
	static struct known_issues ki;
	struct repeat rp = { .times = 1 };
	struct run_result *res = NULL;
	int i, j, k, n = 0, nr_files, nr_opts, nr_extra = 0, c, tally[T_NR] = { 0 };
	int nr_only = 0, ran = 0, reps;
	bool list = false, plan_first, found;
	char **files, **extra = NULL, err[512], dir[400];
	long v;
	double start;

	/*
	 * Options anywhere before "--" (GNU permutation), files among them;
	 * everything after "--" goes to the tests untouched, so getopt never
	 * sees it.
	 */
	for (nr_opts = 1; nr_opts < argc && strcmp(argv[nr_opts], "--"); nr_opts++)
		;
	if (out_dir)
		*out_dir = out;
	optind = 1;
	while ((c = getopt_long(nr_opts, argv, "o:J:K:s:lr:um:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'J':
			junit = optarg;
			break;
		case 'K':
			known = optarg;
			break;
		case 's':
			if (nr_only == 16) {
				fprintf(stderr, "seamstress run: more than 16 --section\n");
				return SEAM_EXIT_HARNESS_ERROR;
			}
			only[nr_only++] = optarg;
			break;
		case 'l':
			list = true;
			break;
		case 'r':
			if (positive_opt("--repeat", optarg, MAX_REPEAT, &v))
				return SEAM_EXIT_HARNESS_ERROR;
			rp.times = v;
			break;
		case 'u':
			rp.until_fail = true;
			break;
		case 'm':
			if (positive_opt("--max-time", optarg, 30L * 86400, &v))
				return SEAM_EXIT_HARNESS_ERROR;
			rp.max_time = v;
			break;
		case 'h':
			printf("%s", run_usage);
			return 0;
		default:
			fprintf(stderr, "seamstress run: bad option (see seamstress run --help)\n");
			return SEAM_EXIT_HARNESS_ERROR;
		}
	}
	if (out_dir)
		*out_dir = out;
	files = argv + optind;
	nr_files = nr_opts - optind;
	if (nr_opts < argc) {
		extra = argv + nr_opts + 1;
		nr_extra = argc - nr_opts - 1;
	}
	if (!nr_files || nr_files > 16) {
		fprintf(stderr, "seamstress run: give 1 to 16 scenario files (e.g. configs/smoke.conf)\n");
		return SEAM_EXIT_HARNESS_ERROR;
	}
	if (nr_extra > MAX_EXTRA) {
		fprintf(stderr, "seamstress run: more than %d options after --\n", MAX_EXTRA);
		return SEAM_EXIT_HARNESS_ERROR;
	}
	if (rp.until_fail && rp.times > 1) {
		fprintf(stderr, "seamstress run: --repeat and --until-fail: give one\n");
		return SEAM_EXIT_HARNESS_ERROR;
	}
	/* --known-issues reaches every test; a broken file stops everything now. */
	if (known) {
		if (known_issues_load(known, &ki, err, sizeof(err))) {
			fprintf(stderr, "seamstress run: %s\n", err);
			return SEAM_EXIT_HARNESS_ERROR;
		}
		for (i = 0; i < nr_extra; i++)
			extra_known[i] = extra[i];
		extra_known[nr_extra++] = "--known-issues";
		extra_known[nr_extra++] = (char *)known;
		extra = extra_known;
	}

	/* Every file and override is checked before anything runs. */
	for (i = 0; i < nr_files; i++) {
		if (scenario_load(files[i], &sc[i], err, sizeof(err))) {
			fprintf(stderr, "seamstress run: %s\n", err);
			return SEAM_EXIT_HARNESS_ERROR;
		}
		for (j = 0; j < sc[i].nr && n < MAX_RUNS; j++) {
			char *a[2 * SCENARIO_MAX_KEYS + MAX_EXTRA + 2], perr[256];
			struct seam_opts o;
			int ac = scenario_argv(&sc[i].sec[j], extra, nr_extra, a, sizeof(a) / sizeof(a[0]));

			for (k = 0; k < nr_only && strcmp(only[k], sc[i].sec[j].name); k++)
				;
			if (nr_only && k == nr_only)
				continue;
			options_defaults(&o);
			if (options_parse(&o, ac, a, perr, sizeof(perr)) != OPTS_OK) {
				fprintf(stderr, "seamstress run: options after --: %s\n", perr);
				return SEAM_EXIT_HARNESS_ERROR;
			}
			/* file, section, test, the timeout the runner gives it */
			if (list)
				printf("%s\t%s\t%s\t%.0f\n", files[i], sc[i].sec[j].name, sc[i].sec[j].test,
				       run_timeout(&sc[i].sec[j], extra, nr_extra));
			tmpl[n].sec = &sc[i].sec[j];
			tmpl[n++].file = files[i];
		}
	}
	/* A --section that names nothing is a typo, not an empty suite. */
	for (k = 0; k < nr_only; k++) {
		for (i = 0, found = false; i < n && !found; i++)
			found = !strcmp(tmpl[i].sec->name, only[k]);
		if (!found) {
			fprintf(stderr, "seamstress run: --section %s: no such section in the files given\n",
				only[k]);
			return SEAM_EXIT_HARNESS_ERROR;
		}
	}
	if (list)
		return 0;
	/* Room for run-K/, a section's name and a repro bundle's files. */
	if (strlen(out) > 360) {
		fprintf(stderr, "seamstress run: --out: longer than 360 characters\n");
		return SEAM_EXIT_HARNESS_ERROR;
	}
	if (safe_mkdir_p(out, why, sizeof(why))) {
		fprintf(stderr, "seamstress run: --out %s: %s\n", out, why);
		return SEAM_EXIT_HARNESS_ERROR;
	}
	/* Others must not be able to plant links or files where root writes. */
	if (safe_dir_check(out, why, sizeof(why))) {
		fprintf(stderr, "seamstress run: --out: %s\n", why);
		return SEAM_EXIT_HARNESS_ERROR;
	}
	if (junit && safe_path_check(junit, why, sizeof(why))) {
		fprintf(stderr, "seamstress run: --junit: %s\n", why);
		return SEAM_EXIT_HARNESS_ERROR;
	}

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	reps = rp.until_fail ? MAX_REPEAT : rp.times;
	/* The plan comes first when the count is known, else last (TAP 13 allows both). */
	plan_first = !rp.until_fail && !rp.max_time;
	printf("TAP version 13\n");
	if (plan_first)
		printf("1..%d\n", n * reps);
	fflush(stdout);
	start = now_s();
	for (k = 1; k <= reps; k++) {
		struct run_result *r;

		if (k > 1 && (interrupted || (rp.max_time && now_s() - start >= rp.max_time)))
			break;
		r = realloc(res, (size_t)k * n * sizeof(*res));
		if (!r) {
			fprintf(stderr, "seamstress run: out of memory after %d passes\n", k - 1);
			tally[T_ERROR]++;
			break;
		}
		res = r;
		r += (size_t)(k - 1) * n;
		memcpy(r, tmpl, n * sizeof(*r));
		snprintf(dir, sizeof(dir), "%s", out);
		if (reps > 1) {
			snprintf(dir, sizeof(dir), "%s/run-%d", out, k);
			if (safe_mkdir_p(dir, why, sizeof(why))) {
				fprintf(stderr, "seamstress run: %s: %s\n", dir, why);
				tally[T_ERROR]++;
				break;
			}
		}
		run_suite_once(r, n, dir, extra, nr_extra, ran + 1, reps > 1 ? k : 0, tally);
		ran += n;
		if (write_summary(dir, r, n, now_s() - start, files, nr_files))
			tally[T_ERROR]++;
		if (rp.until_fail && (tally[T_FAIL] || tally[T_ERROR]))
			break;
	}
	if (!plan_first)
		printf("1..%d\n", ran);
	/* Every pass in one DIR/suite.json, so no stale run-K/ of an older run is read. */
	if (reps > 1 && write_summary(out, res, ran, now_s() - start, files, nr_files))
		tally[T_ERROR]++;
	if (reps > 1)
		printf("# %d pass(es) of %d run(s)%s\n", ran / (n ? n : 1), n,
		       rp.until_fail ? (tally[T_FAIL] || tally[T_ERROR] ? ", stopped at the first failure" :
				       ", no failure") : "");

	printf("# %-24s %-18s %-12s %-8s %8s %9s\n", "run", "test", "flavor", "result", "secs",
	       "findings");
	for (i = 0; i < ran; i++)
		printf("# %-24s %-18s %-12s %-8s %8.1f %9d\n", res[i].sec->name, res[i].sec->test,
		       res[i].flavor[0] ? res[i].flavor : "-", res[i].result, res[i].secs,
		       res[i].findings);
	printf("# Totals: pass:%d fail:%d xfail:%d xpass:0 skip:%d error:%d%s\n", tally[T_PASS],
	       tally[T_FAIL], tally[T_XFAIL], tally[T_SKIP], tally[T_ERROR],
	       interrupted ? " (interrupted)" : "");
	/* An output that could not be written is a broken run, not a pass. */
	if (junit && write_junit(junit, res, ran, now_s() - start))
		tally[T_ERROR]++;
	free(res);
	/* A kernel finding outranks a broken run, which outranks known issues. */
	if (tally[T_FAIL] || interrupted)
		return KSFT_FAIL;
	if (tally[T_ERROR])
		return SEAM_EXIT_HARNESS_ERROR;
	if (tally[T_XFAIL])
		return KSFT_XFAIL;
	/* Nothing ran: a CI must not read that as a pass (kselftest's SKIP). */
	return ran && tally[T_SKIP] == ran ? KSFT_SKIP : KSFT_PASS;
}

int suite_run_main(int argc, char *argv[])
{
	return suite_run(argc, argv, NULL);
}
