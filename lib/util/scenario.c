// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario files (include/scenario.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ini_text.h"
#include "options.h"
#include "safe_file.h"
#include "scenario.h"

/* Every tests/NAME.c; the build writes the list (mk/build.mk). */
#include "seam_test_names.h"

const char *const scenario_tests[] = { SEAM_TEST_NAMES NULL };

/* A scenario file is text well under this. */
#define SCENARIO_MAX_BYTES	(1 << 20)

/* A week: a timeout beyond it is a typo, and inf is not a timeout. */
#define SCENARIO_MAX_TIMEOUT_S	(7 * 24 * 3600.0)

static bool known_test(const char *name)
{
	int i;

	for (i = 0; scenario_tests[i]; i++)
		if (!strcmp(scenario_tests[i], name))
			return true;
	return false;
}

/* "a, b, c": the tests, for "allowed:" messages. */
static const char *test_list(void)
{
	static char list[512];
	size_t n = 0;
	int i;

	for (i = 0; scenario_tests[i] && n < sizeof(list); i++)
		n += snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "", scenario_tests[i]);
	return list;
}

static int flag_value(const char *v)
{
	if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes"))
		return 1;
	if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no"))
		return 0;
	return -1;
}

/* Check one key's value with the command-line parser itself. */
static int check_value(const char *file, const struct scenario_kv *kv, const char *test,
		       char *err, size_t len)
{
	char opt[40], value[128], perr[256], flavor[32];
	char *argv[6] = { (char *)test, opt, value, NULL };
	const char *only;
	struct seam_opts o;
	bool takes;
	int argc;

	if (!options_key_known(kv->key, &takes))
		return ini_error(err, len, "%s:%d: key '%s' is unknown; allowed: %s, test, timeout",
			    file, kv->line, kv->key, options_key_list());
	snprintf(opt, sizeof(opt), "--%.31s", kv->key);
	snprintf(value, sizeof(value), "%.127s", kv->value);
	if (!takes) {
		if (flag_value(kv->value) < 0)
			return ini_error(err, len, "%s:%d: key '%s': '%s' is not a flag value; allowed: 1, 0, true, false, yes, no",
				    file, kv->line, kv->key, kv->value);
		argv[2] = NULL;
	}
	argc = takes ? 3 : 2;
	/*
	 * Alone, a key of one flavor's is checked on that flavor; whether the
	 * section's flavor honours it is the whole section's check.
	 */
	only = options_key_flavor(kv->key);
	if (only) {
		snprintf(flavor, sizeof(flavor), "%s", only);
		argv[argc++] = "--flavor";
		argv[argc++] = flavor;
	}
	argv[argc] = NULL;
	options_defaults(&o);
	if (options_parse(&o, argc, argv, perr, sizeof(perr)) != OPTS_OK)
		return ini_error(err, len, "%s:%d: key '%s': %s", file, kv->line, kv->key, perr);
	return 0;
}

