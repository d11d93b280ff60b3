// SPDX-License-Identifier: GPL-2.0
/*
 * Report data, its JSON form, and the TAP result of a run.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "detectors.h"
#include "json.h"
#include "kselftest.h"
#include "report.h"
#include "seam_version.h"
#include "safe_file.h"

static struct seam_report *exit_report;

void report_init(struct seam_report *r, const char *test, const char *json_path)
{
	struct utsname u;

	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
	snprintf(r->test, sizeof(r->test), "%s", test);
	snprintf(r->kernel, sizeof(r->kernel), "%s", uname(&u) ? "unknown" : u.release);
	r->json_path = json_path;
}

static void write_at_exit(void)
{
	struct seam_report *r = exit_report;

	if (!r || r->written)
		return;
	/* Reaching exit() without report_finish() means an assert fired. */
	if (r->result == RESULT_NONE)
		r->result = RESULT_ERROR;
	if (r->json_path)
		report_save(r);
}

void report_write_at_exit(struct seam_report *r)
{
	exit_report = r;
	atexit(write_at_exit);
}

/*
 * The item named @key of @tab, replaced, or appended; reset to an empty
 * value of @type.  NULL when the table is full.
 */
static struct seam_value *item(struct seam_value *tab, int *nr, const char *key,
			       enum seam_value_type type)
{
	struct seam_value *v = NULL;
	int i;

	for (i = 0; i < *nr && !v; i++)
		if (!strcmp(tab[i].key, key))
			v = &tab[i];
	if (!v && *nr < REPORT_MAX_ITEMS)
		v = &tab[(*nr)++];
	if (!v)
		return NULL;
	memset(v, 0, sizeof(*v));
	snprintf(v->key, sizeof(v->key), "%s", key);
	v->type = type;
	return v;
}

void report_config_str(struct seam_report *r, const char *key, const char *val)
{
	struct seam_value *v = item(r->config, &r->nr_config, key, VAL_STR);

	if (v)
		snprintf(v->s, sizeof(v->s), "%s", val ? val : "");
}

void report_config_double(struct seam_report *r, const char *key, double val)
{
	struct seam_value *v = item(r->config, &r->nr_config, key, VAL_DOUBLE);

	if (v)
		v->d = val;
}

void report_config_u64(struct seam_report *r, const char *key, uint64_t val)
{
	struct seam_value *v = item(r->config, &r->nr_config, key, VAL_U64);

	if (v)
		v->u = val;
}

void report_counter(struct seam_report *r, const char *key, uint64_t val)
{
	struct seam_value *v = item(r->counters, &r->nr_counters, key, VAL_U64);

	if (v)
		v->u = val;
}

void report_rate(struct seam_report *r, const char *key, double val)
{
	struct seam_value *v = item(r->rates, &r->nr_rates, key, VAL_DOUBLE);

	if (v)
		v->d = val;
}

void report_section_u64(struct seam_report *r, const char *section,
			const char *key, uint64_t val)
{
	struct seam_section *sec = NULL;
	int i;

	for (i = 0; i < r->nr_sections; i++)
		if (!strcmp(r->sections[i].name, section))
			sec = &r->sections[i];
	if (!sec) {
		if (r->nr_sections >= REPORT_MAX_SECTIONS)
			return;
		sec = &r->sections[r->nr_sections++];
		snprintf(sec->name, sizeof(sec->name), "%s", section);
		sec->nr = 0;
	}
	for (i = 0; i < sec->nr; i++) {
		if (!strcmp(sec->item[i].key, key)) {
			sec->item[i].val = val;
			return;
		}
	}
	if (sec->nr >= SECTION_MAX_ITEMS)
		return;
	snprintf(sec->item[sec->nr].key, sizeof(sec->item[0].key), "%s", key);
	sec->item[sec->nr++].val = val;
}

void report_latency(struct seam_report *r, const char *name, uint64_t count,
		    uint64_t p50, uint64_t p99, uint64_t max)
{
	struct seam_latency *l;

	if (r->nr_latencies >= REPORT_MAX_LATENCIES)
		return;
	l = &r->latencies[r->nr_latencies++];
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->count = count;
	l->p50 = p50;
	l->p99 = p99;
	l->max = max;
}

