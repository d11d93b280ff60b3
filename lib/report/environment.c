// SPDX-License-Identifier: GPL-2.0
/*
 * The environment of a report (include/environment.h).  Everything comes
 * from /proc, /sys, uname() and the kernel log; a source that is missing
 * leaves its field empty (-1 for the CPU numbers), never a guess.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "environment.h"
#include "kmsg.h"
#include "safe_file.h"

/* The KVM module parameters whose values change what a flavor exercises. */
static const struct { const char *module, *param; } kvm_params[] = {
	{ "kvm", "tdp_mmu" }, { "kvm", "nx_huge_pages" }, { "kvm", "eager_page_split" },
	{ "kvm", "mmio_caching" }, { "kvm_intel", "ept" }, { "kvm_intel", "unrestricted_guest" },
	{ "kvm_intel", "tdx" }, { "kvm_amd", "npt" }, { "kvm_amd", "nested" }, { "kvm_amd", "sev" },
	{ NULL },
};

uint64_t env_fnv1a64(const void *buf, size_t len, uint64_t h)
{
	const unsigned char *p = buf;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The value after "key<spaces>: " on @line, or NULL. */
static const char *field(const char *line, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(line, key, n) || (line[n] != ' ' && line[n] != '\t' && line[n] != ':'))
		return NULL;
	line = strchr(line + n, ':');
	return line ? line + 1 + strspn(line + 1, " \t") : NULL;
}

void env_parse_cpuinfo(struct seam_env *e, const char *cpuinfo)
{
	const char *line = cpuinfo, *v;
	size_t n;

	e->cpu_family = e->cpu_model_nr = e->cpu_stepping = -1;
	e->cpu_model[0] = e->microcode[0] = '\0';
	/* The first processor's block: up to its blank line. */
	while (line && *line && *line != '\n') {
		n = strcspn(line, "\n");
		if ((v = field(line, "model name")))
			snprintf(e->cpu_model, sizeof(e->cpu_model), "%.*s", (int)(n - (v - line)), v);
		else if ((v = field(line, "cpu family")))
			e->cpu_family = atoi(v);
		else if ((v = field(line, "model")))
			e->cpu_model_nr = atoi(v);
		else if ((v = field(line, "stepping")))
			e->cpu_stepping = atoi(v);
		else if ((v = field(line, "microcode")))
			snprintf(e->microcode, sizeof(e->microcode), "%.*s", (int)(n - (v - line)), v);
		line = line[n] ? line + n + 1 : NULL;
	}
}

/* Up to @len - 1 bytes of @path, NUL-terminated; -1 when unreadable. */
static long read_small(const char *path, char *buf, size_t len)
{
	int fd = safe_open_read(path, 1 << 20, NULL, NULL);
	long n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

static void kernel_config(struct seam_env *e, const char *release)
{
	char path[128], buf[65536];
	const char *try[] = { "/proc/config.gz", path, NULL };
	int i, fd;
	long n;

	snprintf(path, sizeof(path), "/boot/config-%s", release);
	for (i = 0; try[i]; i++) {
		fd = safe_open_read(try[i], 16 << 20, NULL, NULL);
		if (fd < 0)
			continue;
		e->config_fnv1a64 = FNV1A64_INIT;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			e->config_fnv1a64 = env_fnv1a64(buf, n, e->config_fnv1a64);
		close(fd);
		snprintf(e->config_source, sizeof(e->config_source), "%s", try[i]);
		return;
	}
}

static void kvm_module_params(struct seam_env *e)
{
	char path[128], val[64];
	size_t len = 0;
	int i;

	for (i = 0; kvm_params[i].module && len < sizeof(e->kvm_params); i++) {
		snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s",
			 kvm_params[i].module, kvm_params[i].param);
		if (read_small(path, val, sizeof(val)) < 0)
			continue;
		val[strcspn(val, "\n")] = '\0';
		len += snprintf(e->kvm_params + len, sizeof(e->kvm_params) - len, "%s%s.%s=%s",
				len ? " " : "", kvm_params[i].module, kvm_params[i].param, val);
	}
}

static void tdx_line(const char *record, void *arg)
{
	struct seam_env *e = arg;
	const char *msg = strchr(record, ';');

	msg = msg ? msg + 1 : record;
	if (!e->tdx_module[0] && strstr(msg, "TDX module"))
		snprintf(e->tdx_module, sizeof(e->tdx_module), "%.*s", (int)strcspn(msg, "\n"), msg);
}

void env_collect(struct seam_env *e)
{
	static char cpuinfo[65536];
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;
	int fd;

	memset(e, 0, sizeof(*e));
	gmtime_r(&now, &tm);
	strftime(e->timestamp_utc, sizeof(e->timestamp_utc), "%Y-%m-%dT%H:%M:%SZ", &tm);
	gethostname(e->hostname, sizeof(e->hostname) - 1);
	if (read_small("/proc/cpuinfo", cpuinfo, sizeof(cpuinfo)) >= 0)
		env_parse_cpuinfo(e, cpuinfo);
	else
		e->cpu_family = e->cpu_model_nr = e->cpu_stepping = -1;
	uname(&u);
	snprintf(e->kernel_version, sizeof(e->kernel_version), "%s", u.version);
	if (read_small("/proc/cmdline", e->cmdline, sizeof(e->cmdline)) >= 0)
		e->cmdline[strcspn(e->cmdline, "\n")] = '\0';
	kernel_config(e, u.release);
	kvm_module_params(e);
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0) {
		kmsg_for_each(fd, tdx_line, e);
		close(fd);
	}
}

static void str_or_null(struct json_writer *w, const char *key, const char *s)
{
	if (s[0])
		json_string(w, key, s);
	else
		json_null(w, key);
}

static void int_or_null(struct json_writer *w, const char *key, int v)
{
	if (v >= 0)
		json_i64(w, key, v);
	else
		json_null(w, key);
}

void env_write_json(const struct seam_env *e, struct json_writer *w)
{
	char hash[24];

	json_begin_object(w, "environment");
	json_string(w, "timestamp_utc", e->timestamp_utc);
	str_or_null(w, "hostname", e->hostname);
	json_begin_object(w, "cpu");
	str_or_null(w, "model_name", e->cpu_model);
	int_or_null(w, "family", e->cpu_family);
	int_or_null(w, "model", e->cpu_model_nr);
	int_or_null(w, "stepping", e->cpu_stepping);
	str_or_null(w, "microcode", e->microcode);
	json_end_object(w);
	str_or_null(w, "kernel_version", e->kernel_version);
	str_or_null(w, "cmdline", e->cmdline);
	json_begin_object(w, "kernel_config");
	str_or_null(w, "source", e->config_source);
	snprintf(hash, sizeof(hash), "0x%016llx", (unsigned long long)e->config_fnv1a64);
	str_or_null(w, "fnv1a64", e->config_source[0] ? hash : "");
	json_end_object(w);
	str_or_null(w, "kvm_params", e->kvm_params);
	str_or_null(w, "tdx_module", e->tdx_module);
	json_end_object(w);
}
