/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line options shared by every seamstress test.  Parsing is pure:
 * it fills struct seam_opts or explains, in one line, which option was bad
 * and what it allows.
 */
#ifndef SEAMSTRESS_OPTIONS_H
#define SEAMSTRESS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "flavor.h"

#define SEAM_MAX_PUNCHERS	64
/* --model-insn-pages at most: a rep movs over this many pages. */
#define SEAM_MODEL_MAX_INSN_PAGES	64

enum seam_order { ORDER_SAME, ORDER_REVERSE, ORDER_SHUFFLED, NR_ORDERS };
/*
 * Single changes to the tdx_model's KVM or module (--model-toggle), each a
 * patch idea tried as a one-flag diff.
 */
enum model_toggle {
	MODEL_TOGGLE_PREV_EPOCH_BUSY = 1 << 0,	 /* PREVIOUS_TLB_EPOCH_BUSY is busy */
	MODEL_TOGGLE_TRACK_KICK_NOWAIT = 1 << 1, /* tdx_track() does not wait for its kick */
	MODEL_TOGGLE_REENTER_ON_RETRY = 1 << 2,	 /* RET_PF_RETRY re-enters, as before 6.16 */
	MODEL_TOGGLE_FINALIZE_MMU_LOCK = 1 << 3, /* KVM_TDX_FINALIZE_VM under mmu_lock */
	MODEL_TOGGLE_ACCEPT_STATE_FIRST = 1 << 4, /* module: ACCEPT exits before locking */
};

/* KVM's TDX handling by release (docs/tdx-module-and-kvm.md §2), for tdx_model. */
enum kvm_release { KVM_PRE_6_16, KVM_6_16, KVM_6_18, KVM_6_19, NR_KVM_RELEASES };
enum seam_pattern { PATTERN_RANDOM, PATTERN_SWEEP, PATTERN_CHASE, PATTERN_AHEAD, NR_PATTERNS };

struct seam_test;

struct seam_opts {
	const struct seam_test *test;	/* the test that runs; NULL when only parsing */
	enum seam_flavor flavor;
	uint32_t vcpus;
	uint64_t pages;
	double duration_s;		/* used when sweeps == 0 */
	uint64_t sweeps;		/* per vCPU; 0 = run for duration_s */
	uint32_t punchers;
	uint64_t punch_size;
	enum seam_pattern pattern;
	enum seam_order order;
	uint64_t seed;
	bool seed_given;
	const char *json;
	const char *cpus;		/* libnuma cpu list for thread placement */
	const char *nodes;		/* libnuma node list */
	uint32_t burst;			/* guest exits every N pages; 0 = once a sweep */
	uint32_t kick_hz;		/* kicks per second per vCPU; 0 = none */
	uint32_t punch_hz;		/* chaos operations per second per puncher; 0 = unpaced */
	bool accept;			/* guest accepts each page before touching it */
	double deadline_s;		/* watchdog: an operation older than this is hung */
	uint32_t zero_step;		/* --zero-step: streak that is a finding anywhere; 0 = unset */
	char expect[128];		/* comma-separated detectors that must fire */
	bool no_trace;			/* no tracefs instance, no probes */
	uint32_t td_gpaw;		/* tdx: guest physical address width, 48 or 52 */
	bool td_sept_ve;		/* tdx: clear SEPT_VE_DISABLE (pending-page #VE) */
	bool td_no_sept_ve;	/* tdx: set it, even with punchers */
	bool accept_2m;			/* tdx: accept at 2M first, then 4K */
	enum kvm_release kvm_release;	/* tdx_model */
	bool sched_seeded;		/* tdx_model: seeded scheduler */
	uint64_t model_steps;		/* tdx_model: step budget, 0 = none */
	uint32_t model_toggles;		/* tdx_model: MODEL_TOGGLE_* */
	bool model_skip_accept;		/* tdx_model: bug 4 */
	bool model_vcpu_init_race;	/* tdx_model: bug 9 */
	bool model_td_build_race;	/* tdx_model: bug 10 */
	bool model_memslot_churn;	/* tdx_model: bug 8 */
	uint64_t model_shared_pages;	/* tdx_model: pages that start shared, bug 7 */
	bool model_ignore_memory_fault;	/* tdx_model: bug 7 */
	uint64_t model_insn_pages;	/* tdx_model: pages one guest store spans (1..SEAM_MODEL_MAX_INSN_PAGES) */
	bool model_uret_neighbour;	/* tdx_model: bug 13 */
	bool locked_store;		/* guest stores its tags with xchg, not mov */
	uint32_t access_width;		/* bytes per guest slot access: 8, 4 or 2 */
	bool host_reader;		/* a host thread reads every slot through its mapping */
	bool widen;			/* chase punches timed to a vCPU's page moves (fuzzy sync) */
	const char *known_issues;	/* known-issues file; NULL: the shipped one */
	bool inject_corruption;		/* test only: a host thread writes a foreign value */
	bool inject_tear;		/* test only: a host thread tears vCPU 0's tag */
	double inject_stall_s;		/* test only: puncher 0 stalls this long in one operation */
};