bool report_has_finding(struct seam_report *r, const char *detector)
{
	bool found = false;
	int i;

	pthread_mutex_lock(&r->lock);
	for (i = 0; i < r->nr_findings; i++)
		if (!strcmp(r->findings[i].detector, detector))
			found = true;
	pthread_mutex_unlock(&r->lock);
	return found;
}

void report_share(struct seam_report *r)
{
	pthread_mutexattr_t attr;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&r->lock, &attr);
	pthread_mutexattr_destroy(&attr);
}

void report_detach(void)
{
	exit_report = NULL;
}

struct seam_finding *report_add_finding(struct seam_report *r, const char *detector,
					const char *fmt, ...)
{
	struct seam_finding *f = NULL;
	va_list ap;

	pthread_mutex_lock(&r->lock);
	if (r->nr_findings < REPORT_MAX_FINDINGS)
		f = &r->findings[r->nr_findings++];
	else
		r->findings_dropped++;
	pthread_mutex_unlock(&r->lock);
	if (!f)
		return NULL;

	memset(f, 0, sizeof(*f));
	snprintf(f->detector, sizeof(f->detector), "%s", detector);
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
	return f;
}

/* Evidence is appended in order; a full list drops the rest. */
static struct seam_value *evidence(struct seam_finding *f, const char *key,
				   enum seam_value_type type)
{
	struct seam_value *v;

	if (!f || f->nr_evidence >= FINDING_MAX_EVIDENCE)
		return NULL;
	v = &f->evidence[f->nr_evidence++];
	memset(v, 0, sizeof(*v));
	snprintf(v->key, sizeof(v->key), "%s", key);
	v->type = type;
	return v;
}

void finding_u64(struct seam_finding *f, const char *key, uint64_t val)
{
	struct seam_value *v = evidence(f, key, VAL_U64);

	if (v)
		v->u = val;
}

void finding_hex(struct seam_finding *f, const char *key, uint64_t val)
{
	struct seam_value *v = evidence(f, key, VAL_STR);

	if (v)
		snprintf(v->s, sizeof(v->s), "0x%llx", (unsigned long long)val);
}

void finding_str(struct seam_finding *f, const char *key, const char *val)
{
	struct seam_value *v = evidence(f, key, VAL_STR);

	if (v)
		snprintf(v->s, sizeof(v->s), "%s", val);
}

const char *finding_get_str(const struct seam_finding *f, const char *key)
{
	int i;

	for (i = 0; i < f->nr_evidence; i++)
		if (!strcmp(f->evidence[i].key, key) && f->evidence[i].type == VAL_STR)
			return f->evidence[i].s;
	return NULL;
}

int report_nr_findings(struct seam_report *r)
{
	int n;

	pthread_mutex_lock(&r->lock);
	n = r->nr_findings;
	pthread_mutex_unlock(&r->lock);
	return n;
}

const char *result_name(enum seam_result res)
{
	switch (res) {
	case RESULT_PASS:
		return "pass";
	case RESULT_SKIP:
		return "skip";
	case RESULT_XFAIL:
		return "xfail";
	case RESULT_ERROR:
		return "error";
	case RESULT_FAIL:
	case RESULT_NONE:
	default:
		return "fail";
	}
}

int result_exit_code(enum seam_result res)
{
	switch (res) {
	case RESULT_PASS:
		return KSFT_PASS;
	case RESULT_SKIP:
		return KSFT_SKIP;
	case RESULT_XFAIL:
		return KSFT_XFAIL;
	case RESULT_ERROR:
		return SEAM_EXIT_HARNESS_ERROR;
	default:
		return KSFT_FAIL;
	}
}

enum seam_result report_verdict(struct seam_report *r)
{
	bool unknown = false, harness = false, known = false;
	const struct detector *d;
	int i;