static int section_finish(const char *file, struct scenario_section *s,
			  const struct scenario_section *global, char *err, size_t len)
{
	char *argv[2 * SCENARIO_MAX_KEYS + 2], perr[256];
	struct scenario_kv all[2 * SCENARIO_MAX_KEYS];
	struct seam_opts o;
	int i, j, n = 0, argc;
	char *end;

	/*
	 * [global] first; a key the section sets again takes the section's
	 * value in place, so each key is held once and the merge never holds
	 * more keys than one of the two had plus the other's new ones.
	 */
	for (i = 0; i < global->nr; i++)
		all[n++] = global->kv[i];
	for (i = 0; i < s->nr; i++) {
		for (j = 0; j < n && strcmp(all[j].key, s->kv[i].key); j++)
			;
		if (j == n)
			n++;
		all[j] = s->kv[i];
	}

	snprintf(s->test, sizeof(s->test), "%s", s->name);
	s->timeout_s = 0;
	for (i = j = 0; i < n; i++) {
		if (!strcmp(all[i].key, "test")) {
			snprintf(s->test, sizeof(s->test), "%s", all[i].value);
			continue;
		}
		if (!strcmp(all[i].key, "timeout")) {
			errno = 0;
			s->timeout_s = strtod(all[i].value, &end);
			if (!isdigit((unsigned char)all[i].value[0]) || errno || *end ||
			    !(s->timeout_s > 0) || s->timeout_s > SCENARIO_MAX_TIMEOUT_S)
				return ini_error(err, len, "%s:%d: key 'timeout': '%s' is not allowed; allowed: decimal seconds > 0 and <= 604800",
					    file, all[i].line, all[i].value);
			continue;
		}
		all[j++] = all[i];
	}
	if (!known_test(s->test))
		return ini_error(err, len, "%s:%d: section [%s]: test '%s' is unknown; allowed: %s (key 'test', or the section name)",
			    file, s->line, s->name, s->test, test_list());
	for (i = 0; i < j; i++)
		if (check_value(file, &all[i], s->test, err, len))
			return -1;
	if (j > SCENARIO_MAX_KEYS)
		return ini_error(err, len, "%s:%d: section [%s]: %d keys with [global]'s; at most %d",
			    file, s->line, s->name, j, SCENARIO_MAX_KEYS);
	s->nr = j;
	memcpy(s->kv, all, j * sizeof(all[0]));

	/* Keys that are fine alone may still clash (-d with -i). */
	argc = scenario_argv(s, NULL, 0, argv, sizeof(argv) / sizeof(argv[0]));
	options_defaults(&o);
	if (options_parse(&o, argc, argv, perr, sizeof(perr)) != OPTS_OK)
		return ini_error(err, len, "%s:%d: section [%s]: %s", file, s->line, s->name, perr);
	return 0;
}

int scenario_parse(const char *file, const char *text, struct scenario *sc,
		   char *err, size_t errlen)
{
	struct scenario_section global = { .name = "global" }, *cur = NULL;
	char line[512], *l, *eq, *key, *val;
	const char *p = text, *nl;
	int lineno = 0, i;

	memset(sc, 0, sizeof(*sc));
	snprintf(sc->file, sizeof(sc->file), "%s", file);
	while (*p) {
		nl = strchr(p, '\n');
		lineno++;
		if ((nl ? nl - p : (long)strlen(p)) >= (long)sizeof(line))
			return ini_error(err, errlen, "%s:%d: line longer than %zu characters",
				    file, lineno, sizeof(line) - 1);
		snprintf(line, sizeof(line), "%.*s", nl ? (int)(nl - p) : (int)strlen(p), p);
		p = nl ? nl + 1 : p + strlen(p);

		l = ini_trim(line);
		if (!*l || *l == '#' || *l == ';')
			continue;
		if (*l == '[') {
			char *close = strchr(l, ']');

			if (!close || *ini_trim(close + 1))
				return ini_error(err, errlen, "%s:%d: '%s' is not a section header; allowed: [name]",
					    file, lineno, l);
			*close = 0;
			l = ini_trim(l + 1);
			if (!*l || strspn(l, "abcdefghijklmnopqrstuvwxyz0123456789_-.") != strlen(l))
				return ini_error(err, errlen, "%s:%d: section name '%s': allowed: a-z, 0-9, _ - .",
					    file, lineno, l);
			/* Its report would be the runner's summary, suite.json. */
			if (!strcmp(l, "suite"))
				return ini_error(err, errlen, "%s:%d: section name 'suite' is taken by the runner's suite.json; choose another",
					    file, lineno);
			if (!strcmp(l, "global")) {
				if (sc->nr)
					return ini_error(err, errlen, "%s:%d: [global] must come before the first run section",
						    file, lineno);
				cur = &global;
				continue;
			}
			for (i = 0; i < sc->nr; i++)
				if (!strcmp(sc->sec[i].name, l))
					return ini_error(err, errlen, "%s:%d: section [%s] repeats line %d",
						    file, lineno, l, sc->sec[i].line);
			if (sc->nr >= SCENARIO_MAX_SECTIONS)
				return ini_error(err, errlen, "%s:%d: more than %d sections", file, lineno,
					    SCENARIO_MAX_SECTIONS);
			cur = &sc->sec[sc->nr++];
			snprintf(cur->name, sizeof(cur->name), "%s", l);
			cur->line = lineno;
			continue;
		}
		eq = strchr(l, '=');
		if (!eq)
			return ini_error(err, errlen, "%s:%d: '%s' is not 'key = value'", file, lineno, l);
		*eq = 0;
		key = ini_trim(l);
		val = ini_trim(eq + 1);
		if (!cur)
			return ini_error(err, errlen, "%s:%d: key '%s' before any [section]", file, lineno, key);
		if (!*key || !*val)
			return ini_error(err, errlen, "%s:%d: key '%s' has no %s", file, lineno, key,
				    *key ? "value" : "name");
		if (strlen(key) >= sizeof(cur->kv[0].key) || strlen(val) >= sizeof(cur->kv[0].value))
			return ini_error(err, errlen, "%s:%d: key '%s': too long", file, lineno, key);
		for (i = 0; i < cur->nr; i++)
			if (!strcmp(cur->kv[i].key, key))
				return ini_error(err, errlen, "%s:%d: key '%s' repeats line %d", file, lineno,
					    key, cur->kv[i].line);
		if (cur->nr >= SCENARIO_MAX_KEYS)
			return ini_error(err, errlen, "%s:%d: more than %d keys", file, lineno, SCENARIO_MAX_KEYS);
		snprintf(cur->kv[cur->nr].key, sizeof(cur->kv[0].key), "%s", key);
		snprintf(cur->kv[cur->nr].opt, sizeof(cur->kv[0].opt), "--%s", key);
		snprintf(cur->kv[cur->nr].value, sizeof(cur->kv[0].value), "%s", val);
		cur->kv[cur->nr++].line = lineno;
	}
	if (!sc->nr)
		return ini_error(err, errlen, "%s: no run sections ([name] after [global])", file);
	for (i = 0; i < sc->nr; i++)
		if (section_finish(file, &sc->sec[i], &global, err, errlen))
			return -1;
	return 0;
}

