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

static void value_set(struct seam_value *v, const char *key)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->key, sizeof(v->key), "%s", key);
}

/* Replace the item named @key or append it; NULL when the table is full. */
static struct seam_value *item(struct seam_value *tab, int *nr, const char *key)
{
	int i;

	for (i = 0; i < *nr; i++)
		if (!strcmp(tab[i].key, key))
			return &tab[i];
	if (*nr >= REPORT_MAX_ITEMS)
		return NULL;
	return &tab[(*nr)++];
}

void report_config_str(struct seam_report *r, const char *key, const char *val)
{
	struct seam_value *v = item(r->config, &r->nr_config, key);

	if (!v)
		return;
	value_set(v, key);
	v->type = VAL_STR;
	snprintf(v->s, sizeof(v->s), "%s", val ? val : "");
}

void report_config_u64(struct seam_report *r, const char *key, uint64_t val)
{
	struct seam_value *v = item(r->config, &r->nr_config, key);

	if (!v)
		return;
	value_set(v, key);
	v->type = VAL_U64;
	v->u = val;
}

void report_counter(struct seam_report *r, const char *key, uint64_t val)
{
	struct seam_value *v = item(r->counters, &r->nr_counters, key);

	if (!v)
		return;
	value_set(v, key);
	v->type = VAL_U64;
	v->u = val;
}

void report_rate(struct seam_report *r, const char *key, double val)
{
	struct seam_value *v = item(r->rates, &r->nr_rates, key);

	if (!v)
		return;
	value_set(v, key);
	v->type = VAL_DOUBLE;
	v->d = val;
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

static struct seam_value *evidence(struct seam_finding *f, const char *key)
{
	struct seam_value *v;

	if (!f || f->nr_evidence >= FINDING_MAX_EVIDENCE)
		return NULL;
	v = &f->evidence[f->nr_evidence++];
	value_set(v, key);
	return v;
}

void finding_u64(struct seam_finding *f, const char *key, uint64_t val)
{
	struct seam_value *v = evidence(f, key);

	if (v) {
		v->type = VAL_U64;
		v->u = val;
	}
}

void finding_hex(struct seam_finding *f, const char *key, uint64_t val)
{
	struct seam_value *v = evidence(f, key);

	if (v) {
		v->type = VAL_STR;
		snprintf(v->s, sizeof(v->s), "0x%llx", (unsigned long long)val);
	}
}

void finding_str(struct seam_finding *f, const char *key, const char *val)
{
	struct seam_value *v = evidence(f, key);

	if (v) {
		v->type = VAL_STR;
		snprintf(v->s, sizeof(v->s), "%s", val);
	}
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
	json_bool(&w, "interrupted", r->interrupted);
	write_values(&w, "config", r->config, r->nr_config);
	write_values(&w, "counters", r->counters, r->nr_counters);
	write_values(&w, "rates", r->rates, r->nr_rates);
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