enum seam_opts_result {
	OPTS_OK,
	OPTS_HELP,	/* -h: usage printed, exit 0 */
	OPTS_VERSION,	/* --version: print it, exit 0 */
	OPTS_USAGE,	/* bad option or value: @err says which, exit 2 */
};

/* Every test's defaults. */
void options_defaults(struct seam_opts *o);
/*
 * Then @t's own (struct seam_test.defaults), parsed as options are, and
 * o->test = @t; 0, or -1 with @err filled.
 */
int options_test_defaults(struct seam_opts *o, const struct seam_test *t, char *err, size_t len);
/* Whether o->expect takes a finding of @detector that has no class. */
bool options_expects(const struct seam_opts *o, const char *detector);
/*
 * Whether an entry of o->expect takes a finding of @detector whose evidence
 * class is @class (NULL: it has none).
 */
bool options_expects_class(const struct seam_opts *o, const char *detector, const char *class);
/*
 * Whether the one --expect entry @entry, "detector" or "detector:class",
 * takes such a finding: an entry without a class takes every class.
 */
bool expect_entry_takes(const char *entry, const char *detector, const char *class);
enum seam_opts_result options_parse(struct seam_opts *o, int argc, char **argv,
				    char *err, size_t errlen);
/* --help of test @t: its summary and defaults, then every option. */
void options_usage(const struct seam_test *t, FILE *out);
/* Every option's help line, with @o's values as the defaults. */
void options_help(const struct seam_opts *o, FILE *out);
/*
 * The @i-th option's long name and, in *@value, a valid value other than
 * every default (NULL for a flag, or where none is given), in *@short_name
 * its letter (0: none); NULL past the end.
 */
const char *options_example(size_t i, const char **value, int *short_name);

/*
 * Whether --@key is an option; *takes_value says if it needs a value.  Lets
 * scenario files (lib/util/scenario.c) accept exactly the command-line options.
 */
bool options_key_known(const char *key, bool *takes_value);
/* The flavor a scenario key is limited to, or NULL: any. */
const char *options_key_flavor(const char *key);
/* Every long option name, NULL-terminated, for "allowed:" messages. */
const char *options_key_list(void);

/* A command line that replays the run (seed included). */
void options_reproduce(const struct seam_opts *o, const char *argv0,
		       char *buf, size_t len);

const char *order_name(enum seam_order o);
const char *kvm_release_name(enum kvm_release r);
const char *pattern_name(enum seam_pattern p);
/* "4K", "2M", "12K": the exact size in the units the options accept. */
void size_format(uint64_t size, char *buf, size_t len);

/*
 * Whether a TD runs with SEPT_VE_DISABLE clear, so that touching a page
 * the host removed and AUG'd again is a #VE the guest accepts: forced by
 * --td-sept-ve or --td-no-sept-ve, else whenever a puncher can remove
 * or convert private pages, the tdx_model's memslot churn removes them, or
 * the guest converts its own (docs/design.md
 * §2.4).
 */
bool options_td_sept_ve(const struct seam_opts *o);

#endif /* SEAMSTRESS_OPTIONS_H */
