/* SPDX-License-Identifier: GPL-2.0 */
/* The seamstress tool's commands (tools/suite_run.c, compare.c, bisect_run.c). */
#ifndef SEAMSTRESS_TOOL_H
#define SEAMSTRESS_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct json_object;

int suite_run_main(int argc, char *argv[]);
/* seamstress run, and where it wrote (its --out) in *@out_dir once parsed. */
int suite_run(int argc, char *argv[], const char **out_dir);
int compare_main(int argc, char *argv[]);
int bisect_run_main(int argc, char *argv[]);

/*
 * DIR/suite.json, the summary `seamstress run` writes (tools/suite_run.c):
 * parsed (the caller puts it) with its "runs" array in *@runs, its path in
 * @path; NULL when it cannot be opened as a regular file of at most @max
 * bytes (*@missing true, if given) or is not a summary.
 */
struct json_object *suite_summary_load(const char *dir, off_t max, char *path, size_t len,
					struct json_object **runs, bool *missing);

#endif /* SEAMSTRESS_TOOL_H */
