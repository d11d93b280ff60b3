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

#include "json.h"
#include "kselftest.h"
#include "report.h"

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
		r->result = RESULT_FAIL;
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
	default:
		return KSFT_FAIL;
	}
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
	json_string(&w, "test", r->test);
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
		json_end_object(&w);
	}
	json_end_array(&w);
	json_u64(&w, "findings_dropped", r->findings_dropped);
	json_string(&w, "reproduce", r->reproduce);
	json_end_object(&w);
}

int report_save(struct seam_report *r)
{
	char tmp[4096];
	FILE *f;
	int err = 0;

	if (!r->json_path)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", r->json_path, getpid());
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	report_write_json(r, f);
	if (fflush(f) || fsync(fileno(f)))
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, r->json_path))
		err = -errno;
	if (err)
		unlink(tmp);
	else
		r->written = true;
	return err;
}

int report_finish(struct seam_report *r)
{
	int i, err;

	if (r->result == RESULT_NONE)
		r->result = r->nr_findings ? RESULT_FAIL : RESULT_PASS;

	ksft_print_header();
	ksft_set_plan(1);
	for (i = 0; i < r->nr_findings; i++)
		ksft_print_msg("finding %s: %s\n", r->findings[i].detector,
			       r->findings[i].message);
	if (r->reproduce[0])
		ksft_print_msg("reproduce: %s\n", r->reproduce);

	err = report_save(r);
	if (err)
		ksft_print_msg("cannot write JSON report %s: %s\n", r->json_path,
			       strerror(-err));

	switch (r->result) {
	case RESULT_PASS:
		ksft_test_result_pass("%s flavor=%s\n", r->test, r->flavor);
		break;
	case RESULT_SKIP:
		ksft_test_result_skip("%s flavor=%s: %s\n", r->test, r->flavor,
				      r->skip_reason);
		break;
	default:
		ksft_test_result_fail("%s flavor=%s\n", r->test, r->flavor);
		break;
	}
	ksft_print_cnts();
	if (err && r->result == RESULT_PASS)
		r->result = RESULT_FAIL;
	r->written = true;
	return result_exit_code(r->result);
}