	pthread_mutex_lock(&r->lock);
	for (i = 0; i < r->nr_findings; i++) {
		const struct seam_finding *f = &r->findings[i];

		d = detector_find(f->detector);
		if (f->known_issue[0])
			known = true;
		else if (d && d->kind == DETECTOR_HARNESS)
			harness = true;
		else
			unknown = true;	/* a kernel finding, or one no table names */
	}
	pthread_mutex_unlock(&r->lock);
	if (unknown || r->findings_dropped)
		return RESULT_FAIL;
	if (harness)
		return RESULT_ERROR;
	return known ? RESULT_XFAIL : RESULT_PASS;
}

static void write_value(struct json_writer *w, const struct seam_value *v)
{
	switch (v->type) {
	case VAL_U64:
		json_u64(w, v->key, v->u);
		break;
	case VAL_DOUBLE:
		json_double(w, v->key, v->d);
		break;
	case VAL_STR:
		json_string(w, v->key, v->s);
		break;
	}
}

static void write_values(struct json_writer *w, const char *key,
			 const struct seam_value *tab, int nr)
{
	int i;

	json_begin_object(w, key);
	for (i = 0; i < nr; i++)
		write_value(w, &tab[i]);
	json_end_object(w);
}

/* Sections named "group.member" nest as "group": {"member": {...}}. */
static void write_sections(struct json_writer *w, const struct seam_report *r)
{
	char group[64] = "";
	const char *dot;
	int i, j;

	for (i = 0; i < r->nr_sections; i++) {
		const struct seam_section *sec = &r->sections[i];
		size_t glen;

		dot = strchr(sec->name, '.');
		glen = dot ? (size_t)(dot - sec->name) : 0;
		if (group[0] && (glen != strlen(group) || strncmp(group, sec->name, glen))) {
			json_end_object(w);
			group[0] = 0;
		}
		if (dot && !group[0]) {
			snprintf(group, sizeof(group), "%.*s", (int)glen, sec->name);
			json_begin_object(w, group);
		}
		json_begin_object(w, dot ? dot + 1 : sec->name);
		for (j = 0; j < sec->nr; j++)
			json_u64(w, sec->item[j].key, sec->item[j].val);
		json_end_object(w);
	}
	if (group[0])
		json_end_object(w);
}

void report_write_json(const struct seam_report *r, FILE *f)
{
	struct json_writer w;
	int i, j;

	json_init(&w, f);
	json_begin_object(&w, NULL);
	/* docs/design.md §6: bumped when a key changes meaning or type. */
	json_u64(&w, "format_version", SEAM_REPORT_FORMAT_VERSION);
	json_string(&w, "test", r->test);
	json_string(&w, "tool_version", SEAMSTRESS_VERSION);
	json_string(&w, "flavor", r->flavor);
	json_string(&w, "result", result_name(r->result));
	if (r->result == RESULT_SKIP)
		json_string(&w, "skip_reason", r->skip_reason);
	else
		json_null(&w, "skip_reason");
	json_u64(&w, "seed", r->seed);
	json_string(&w, "kernel", r->kernel);
	json_double(&w, "duration_s", r->duration_s);
	json_u64(&w, "vcpus", r->vcpus);
	json_boolean(&w, "interrupted", r->interrupted);
	if (r->env.timestamp_utc[0])
		env_write_json(&r->env, &w);
	write_values(&w, "config", r->config, r->nr_config);
	write_values(&w, "counters", r->counters, r->nr_counters);
	write_values(&w, "rates", r->rates, r->nr_rates);
	json_begin_object(&w, "latency");
	for (i = 0; i < r->nr_latencies; i++) {
		const struct seam_latency *l = &r->latencies[i];

		json_begin_object(&w, l->name);
		json_u64(&w, "count", l->count);
		json_u64(&w, "p50_ns", l->p50);
		json_u64(&w, "p99_ns", l->p99);
		json_u64(&w, "max_ns", l->max);
		json_end_object(&w);
	}
	json_end_object(&w);
	write_sections(&w, r);
	json_begin_array(&w, "findings");
	for (i = 0; i < r->nr_findings; i++) {
		const struct seam_finding *fd = &r->findings[i];

		json_begin_object(&w, NULL);
		json_string(&w, "detector", fd->detector);
		json_string(&w, "message", fd->message);
		json_begin_object(&w, "evidence");
		for (j = 0; j < fd->nr_evidence; j++)
			write_value(&w, &fd->evidence[j]);
		json_end_object(&w);
		if (fd->known_issue[0]) {
			json_begin_object(&w, "known_issue");
			json_string(&w, "id", fd->known_issue);
			json_string(&w, "note", fd->known_note);
			json_string(&w, "link", fd->known_link);
			json_string(&w, "entry", fd->known_where);
			json_end_object(&w);
		} else {
			json_null(&w, "known_issue");
		}
		json_end_object(&w);
	}
	json_end_array(&w);
	json_u64(&w, "findings_dropped", r->findings_dropped);
	json_begin_object(&w, "known_issues");
	json_string(&w, "file", r->known_issues_file);
	json_u64(&w, "entries", r->known_issues_entries);
	json_end_object(&w);
	json_string(&w, "reproduce", r->reproduce);
	json_end_object(&w);
}

