// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <math.h>

#include "json.h"

void json_init(struct json_writer *w, FILE *f)
{
	w->f = f;
	w->depth = 0;
	w->has_items[0] = false;
}

static void put_escaped(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* Comma, newline and indentation before a member, then its key. */
static void member(struct json_writer *w, const char *key)
{
	if (w->has_items[w->depth])
		fputc(',', w->f);
	w->has_items[w->depth] = true;
	if (w->depth)
		fprintf(w->f, "\n%*s", 2 * w->depth, "");
	if (key) {
		put_escaped(w->f, key);
		fputs(": ", w->f);
	}
}

static void open_scope(struct json_writer *w, const char *key, char c)
{
	member(w, key);
	fputc(c, w->f);
	if (w->depth + 1 < JSON_MAX_DEPTH)
		w->depth++;
	w->has_items[w->depth] = false;
}

static void close_scope(struct json_writer *w, char c)
{
	bool had = w->has_items[w->depth];

	if (w->depth)
		w->depth--;
	if (had)
		fprintf(w->f, "\n%*s", 2 * w->depth, "");
	fputc(c, w->f);
	if (!w->depth)
		fputc('\n', w->f);
}

void json_begin_object(struct json_writer *w, const char *key)
{
	open_scope(w, key, '{');
}

void json_end_object(struct json_writer *w)
{
	close_scope(w, '}');
}

void json_begin_array(struct json_writer *w, const char *key)
{
	open_scope(w, key, '[');
}

void json_end_array(struct json_writer *w)
{
	close_scope(w, ']');
}

void json_string(struct json_writer *w, const char *key, const char *val)
{
	member(w, key);
	if (val)
		put_escaped(w->f, val);
	else
		fputs("null", w->f);
}

void json_u64(struct json_writer *w, const char *key, uint64_t val)
{
	member(w, key);
	fprintf(w->f, "%" PRIu64, val);
}

void json_i64(struct json_writer *w, const char *key, int64_t val)
{
	member(w, key);
	fprintf(w->f, "%" PRId64, val);
}

void json_double(struct json_writer *w, const char *key, double val)
{
	member(w, key);
	if (isfinite(val))
		fprintf(w->f, "%.10g", val);
	else
		fputs("null", w->f);
}

void json_boolean(struct json_writer *w, const char *key, bool val)
{
	member(w, key);
	fputs(val ? "true" : "false", w->f);
}

void json_null(struct json_writer *w, const char *key)
{
	member(w, key);
	fputs("null", w->f);
}
