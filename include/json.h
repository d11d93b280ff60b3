/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A streaming JSON writer: enough for reports, with correct escaping and
 * commas, and NaN/infinity written as null so the output always parses.
 */
#ifndef SEAMSTRESS_JSON_H
#define SEAMSTRESS_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json_writer {
	FILE *f;
	int depth;
	bool has_items[JSON_MAX_DEPTH];
};

void json_init(struct json_writer *w, FILE *f);
/* @key is NULL inside arrays and for the top-level value. */
void json_begin_object(struct json_writer *w, const char *key);
void json_end_object(struct json_writer *w);
void json_begin_array(struct json_writer *w, const char *key);
void json_end_array(struct json_writer *w);
void json_string(struct json_writer *w, const char *key, const char *val);
void json_u64(struct json_writer *w, const char *key, uint64_t val);
void json_i64(struct json_writer *w, const char *key, int64_t val);
void json_double(struct json_writer *w, const char *key, double val);
void json_boolean(struct json_writer *w, const char *key, bool val);
void json_null(struct json_writer *w, const char *key);

#endif /* SEAMSTRESS_JSON_H */