static int fill_json(FILE *f, void *arg)
{
	report_write_json(arg, f);
	return ferror(f) ? -EIO : 0;
}

int report_save(struct seam_report *r)
{
	int err;

	if (!r->json_path)
		return 0;
	/* A temporary from mkstemp, renamed over: no link followed, no device replaced. */
	err = safe_replace(r->json_path, 0644, fill_json, r);
	if (!err)
		r->written = true;
	return err;
}

/* "id1, id2": the known issues the findings of @r matched, each once. */
static void known_ids(const struct seam_report *r, char *buf, size_t len)
{
	size_t n = 0;
	int i, j;

	buf[0] = 0;
	for (i = 0; i < r->nr_findings && n < len; i++) {
		const char *id = r->findings[i].known_issue;

		if (!id[0])
			continue;
		for (j = 0; j < i && strcmp(r->findings[j].known_issue, id); j++)
			;
		if (j < i)
			continue;
		n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "", id);
	}
}

int report_finish(struct seam_report *r)
{
	char ids[256];
	int i, err;

	if (r->result == RESULT_NONE)
		r->result = report_verdict(r);

	ksft_print_header();
	ksft_set_plan(1);
	for (i = 0; i < r->nr_findings; i++)
		ksft_print_msg("finding %s%s%s%s: %s\n", r->findings[i].detector,
			       r->findings[i].known_issue[0] ? " (known issue " : "",
			       r->findings[i].known_issue,
			       r->findings[i].known_issue[0] ? ")" : "",
			       r->findings[i].message);
	if (r->reproduce[0])
		ksft_print_msg("reproduce: %s\n", r->reproduce);

	err = report_save(r);
	if (err) {
		ksft_print_msg("cannot write JSON report %s: %s\n", r->json_path,
			       strerror(-err));
		/* No report is a broken harness, whatever the kernel did. */
		if (r->result == RESULT_PASS || r->result == RESULT_XFAIL)
			r->result = RESULT_ERROR;
	}

	switch (r->result) {
	case RESULT_PASS:
		ksft_test_result_pass("%s flavor=%s\n", r->test, r->flavor);
		break;
	case RESULT_SKIP:
		ksft_test_result_skip("%s flavor=%s: %s\n", r->test, r->flavor,
				      r->skip_reason);
		break;
	case RESULT_XFAIL:
		known_ids(r, ids, sizeof(ids));
		ksft_test_result_xfail("%s flavor=%s: known issue %s\n", r->test, r->flavor, ids);
		break;
	case RESULT_ERROR:
		ksft_test_result_error("%s flavor=%s: harness error, no verdict on the kernel\n",
				       r->test, r->flavor);
		break;
	default:
		ksft_test_result_fail("%s flavor=%s\n", r->test, r->flavor);
		break;
	}
	ksft_print_cnts();
	r->written = true;
	return result_exit_code(r->result);
}