int scenario_load(const char *file, struct scenario *sc, char *err, size_t errlen)
{
	const char *what = NULL;
	char *text;
	off_t size;
	FILE *f;
	int fd, r;

	fd = safe_open_read(file, SCENARIO_MAX_BYTES, &what, &size);
	if (fd == -EINVAL)
		return ini_error(err, errlen, "%s: not a regular file (%s)", file, what);
	if (fd == -EFBIG)
		return ini_error(err, errlen, "%s: not a scenario file (over 1 MiB)", file);
	if (fd < 0)
		return ini_error(err, errlen, "%s: %s", file, strerror(-fd));
	f = fdopen(fd, "r");
	if (!f) {
		r = errno;
		close(fd);
		return ini_error(err, errlen, "%s: %s", file, strerror(r));
	}
	text = calloc(1, size + 1);
	if (!text || fread(text, 1, size, f) != (size_t)size) {
		free(text);
		fclose(f);
		return ini_error(err, errlen, "%s: cannot read", file);
	}
	fclose(f);
	if (strlen(text) != (size_t)size)
		r = ini_error(err, errlen, "%s: contains a NUL byte: not a text file", file);
	else if (!strncmp(text, "\xef\xbb\xbf", 3))
		r = ini_error(err, errlen, "%s:1: starts with a UTF-8 byte-order mark; save it without one",
			      file);
	else
		r = scenario_parse(file, text, sc, err, errlen);
	free(text);
	return r;
}

int scenario_argv(const struct scenario_section *s, char **extra, int nr_extra,
		  char **argv, int max)
{
	bool takes;
	int i, argc = 0;

	argv[argc++] = (char *)s->test;
	for (i = 0; i < s->nr && argc + 2 < max; i++) {
		char *o = (char *)s->kv[i].opt;

		if (!options_key_known(s->kv[i].key, &takes))
			continue;
		if (takes) {
			argv[argc++] = o;
			argv[argc++] = (char *)s->kv[i].value;
		} else if (flag_value(s->kv[i].value) == 1) {
			argv[argc++] = o;
		}
	}
	for (i = 0; i < nr_extra && argc + 1 < max; i++)
		argv[argc++] = extra[i];
	argv[argc] = NULL;
	return argc;
}
