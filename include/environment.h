/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a report was made (lib/report/environment.c): what a kernel CI
 * result needs to be compared with another one — when, which host, CPU
 * and microcode, kernel build and command line, the kernel config's hash,
 * the KVM module parameters the flavors depend on, the TDX module the
 * kernel announced.  Collected once, when the report is set up.
 */
#ifndef SEAMSTRESS_ENVIRONMENT_H
#define SEAMSTRESS_ENVIRONMENT_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"

struct seam_env {
	char timestamp_utc[24];		/* 2026-12-02T06:45:00Z */
	char hostname[65];
	char cpu_model[96];
	int cpu_family, cpu_model_nr, cpu_stepping;	/* -1: not in /proc/cpuinfo */
	char microcode[24];
	char kernel_version[160];	/* uname -v: the build */
	char cmdline[1024];
	char config_source[64];		/* /proc/config.gz, /boot/config-R, or "" */
	uint64_t config_fnv1a64;	/* of the file's bytes as stored */
	char kvm_params[512];		/* "kvm.tdp_mmu=Y kvm_amd.npt=1 ...", those present */
	char tdx_module[200];		/* the kernel log's "TDX module" line, or "" */
};

/* Fill @e from this host. */
void env_collect(struct seam_env *e);
/* The first processor's model name, family, model, stepping, microcode in @cpuinfo. */
void env_parse_cpuinfo(struct seam_env *e, const char *cpuinfo);
/* FNV-1a, 64 bits, over @len bytes of @buf, continuing from @h (start: FNV1A64_INIT). */
#define FNV1A64_INIT	0xcbf29ce484222325ULL
uint64_t env_fnv1a64(const void *buf, size_t len, uint64_t h);
/* An "environment" object of @e into @w. */
void env_write_json(const struct seam_env *e, struct json_writer *w);

#endif /* SEAMSTRESS_ENVIRONMENT_H */
