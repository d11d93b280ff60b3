// SPDX-License-Identifier: GPL-2.0
/*
 * The known-issues file (include/known_issues.h): INI sections, one per
 * issue, every key checked; an error names file, line and key.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ini_text.h"
#include "known_issues.h"
#include "safe_file.h"

#define KNOWN_KEYS "kernel, flavor, detector, class, message, evidence.KEY, note, link"

/* Copy @val into a field of @size; too long is an error, never a cut. */
static int set(char *field, size_t size, const char *val, const char *file, int line,
	       const char *key, char *err, size_t len)
{
	if (strlen(val) >= size)
		return ini_error(err, len, "%s:%d: key '%s': value longer than %zu characters",
			    file, line, key, size - 1);
	snprintf(field, size, "%s", val);
	return 0;
}

static int set_key(struct known_issue *e, const char *key, const char *val,
		   const char *file, int line, char *err, size_t len)
{
	const char *ev_key = NULL;

	if (!*val)
		return ini_error(err, len, "%s:%d: key '%s' has no value", file, line, key);
	if (!strcmp(key, "kernel"))
		return set(e->kernel, sizeof(e->kernel), val, file, line, key, err, len);
	if (!strcmp(key, "flavor"))
		return set(e->flavor, sizeof(e->flavor), val, file, line, key, err, len);
	if (!strcmp(key, "detector"))
		return set(e->detector, sizeof(e->detector), val, file, line, key, err, len);
	if (!strcmp(key, "message"))
		return set(e->message, sizeof(e->message), val, file, line, key, err, len);
	if (!strcmp(key, "note"))
		return set(e->note, sizeof(e->note), val, file, line, key, err, len);
	if (!strcmp(key, "link"))
		return set(e->link, sizeof(e->link), val, file, line, key, err, len);
	if (!strcmp(key, "class"))
		ev_key = "class";
	else if (!strncmp(key, "evidence.", 9) && key[9])
		ev_key = key + 9;
	if (!ev_key)
		return ini_error(err, len, "%s:%d: key '%s' is unknown; allowed: " KNOWN_KEYS,
			    file, line, key);
	if (e->nr_evidence >= KNOWN_ISSUE_MAX_EVIDENCE)
		return ini_error(err, len, "%s:%d: key '%s': more than %d evidence patterns in [%s]",
			    file, line, key, KNOWN_ISSUE_MAX_EVIDENCE, e->id);
	if (set(e->evidence[e->nr_evidence].key, sizeof(e->evidence[0].key), ev_key,
		file, line, key, err, len) ||
	    set(e->evidence[e->nr_evidence].glob, sizeof(e->evidence[0].glob), val,
		file, line, key, err, len))
		return -1;
	e->nr_evidence++;
	return 0;
}

/* An entry must say where it applies, to what, and why. */
static int entry_finish(const struct known_issue *e, const char *file, char *err, size_t len)
{
	static const char *const required[] = { "kernel", "detector", "note" };
	const char *have[] = { e->kernel, e->detector, e->note };
	size_t i;

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!have[i][0])
			return ini_error(err, len, "%s:%d: [%s] lacks key '%s' (required: kernel, detector, note)",
				    file, e->line, e->id, required[i]);
	return 0;
}

/* A known-issues file is text well under this. */
#define KNOWN_ISSUES_MAX_BYTES	(1 << 20)

int known_issues_load(const char *path, struct known_issues *ki, char *err, size_t len)
{
	struct known_issue *e = NULL;
	char buf[512], *s, *eq, *end;
	int line = 0, r = 0, fd;
	const char *what;
	FILE *f;

	memset(ki, 0, sizeof(*ki));
	if (!path || !strcmp(path, "none"))
		return 0;
	if (strlen(path) >= sizeof(ki->path))
		return ini_error(err, len, "%s: path too long", path);
	snprintf(ki->path, sizeof(ki->path), "%s", path);
	/* Only a regular file: a FIFO would block the run, a device never end. */
	fd = safe_open_read(path, KNOWN_ISSUES_MAX_BYTES, &what, NULL);
	if (fd == -EINVAL)
		return ini_error(err, len, "%s: the known-issues file is not a regular file (%s)",
				 path, what);
	if (fd == -EFBIG)
		return ini_error(err, len, "%s: not a known-issues file (over 1 MiB)", path);
	if (fd < 0)
		return ini_error(err, len, "%s: cannot open the known-issues file: %s", path,
				 strerror(-fd));
	f = fdopen(fd, "r");
	if (!f) {
		r = errno;
		close(fd);
		return ini_error(err, len, "%s: cannot open the known-issues file: %s", path,
				 strerror(r));
	}

	while (!r && fgets(buf, sizeof(buf), f)) {
		line++;
		if (!strchr(buf, '\n') && !feof(f)) {
			r = ini_error(err, len, "%s:%d: line longer than %zu characters", path, line,
				 sizeof(buf) - 2);
			break;
		}
		s = ini_trim(buf);
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			end = strchr(s, ']');
			if (!end || end[1] || end == s + 1) {
				r = ini_error(err, len, "%s:%d: '%s' is not a section header; want [issue-id]",
					 path, line, s);
				break;
			}
			if (e && (r = entry_finish(e, path, err, len)))
				break;
			if (ki->nr >= KNOWN_ISSUES_MAX) {
				r = ini_error(err, len, "%s:%d: more than %d entries", path, line,
					 KNOWN_ISSUES_MAX);
				break;
			}
			*end = 0;
			e = &ki->entry[ki->nr++];
			e->line = line;
			if ((r = set(e->id, sizeof(e->id), s + 1, path, line, "[id]", err, len)))
				break;
			continue;
		}
		eq = strchr(s, '=');
		if (!eq) {
			r = ini_error(err, len, "%s:%d: '%s' is not 'key = value'", path, line, s);
			break;
		}
		*eq = 0;
		if (!e) {
			r = ini_error(err, len, "%s:%d: key '%s' is outside any [issue-id] section",
				 path, line, ini_trim(s));
			break;
		}
		r = set_key(e, ini_trim(s), ini_trim(eq + 1), path, line, err, len);
	}
	if (!r && ferror(f))
		r = ini_error(err, len, "%s: read error", path);
	fclose(f);
	if (!r && e)
		r = entry_finish(e, path, err, len);
	return r;
}

static bool glob_match(const char *glob, const char *s)
{
	return !glob[0] || !fnmatch(glob, s, 0);
}

static const char *evidence_str(const struct seam_finding *f, const char *key, char *buf,
				size_t len)
{
	int i;

	for (i = 0; i < f->nr_evidence; i++) {
		if (strcmp(f->evidence[i].key, key))
			continue;
		switch (f->evidence[i].type) {
		case VAL_U64:
			snprintf(buf, len, "%llu", (unsigned long long)f->evidence[i].u);
			return buf;
		case VAL_DOUBLE:
			snprintf(buf, len, "%g", f->evidence[i].d);
			return buf;
		case VAL_STR:
			return f->evidence[i].s;
		}
	}
	return NULL;
}

const struct known_issue *known_issues_match(const struct known_issues *ki,
					     const char *kernel, const char *flavor,
					     const struct seam_finding *f)
{
	const struct known_issue *e;
	const char *v;
	char buf[32];
	int i, j;

	for (i = 0; i < ki->nr; i++) {
		e = &ki->entry[i];
		if (!glob_match(e->kernel, kernel) || !glob_match(e->flavor, flavor) ||
		    !glob_match(e->detector, f->detector) || !glob_match(e->message, f->message))
			continue;
		for (j = 0; j < e->nr_evidence; j++) {
			v = evidence_str(f, e->evidence[j].key, buf, sizeof(buf));
			if (!v || fnmatch(e->evidence[j].glob, v, 0))
				break;
		}
		if (j == e->nr_evidence)
			return e;
	}
	return NULL;
}

int known_issues_apply(const struct known_issues *ki, struct seam_report *r)
{
	const struct known_issue *e;
	int i, n = 0;

	for (i = 0; i < r->nr_findings; i++) {
		struct seam_finding *f = &r->findings[i];

		e = known_issues_match(ki, r->kernel, r->flavor, f);
		if (!e)
			continue;
		snprintf(f->known_issue, sizeof(f->known_issue), "%s", e->id);
		snprintf(f->known_note, sizeof(f->known_note), "%s", e->note);
		snprintf(f->known_link, sizeof(f->known_link), "%s", e->link);
		snprintf(f->known_where, sizeof(f->known_where), "%s:%d", ki->path, e->line);
		n++;
	}
	return n;
}
