// SPDX-License-Identifier: GPL-2.0
/*
 * Option parsing for every test.  Each option is written once, in
 * opt_table[]: its names, kind and range, its field, its help, and how the
 * reproduce line shows it; getopt_long's tables, the scenario keys, --help
 * and the reproduce line are made from it.  Every value is checked against
 * what it allows, and an error is one line naming the option.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detectors.h"
#include "options.h"
#include "seam_test.h"
#include "seamstress.h"

static const char *const order_names[NR_ORDERS] = { "same", "reverse", "shuffled" };
static const char *const pattern_names[NR_PATTERNS] = { "random", "sweep", "chase", "ahead" };

static const char *const release_names[NR_KVM_RELEASES] = { "pre-6.16", "6.16", "6.18", "6.19" };

const char *kvm_release_name(enum kvm_release r)
{
	return r < NR_KVM_RELEASES ? release_names[r] : "?";
}

const char *order_name(enum seam_order o)
{
	return o < NR_ORDERS ? order_names[o] : "?";
}

const char *pattern_name(enum seam_pattern p)
{
	return p < NR_PATTERNS ? pattern_names[p] : "?";
}



bool expect_entry_takes(const char *entry, const char *detector, const char *class)
{
	const char *colon = strchr(entry, ':');
	size_t n = colon ? (size_t)(colon - entry) : strlen(entry);

	if (strlen(detector) != n || strncmp(entry, detector, n))
		return false;
	return !colon || (class && !strcmp(colon + 1, class));
}

/* The list is "detector" or "detector:class" entries, comma-separated. */
bool options_expects_class(const struct seam_opts *o, const char *detector, const char *class)
{
	char buf[sizeof(o->expect)], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", o->expect);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (expect_entry_takes(tok, detector, class))
			return true;
	return false;
}

bool options_expects(const struct seam_opts *o, const char *detector)
{
	return options_expects_class(o, detector, NULL);
}

static bool bad(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return false;
}

/*
 * One reading of numbers for every option: decimal, or hexadecimal after
 * 0x (seeds are printed that way); no sign, no leading blank, no octal
 * (a leading 0 is still decimal), no wrap-around.
 */
static bool parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max,
		      uint64_t *out, char *err, size_t len)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s;
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(digits, &end, hex ? 16 : 10);
	if (!(hex ? isxdigit((unsigned char)*digits) : isdigit((unsigned char)*digits)) ||
	    errno || *end)
		return bad(err, len, "%s: '%s' is not a number; allowed: %" PRIu64 "..%" PRIu64,
			   opt, s, min, max);
	if (v < min || v > max)
		return bad(err, len, "%s: %" PRIu64 " is out of range; allowed: %" PRIu64 "..%" PRIu64,
			   opt, v, min, max);
	*out = v;
	return true;
}

static const struct {
	const char *name;
	enum model_toggle bit;
} model_toggle_names[] = {
	{ "prev-epoch-busy", MODEL_TOGGLE_PREV_EPOCH_BUSY },
	{ "track-kick-nowait", MODEL_TOGGLE_TRACK_KICK_NOWAIT },
	{ "reenter-on-retry", MODEL_TOGGLE_REENTER_ON_RETRY },
	{ "finalize-under-mmu-lock", MODEL_TOGGLE_FINALIZE_MMU_LOCK },
	{ "accept-checks-state-first", MODEL_TOGGLE_ACCEPT_STATE_FIRST },
};
#define NR_MODEL_TOGGLES (sizeof(model_toggle_names) / sizeof(model_toggle_names[0]))

/* --model-toggle: a comma list of single changes to the model. */
static bool parse_toggles(const char *opt, const char *s, struct seam_opts *o, char *err, size_t len)
{
	char buf[160], allowed[160] = "", *tok, *save;
	size_t i, n = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NR_MODEL_TOGGLES && strcmp(tok, model_toggle_names[i].name); i++)
			;
		if (i < NR_MODEL_TOGGLES) {
			o->model_toggles |= model_toggle_names[i].bit;
			continue;
		}
		for (i = 0; i < NR_MODEL_TOGGLES && n < sizeof(allowed); i++)
			n += snprintf(allowed + n, sizeof(allowed) - n, "%s%s", i ? ", " : "",
				      model_toggle_names[i].name);
		return bad(err, len, "%s: '%s' is unknown; allowed: %s", opt, tok, allowed);
	}
	return true;
}

static bool parse_secs(const char *opt, const char *s, double *out, char *err, size_t len)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	/* Plain decimal seconds: no blank, sign, hex float, inf or nan. */
	if (!(isdigit((unsigned char)*s) || *s == '.') || strpbrk(s, "xXpP") ||
	    errno || *end || !(v > 0) || v > 7 * 24 * 3600)
		return bad(err, len, "%s: '%s' is not allowed; allowed: seconds > 0 and <= 604800",
			   opt, s);
	*out = v;
	return true;
}

static bool parse_detectors(const char *opt, const char *s, char *out, size_t outlen,
			    char *err, size_t len)
{
	const struct detector *d;
	char buf[128], *tok, *save;

	if (strlen(s) >= outlen)
		return bad(err, len, "%s: list too long", opt);
	/* An empty element expects nothing: it must not turn a FAIL into a PASS. */
	if (!*s || *s == ',' || s[strlen(s) - 1] == ',' || strstr(s, ",,"))
		return bad(err, len, "%s: '%s' has an empty element; allowed: a comma list of %s",
			   opt, s, detector_expectable_list());
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *class = strchr(tok, ':');

		if (class)
			*class++ = 0;
		d = detector_find(tok);
		if (!d || !d->expectable)
			return bad(err, len, "%s: '%s' is not a detector; allowed: %s", opt, tok,
				   detector_expectable_list());
		/* Only integrity findings have a class (include/tag_class.h). */
		if (class && (strcmp(tok, "integrity") ||
			      (strcmp(class, "torn") && strcmp(class, "stale") &&
			       strcmp(class, "foreign") && strcmp(class, "garbage"))))
			return bad(err, len, "%s: '%s:%s' is not allowed; a class is for integrity only: "
				   "integrity:torn, integrity:stale, integrity:foreign, integrity:garbage",
				   opt, tok, class);
	}
	snprintf(out, outlen, "%s", s);
	return true;
}

static bool parse_size(const char *opt, const char *s, uint64_t *out,
		       char *err, size_t len)
{
	const char *allowed = "a power of 2 from 4K to 2M (e.g. 4K, 64K, 2M)";
	uint64_t v, mult = 1;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end != s && (*end == 'K' || *end == 'k'))
		mult = 1ULL << 10, end++;
	else if (end != s && (*end == 'M' || *end == 'm'))
		mult = 1ULL << 20, end++;
	if (!isdigit((unsigned char)*s) || errno || *end || v > UINT64_MAX / mult)
		return bad(err, len, "%s: '%s' is not a size; allowed: %s", opt, s, allowed);
	v *= mult;
	if (v < SEAM_PAGE_SIZE || v > (2ULL << 20) || (v & (v - 1)))
		return bad(err, len, "%s: %s is not allowed; allowed: %s", opt, s, allowed);
	*out = v;
	return true;
}

static bool parse_name(const char *opt, const char *s, const char *const *names,
		       int n, int *out, char *err, size_t len)
{
	char allowed[128] = "";
	int i;

	for (i = 0; i < n; i++) {
		if (!strcmp(s, names[i])) {
			*out = i;
			return true;
		}
		strcat(allowed, i ? ", " : "");
		strcat(allowed, names[i]);
	}
	return bad(err, len, "%s: '%s' is unknown; allowed: %s", opt, s, allowed);
}

/* --- the option table: every option once ------------------------------ */

enum opt_kind {
	OPT_FLAG,	/* no value: sets a bool */
	OPT_UINT,	/* decimal or 0x hex in [min, max], into a 1-, 4- or 8-byte field */
	OPT_SECS,	/* decimal seconds > 0 */
	OPT_SIZE,	/* 4K..2M, a power of 2 */
	OPT_NAME,	/* one of names[]: its index */
	OPT_STR,	/* kept as given */
	OPT_CUSTOM,	/* parse() and show() */
};

/* An option's flavors (struct opt_desc.only): a mask of enum seam_flavor. */
#define ONLY(f)		(1u << (f))
/* A TD attribute: the two flavors that build a TD. */
#define ONLY_TD		(ONLY(FLAVOR_TDX) | ONLY(FLAVOR_TDX_MODEL))
/* Host threads and the fault tracer of a real KVM: every flavor but the model. */
#define ONLY_KVM	(ONLY(FLAVOR_TDX) | ONLY(FLAVOR_SW_PROTECTED) | ONLY(FLAVOR_GMEM_SHARED) | \
			 ONLY(FLAVOR_ANON) | ONLY(FLAVOR_TD_IMAGE))
/*
 * The workload's threads and chaos (placement, punches, conversions, kicks,
 * injections): every flavor but td_image, which boots each vCPU to its
 * first TDCALL, one after another in the worker, and stops.
 */
#define ONLY_WORKLOAD	(ONLY(FLAVOR_TDX) | ONLY(FLAVOR_SW_PROTECTED) | ONLY(FLAVOR_GMEM_SHARED) | \
			 ONLY(FLAVOR_ANON) | ONLY(FLAVOR_TDX_MODEL))
/*
 * A region the host maps beside the guest, to write into (--inject-*) or
 * read (--host-reader): tdx and sw_protected keep it in private
 * guest_memfd the host does not map (lib/tdx_vm.c
 * region_add_gmem_private(); upstream offers INIT_SHARED to no VM with
 * private memory, docs/tdx-kvm-abi.md §1.1), and the model keeps no
 * contents at all.
 */
#define ONLY_HOST_MAPPED	(ONLY(FLAVOR_GMEM_SHARED) | ONLY(FLAVOR_ANON))
/* The flavors auto picks from (flavor_pick_auto()). */
#define ONLY_AUTO_PICKS	(ONLY(FLAVOR_TDX) | ONLY(FLAVOR_SW_PROTECTED) | ONLY(FLAVOR_GMEM_SHARED) | \
			 ONLY(FLAVOR_ANON))

/* When the reproduce line carries the option. */
enum opt_repro {
	REPRO_ALWAYS,	/* every line: the run's shape */
	REPRO_SET,	/* when it differs from every test's defaults */
	REPRO_NEVER,	/* output and help, not the run */
};

struct opt_desc {
	const char *name;
	int short_name;			/* 0: long only */
	const char *metavar;		/* NULL: a flag */
	enum opt_kind kind;
	size_t off, size;		/* the field of struct seam_opts */
	uint64_t min, max;		/* OPT_UINT */
	const char *const *names;	/* OPT_NAME */
	int nr_names;
	bool (*parse)(const char *label, const char *arg, struct seam_opts *o, char *err, size_t len);
	/* Append the option as the reproduce line has it; OPT_CUSTOM and exceptions. */
	int (*show)(const struct opt_desc *d, const struct seam_opts *o, char *buf, size_t len);
	enum opt_repro repro;
	uint32_t only;			/* ONLY() of the flavors that honour it; 0: every flavor */
	bool no_default;		/* the help names no default (it says what 0 or unset means) */
	const char *help;
	const char *(*allowed)(void);	/* appended to the help: "; one of ..." */
	/* Every test's default, as an option value; NULL: zero, unset, off. */
	const char *def;
	/* A valid value other than every default, for the round-trip test. */
	const char *example;
};

#define FIELD(f)	.off = offsetof(struct seam_opts, f), .size = sizeof(((struct seam_opts *)0)->f)

static const char *const sched_names[] = { "threads", "seeded" };
static const char *const store_names[] = { "plain", "locked" };

static bool parse_flavor(const char *label, const char *arg, struct seam_opts *o, char *err,
			 size_t len)
{
	if (!flavor_parse(arg, &o->flavor))
		return bad(err, len, "%s: '%s' is unknown; allowed: %s", label, arg, flavor_names());
	return true;
}

static bool parse_seed(const char *label, const char *arg, struct seam_opts *o, char *err,
		       size_t len)
{
	if (!parse_u64(label, arg, 0, UINT64_MAX, &o->seed, err, len))
		return false;
	o->seed_given = true;
	return true;
}

static bool parse_expect(const char *label, const char *arg, struct seam_opts *o, char *err,
			 size_t len)
{
	return parse_detectors(label, arg, o->expect, sizeof(o->expect), err, len);
}

static bool parse_gpaw(const char *label, const char *arg, struct seam_opts *o, char *err,
		       size_t len)
{
	if (strcmp(arg, "48") && strcmp(arg, "52"))
		return bad(err, len, "%s: '%s' is not allowed; allowed: 48, 52 (52 needs 5-level EPT)",
			   label, arg);
	o->td_gpaw = atoi(arg);
	return true;
}

static bool parse_width(const char *label, const char *arg, struct seam_opts *o, char *err,
			size_t len)
{
	if (strcmp(arg, "8") && strcmp(arg, "4") && strcmp(arg, "2"))
		return bad(err, len, "%s: '%s' is not an access width; allowed: 8, 4, 2", label, arg);
	o->access_width = arg[0] - '0';
	return true;
}

static bool parse_toggle_list(const char *label, const char *arg, struct seam_opts *o,
			      char *err, size_t len)
{
	return parse_toggles(label, arg, o, err, len);
}

static int show_flavor(const struct opt_desc *d, const struct seam_opts *o, char *buf, size_t len)
{
	return snprintf(buf, len, " -f %s", flavor_name(o->flavor));
}

static int show_seed(const struct opt_desc *d, const struct seam_opts *o, char *buf, size_t len)
{
	return snprintf(buf, len, " -s 0x%llx", (unsigned long long)o->seed);
}

/* A run is -d or -i, never both. */
static int show_duration(const struct opt_desc *d, const struct seam_opts *o, char *buf, size_t len)
{
	return o->sweeps ? 0 : snprintf(buf, len, " -d %g", o->duration_s);
}

static int show_expect(const struct opt_desc *d, const struct seam_opts *o, char *buf, size_t len)
{
	return o->expect[0] ? snprintf(buf, len, " --expect %s", o->expect) : 0;
}

static int show_gpaw(const struct opt_desc *d, const struct seam_opts *o, char *buf, size_t len)
{
	return o->td_gpaw != 48 ? snprintf(buf, len, " --td-gpaw %u", o->td_gpaw) : 0;
}

static int show_width(const struct opt_desc *d, const struct seam_opts *o, char *buf, size_t len)
{
	return o->access_width != 8 ? snprintf(buf, len, " --access-width %u", o->access_width) : 0;
}

/* One --model-toggle per change, as they are read back. */
static int show_toggles(const struct opt_desc *d, const struct seam_opts *o, char *buf, size_t len)
{
	size_t i;
	int n = 0;

	for (i = 0; i < NR_MODEL_TOGGLES; i++)
		if ((o->model_toggles & model_toggle_names[i].bit) && (size_t)n < len)
			n += snprintf(buf + n, len - n, " --model-toggle %s", model_toggle_names[i].name);
	return n;
}

static const struct opt_desc opt_table[] = {
	{ "flavor", 'f', "NAME", OPT_CUSTOM, FIELD(flavor), .parse = parse_flavor,
	  .show = show_flavor, .repro = REPRO_ALWAYS, .allowed = flavor_names,
	  .def = "auto", .help = "how the VM is built (auto: the strongest this host has)", .example = "anon" },
	{ "vcpus", 'v', "N", OPT_UINT, FIELD(vcpus), 1, SEAM_MAX_VCPUS, .repro = REPRO_ALWAYS,
	  .def = "2", .help = "vCPUs sweeping the contended pages", .example = "3" },
	{ "pages", 'n', "N", OPT_UINT, FIELD(pages), 1, SEAM_MAX_PAGES, .repro = REPRO_ALWAYS,
	  .def = "512", .help = "contended 4 KiB pages", .example = "77" },
	{ "duration", 'd', "SECS", OPT_SECS, FIELD(duration_s), .show = show_duration,
	  .repro = REPRO_ALWAYS, .def = "5", .help = "run time, fractions allowed", .example = "2.5" },
	{ "sweeps", 'i', "N", OPT_UINT, FIELD(sweeps), 1, UINT32_MAX - 2, .repro = REPRO_SET,
	  .no_default = true, .help = "run until every vCPU completed N sweeps (instead of -d)" },
	{ "punchers", 'p', "N", OPT_UINT, FIELD(punchers), 0, SEAM_MAX_PUNCHERS,
	  .repro = REPRO_ALWAYS, .only = ONLY_WORKLOAD, .def = "1", .help = "host chaos threads (the test's punch or conversion)",
	  .example = "2" },
	{ "punch-size", 'b', "SIZE", OPT_SIZE, FIELD(punch_size), .repro = REPRO_ALWAYS, .only = ONLY_WORKLOAD,
	  .def = "4K", .help = "bytes per chaos operation, a power of 2 from 4K to 2M", .example = "8K" },
	{ "pattern", 'P', "NAME", OPT_NAME, FIELD(pattern), .names = pattern_names,
	  .nr_names = NR_PATTERNS, .repro = REPRO_ALWAYS, .only = ONLY_WORKLOAD,
	  .def = "random", .help = "the chunk a puncher picks: random, sweep, chase (the page a vCPU is on) "
		  "or ahead (the page it touches next)", .example = "sweep" },
	{ "order", 'o', "NAME", OPT_NAME, FIELD(order), .names = order_names, .nr_names = NR_ORDERS,
	  .repro = REPRO_ALWAYS, .def = "shuffled", .help = "vCPU sweep order: same, reverse or shuffled",
	  .example = "same" },
	{ "seed", 's', "N", OPT_CUSTOM, FIELD(seed), .parse = parse_seed, .show = show_seed,
	  .repro = REPRO_ALWAYS, .no_default = true,
	  .help = "seed of every random choice (default: from the clock, printed)", .example = "99" },
	{ "json", 'j', "FILE", OPT_STR, FIELD(json), .repro = REPRO_NEVER,
	  .help = "write the JSON report to FILE" },
	{ "cpus", 0, "LIST", OPT_STR, FIELD(cpus), .repro = REPRO_SET, .only = ONLY_KVM & ONLY_WORKLOAD,
	  .help = "place vCPU and host threads round-robin on these CPUs (libnuma syntax)",
	  .example = "0" },
	{ "nodes", 0, "LIST", OPT_STR, FIELD(nodes), .repro = REPRO_SET, .only = ONLY_KVM & ONLY_WORKLOAD,
	  .help = "place threads on the CPUs of these NUMA nodes" },
	{ "burst", 0, "N", OPT_UINT, FIELD(burst), 0, SEAM_MAX_PAGES, .repro = REPRO_ALWAYS,
	  .help = "guest exits to the host every N pages (0: once a sweep)", .example = "3" },
	{ "punch-rate", 0, "HZ", OPT_UINT, FIELD(punch_hz), 0, 1000000, .repro = REPRO_SET,
	  .only = ONLY_KVM & ONLY_WORKLOAD, .help = "each puncher does at most HZ chaos operations a second (0: as "
		  "fast as it can)", .example = "200" },
	{ "kick-rate", 0, "HZ", OPT_UINT, FIELD(kick_hz), 0, 1000000, .repro = REPRO_ALWAYS, .only = ONLY_WORKLOAD,
	  .help = "kick each vCPU out of KVM_RUN HZ times a second", .example = "50" },
	{ "accept", 0, NULL, OPT_FLAG, FIELD(accept), .repro = REPRO_SET,
	  .help = "accept each page right before touching it" },
	{ "deadline", 'W', "SECS", OPT_SECS, FIELD(deadline_s), .repro = REPRO_ALWAYS,
	  .def = "10", .help = "watchdog: an operation or a vCPU without progress this long is hung",
	  .example = "2.5" },
	{ "zero-step", 0, "N", OPT_UINT, FIELD(zero_step), 2, 1000000, .repro = REPRO_SET, .only = ONLY_KVM,
	  .no_default = true, .help = "a fault streak of N at one place (one instruction on one "
		  "page) is a zero_step finding on every flavor (default: 7, a finding on tdx, "
		  "where the module acts on it, measured elsewhere)", .example = "9" },
	{ "expect", 0, "LIST", OPT_CUSTOM, FIELD(expect), .parse = parse_expect,
	  .show = show_expect, .repro = REPRO_SET, .no_default = true,
	  .allowed = detector_expectable_list,
	  .help = "detectors that must fire (a reproducer): the run passes only if they did and "
		  "nothing else did; integrity:CLASS asks for one class (torn, stale, foreign, "
		  "garbage)", .example = "hung,zero_step" },
	{ "no-trace", 0, NULL, OPT_FLAG, FIELD(no_trace), .repro = REPRO_SET,
	  .help = "no tracefs instance and no probes" },
	{ "td-gpaw", 0, "N", OPT_CUSTOM, FIELD(td_gpaw), .parse = parse_gpaw, .show = show_gpaw,
	  .repro = REPRO_SET, .only = ONLY(FLAVOR_TDX) | ONLY(FLAVOR_TD_IMAGE), .def = "48", .help = "tdx: guest physical address width, 48 or 52", .example = "52" },
	{ "td-sept-ve", 0, NULL, OPT_FLAG, FIELD(td_sept_ve), .repro = REPRO_SET, .only = ONLY_TD,
	  .help = "tdx, tdx_model: leave SEPT_VE_DISABLE clear even without punchers: a "
		  "pending page is a #VE the guest accepts (default: clear with punchers, "
		  "set without)" },
	{ "td-no-sept-ve", 0, NULL, OPT_FLAG, FIELD(td_no_sept_ve), .repro = REPRO_SET, .only = ONLY_TD,
	  .help = "tdx, tdx_model: set SEPT_VE_DISABLE even with punchers: a punch between "
		  "the guest's ACCEPT and its store kills the TD" },
	{ "accept-2m", 0, NULL, OPT_FLAG, FIELD(accept_2m), .repro = REPRO_SET, .only = ONLY(FLAVOR_TDX),
	  .help = "tdx: try each ACCEPT at 2M first, as Linux does, then 4K; KVM maps a "
		  "TD's private memory at 4K, so expect every 2M try to fall back "
		  "(counted: accept_2m_ok, accept_2m_fallback)" },
	{ "kvm-release", 0, "R", OPT_NAME, FIELD(kvm_release), .names = release_names,
	  .nr_names = NR_KVM_RELEASES, .repro = REPRO_ALWAYS, .only = ONLY(FLAVOR_TDX_MODEL),
	  .def = "6.19", .help = "tdx_model: KVM's handling as of pre-6.16, 6.16, 6.18 or 6.19", .example = "6.16" },
	{ "sched", 0, "S", OPT_NAME, FIELD(sched_seeded), .names = sched_names, .nr_names = 2,
	  .repro = REPRO_ALWAYS, .only = ONLY(FLAVOR_TDX_MODEL),
	  .help = "tdx_model: threads or seeded (a replayable interleaving)", .example = "seeded" },
	{ "model-steps", 0, "N", OPT_UINT, FIELD(model_steps), 100, 1ULL << 40, .repro = REPRO_SET, .only = ONLY(FLAVOR_TDX_MODEL),
	  .no_default = true, .help = "tdx_model: stop after N scheduling points", .example = "500" },
	{ "model-toggle", 0, "T", OPT_CUSTOM, FIELD(model_toggles), .parse = parse_toggle_list,
	  .show = show_toggles, .repro = REPRO_SET, .only = ONLY(FLAVOR_TDX_MODEL), .no_default = true,
	  .help = "tdx_model, changes (a comma list, repeatable): prev-epoch-busy (treat "
		  "PREVIOUS_TLB_EPOCH_BUSY as busy), track-kick-nowait (tdx_track() kicks vCPUs "
		  "without waiting), reenter-on-retry (RET_PF_RETRY re-enters the guest, as before "
		  "6.16), finalize-under-mmu-lock (KVM_TDX_FINALIZE_VM holds mmu_lock for write), "
		  "accept-checks-state-first (module: ACCEPT exits on a non-pending entry before "
		  "locking it)", .example = "reenter-on-retry,prev-epoch-busy" },
	{ "model-skip-accept", 0, NULL, OPT_FLAG, FIELD(model_skip_accept), .repro = REPRO_SET, .only = ONLY(FLAVOR_TDX_MODEL),
	  .help = "tdx_model: the guest touches without accepting (bug 4)" },
	{ "model-vcpu-init-race", 0, NULL, OPT_FLAG, FIELD(model_vcpu_init_race),
	  .repro = REPRO_SET, .only = ONLY(FLAVOR_TDX_MODEL), .help = "tdx_model: vCPUs are initialized while punchers run (bug 9)" },
	{ "model-td-build-race", 0, NULL, OPT_FLAG, FIELD(model_td_build_race), .repro = REPRO_SET, .only = ONLY(FLAVOR_TDX_MODEL),
	  .help = "tdx_model: vCPUs 1.. are created and initialized while the image is added, "
		  "measured and finalized (bug 10)" },
	{ "model-memslot-churn", 0, NULL, OPT_FLAG, FIELD(model_memslot_churn), .repro = REPRO_SET, .only = ONLY(FLAVOR_TDX_MODEL),
	  .help = "tdx_model: a host thread deletes the guest memory's memslot and creates it "
		  "again, over and over, while the vCPUs fault (bug 8)" },
	{ "model-shared-pages", 0, "N", OPT_UINT, FIELD(model_shared_pages), 0, 1ULL << 32,
	  .repro = REPRO_SET, .only = ONLY(FLAVOR_TDX_MODEL), .help = "tdx_model: pages 0..N-1 start shared "
	  "(KVM_SET_MEMORY_ATTRIBUTES), though the guest uses them as private: its first "
	  "touch of each is KVM_EXIT_MEMORY_FAULT (bug 7)", .example = "1" },
	{ "model-ignore-memory-fault", 0, NULL, OPT_FLAG, FIELD(model_ignore_memory_fault),
	  .repro = REPRO_SET, .only = ONLY(FLAVOR_TDX_MODEL), .help = "tdx_model: the VMM answers KVM_EXIT_MEMORY_FAULT by "
	  "running the vCPU again without converting the page (bug 7)" },
	{ "model-insn-pages", 0, "N", OPT_UINT, FIELD(model_insn_pages), 1, SEAM_MODEL_MAX_INSN_PAGES, .repro = REPRO_SET, .only = ONLY(FLAVOR_TDX_MODEL),
	  .def = "1", .help = "tdx_model: each guest store instruction spans N pages (a rep movs "
	  "that resumes at one RIP: the zero-step count is per RIP, not per page)",
	  .example = "7" },
	{ "model-uret-neighbour", 0, NULL, OPT_FLAG, FIELD(model_uret_neighbour),
	  .repro = REPRO_SET, .only = ONLY(FLAVOR_TDX_MODEL), .help = "tdx_model: another VM's vCPU "
	  "shares CPU 0 with TD vCPU 0, and its user-return MSRs (bug 13)" },
	{ "store", 0, "KIND", OPT_NAME, FIELD(locked_store), .names = store_names, .nr_names = 2,
	  .repro = REPRO_SET,
	  .help = "how the guest stores its tags: plain (a mov) or locked (xchg); an emulating "
		  "host has torn both (docs/findings.md)", .example = "locked" },
	{ "access-width", 0, "N", OPT_CUSTOM, FIELD(access_width), .parse = parse_width,
	  .show = show_width, .repro = REPRO_SET,
	  .def = "8", .help = "bytes per guest access of its slot: 8, 4 or 2", .example = "4" },
	{ "host-reader", 0, NULL, OPT_FLAG, FIELD(host_reader), .repro = REPRO_SET, .only = ONLY_HOST_MAPPED,
	  .help = "a host thread keeps reading every slot through the host mapping" },
	{ "widen", 0, NULL, OPT_FLAG, FIELD(widen), .repro = REPRO_SET, .only = ONLY_WORKLOAD,
	  .help = "with -P chase: time each punch to a vCPU's move to its next page, delays drawn "
		  "where punches collided before (fuzzy sync)" },
	{ "known-issues", 0, "FILE", OPT_STR, FIELD(known_issues), .repro = REPRO_SET,
	  .help = "findings that match an entry of FILE are XFAIL (exit 2), not FAIL (default: "
		  "the shipped configs/known-issues; 'none' for no file)",
	  .example = "tests/fixtures/known-issues/torn-anywhere" },
	{ "inject-corruption", 0, NULL, OPT_FLAG, FIELD(inject_corruption), .repro = REPRO_SET, .only = ONLY_HOST_MAPPED,
	  .help = "test only: a host thread writes a foreign value; the run must FAIL" },
	{ "inject-tear", 0, NULL, OPT_FLAG, FIELD(inject_tear), .repro = REPRO_SET, .only = ONLY_HOST_MAPPED,
	  .help = "test only: a host thread zeroes byte 0 of vCPU 0's tag in page 0, as a torn "
		  "store would: an integrity finding of class torn" },
	{ "inject-stall", 0, "SECS", OPT_SECS, FIELD(inject_stall_s), .repro = REPRO_SET, .only = ONLY_WORKLOAD,
	  .no_default = true,
	  .help = "test only: puncher 0 stalls in one operation; the watchdog must fire",
	  .example = "1" },
	{ "version", 0, NULL, OPT_FLAG, .repro = REPRO_NEVER,
	  .help = "print the seamstress version (git describe) and exit" },
	{ "help", 'h', NULL, OPT_FLAG, .repro = REPRO_NEVER, .help = "this text" },
};
#define NR_OPTS (sizeof(opt_table) / sizeof(opt_table[0]))

/* getopt_long's view of the table, built once. */
static struct option long_opts[NR_OPTS + 1];
static char short_opts[2 * NR_OPTS + 2];

static void getopt_tables(void)
{
	size_t i, n = 0;

	if (long_opts[0].name)
		return;
	/* ':' first: a missing value is reported as such. */
	short_opts[n++] = ':';
	for (i = 0; i < NR_OPTS; i++) {
		const struct opt_desc *d = &opt_table[i];

		/* Long-only options are told apart by their index above 255. */
		long_opts[i] = (struct option){ d->name, d->metavar ? required_argument : no_argument,
						NULL, d->short_name ? d->short_name : 256 + (int)i };
		if (d->short_name) {
			short_opts[n++] = d->short_name;
			if (d->metavar)
				short_opts[n++] = ':';
		}
	}
}

static const struct opt_desc *opt_of(int c)
{
	size_t i;

	if (c >= 256)
		return (size_t)(c - 256) < NR_OPTS ? &opt_table[c - 256] : NULL;
	for (i = 0; i < NR_OPTS; i++)
		if (opt_table[i].short_name == c)
			return &opt_table[i];
	return NULL;
}

/* The name the user typed, for error messages: "-v/--vcpus" or "--burst". */
static void opt_label(const struct opt_desc *d, int c, char *buf, size_t len)
{
	if (!d)
		snprintf(buf, len, "-%c", c);
	else if (d->short_name)
		snprintf(buf, len, "-%c/--%s", d->short_name, d->name);
	else
		snprintf(buf, len, "--%s", d->name);
}

/* Scenario keys are the long options, but for the report's own and help. */
static bool key_is_option(const struct opt_desc *d)
{
	return strcmp(d->name, "help") && strcmp(d->name, "json") && strcmp(d->name, "version");
}

bool options_key_known(const char *key, bool *takes_value)
{
	size_t i;

	for (i = 0; i < NR_OPTS; i++) {
		if (!strcmp(opt_table[i].name, key) && key_is_option(&opt_table[i])) {
			*takes_value = opt_table[i].metavar;
			return true;
		}
	}
	return false;
}

/* The first flavor of an ONLY() mask. */
static enum seam_flavor only_first(uint32_t only)
{
	return __builtin_ctz(only);
}

const char *options_key_flavor(const char *key)
{
	size_t i;

	for (i = 0; i < NR_OPTS; i++)
		if (!strcmp(opt_table[i].name, key) && opt_table[i].only)
			return flavor_name(only_first(opt_table[i].only));
	return NULL;
}

/*
 * Whether @o's flavor honours @d.  Auto honours what a flavor it may pick
 * does (never tdx_model or td_image): tdx where the host has TDX, and a
 * host-mapped option where it picks gmem_shared or anon; where the pick
 * keeps its region private, that run SKIPs saying so
 * (lib/run/stress_run.c).
 */
static bool flavor_honours(const struct opt_desc *d, const struct seam_opts *o)
{
	return !d->only || (d->only & ONLY(o->flavor)) ||
	       (o->flavor == FLAVOR_AUTO && (d->only & ONLY_AUTO_PICKS));
}

/* "tdx_model does", "tdx and tdx_model do". */
static void only_names(uint32_t only, char *buf, size_t len)
{
	int f, n = 0, count = __builtin_popcount(only);
	size_t pos = 0;

	buf[0] = 0;
	for (f = 0; f < 32 && pos < len; f++) {
		if (!(only & ONLY(f)))
			continue;
		pos += snprintf(buf + pos, len - pos, "%s%s", n ? (n == count - 1 ? " and " : ", ") : "",
				flavor_name(f));
		n++;
	}
	if (pos < len)
		snprintf(buf + pos, len - pos, count > 1 ? " do" : " does");
}

const char *options_key_list(void)
{
	static char list[1024];
	size_t i, n = 0;

	if (list[0])
		return list;
	for (i = 0; i < NR_OPTS && n < sizeof(list); i++)
		if (key_is_option(&opt_table[i]))
			n += snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "",
				      opt_table[i].name);
	return list;
}

static void *field_of(struct seam_opts *o, const struct opt_desc *d)
{
	return (char *)o + d->off;
}

static const void *cfield_of(const struct seam_opts *o, const struct opt_desc *d)
{
	return (const char *)o + d->off;
}

static uint64_t uint_get(const struct seam_opts *o, const struct opt_desc *d)
{
	const void *p = cfield_of(o, d);

	switch (d->size) {
	case 1:
		return *(const uint8_t *)p;
	case 4:
		return *(const uint32_t *)p;
	default:
		return *(const uint64_t *)p;
	}
}

static void uint_set(struct seam_opts *o, const struct opt_desc *d, uint64_t v)
{
	void *p = field_of(o, d);

	switch (d->size) {
	case 1:
		*(uint8_t *)p = v;
		break;
	case 4:
		*(uint32_t *)p = v;
		break;
	default:
		*(uint64_t *)p = v;
	}
}

/* One option's value into @o. */
static bool opt_apply(const struct opt_desc *d, const char *label, const char *arg,
		      struct seam_opts *o, char *err, size_t len)
{
	uint64_t v;
	int idx = 0;

	switch (d->kind) {
	case OPT_FLAG:
		uint_set(o, d, 1);
		return true;
	case OPT_UINT:
		if (!parse_u64(label, arg, d->min, d->max, &v, err, len))
			return false;
		uint_set(o, d, v);
		return true;
	case OPT_SECS:
		return parse_secs(label, arg, field_of(o, d), err, len);
	case OPT_SIZE:
		return parse_size(label, arg, field_of(o, d), err, len);
	case OPT_NAME:
		if (!parse_name(label, arg, d->names, d->nr_names, &idx, err, len))
			return false;
		uint_set(o, d, idx);
		return true;
	case OPT_STR:
		*(const char **)field_of(o, d) = arg;
		return true;
	case OPT_CUSTOM:
		return d->parse(label, arg, o, err, len);
	}
	return false;
}

static bool differs(const struct opt_desc *d, const struct seam_opts *a, const struct seam_opts *b)
{
	if (d->kind == OPT_STR)
		return *(const char *const *)cfield_of(a, d) != NULL;
	return memcmp(cfield_of(a, d), cfield_of(b, d), d->size);
}

static enum seam_opts_result parse_words(struct seam_opts *o, int argc, char **argv,
					 char *err, size_t errlen, bool *duration_given);
static int test_argv(const struct seam_test *t, char **argv, int max, char *err, size_t len);

/* The options a run of @t starts from: the table's defaults, then @t's. */
static bool test_defaults_of(const struct seam_test *t, struct seam_opts *d, char *err, size_t len)
{
	char *argv[32];
	bool duration_given = false;
	int argc;

	options_defaults(d);
	if (!t)
		return true;
	argc = test_argv(t, argv, sizeof(argv) / sizeof(argv[0]), err, len);
	return argc > 0 && parse_words(d, argc, argv, err, len, &duration_given) == OPTS_OK;
}

/*
 * Every test's option rules beyond one value: the options that exclude
 * each other, and the ones a flavor cannot honour.
 */
static bool opts_consistent(const struct seam_opts *o, bool duration_given, char *err, size_t len)
{
	struct seam_opts defaults;
	size_t i;

	/*
	 * An option of one flavor's, set on another, would be ignored: say so.
	 * Set means other than the test's defaults (remove_vs_enter's kicks
	 * are the test's, not the command line's).
	 */
	if (!test_defaults_of(o->test, &defaults, err, len))
		return false;
	for (i = 0; i < NR_OPTS; i++)
		if (!flavor_honours(&opt_table[i], o) && differs(&opt_table[i], o, &defaults)) {
			char names[96];

			only_names(opt_table[i].only, names, sizeof(names));
			return bad(err, len, "--%s: flavor %s does not honour it (only %s)",
				   opt_table[i].name, flavor_name(o->flavor), names);
		}
	if (duration_given && o->sweeps)
		return bad(err, len, "-d/--duration and -i/--sweeps exclude each other; give one");
	if (o->cpus && o->nodes)
		return bad(err, len, "--cpus and --nodes exclude each other; give one");
	if (o->inject_corruption && o->inject_tear)
		return bad(err, len, "--inject-corruption and --inject-tear exclude each other; give one");
	if (o->td_sept_ve && o->td_no_sept_ve)
		return bad(err, len, "--td-sept-ve and --td-no-sept-ve exclude each other; give one");
	/* The widening puncher times itself to the page a vCPU moves to. */
	if (o->widen && o->pattern != PATTERN_CHASE)
		return bad(err, len, "--widen: needs -P/--pattern chase (it punches the page a vCPU has just moved to), not %s",
			   pattern_name(o->pattern));
	if (o->flavor == FLAVOR_TDX_MODEL && o->widen)
		return bad(err, len, "--widen: flavor tdx_model does not honour it (the model's time is scheduling points)");
	/*
	 * The model runs the test's page step, but has no memory contents and
	 * so no tags: it cannot vary slot accesses (nor take an injected
	 * value: ONLY_HOST_MAPPED above).  Say so instead of
	 * ignoring the option.
	 */
	if (o->flavor == FLAVOR_TDX_MODEL && (o->access_width != 8 || o->locked_store))
		return bad(err, len, "%s: flavor tdx_model does not honour it (the model keeps no memory contents, so no tags)",
			   o->access_width != 8 ? "--access-width" : "--store");
	/* kvm_model_zap() and the conversions invalidate one page each. */
	if (o->flavor == FLAVOR_TDX_MODEL && o->punch_size != SEAM_PAGE_SIZE)
		return bad(err, len, "-b/--punch-size: flavor tdx_model does not honour it (the model's invalidations are page-sized)");
	if (o->model_shared_pages > o->pages)
		return bad(err, len, "--model-shared-pages: %llu exceeds the %llu pages of the region (-n)",
			   (unsigned long long)o->model_shared_pages, (unsigned long long)o->pages);
	if (o->punch_size > o->pages * SEAM_PAGE_SIZE)
		return bad(err, len, "-b/--punch-size: %llu bytes exceeds the %llu-byte region (-n)",
			   (unsigned long long)o->punch_size,
			   (unsigned long long)(o->pages * SEAM_PAGE_SIZE));
	return true;
}

bool options_td_sept_ve(const struct seam_opts *o)
{
	if (o->td_sept_ve || o->td_no_sept_ve)
		return o->td_sept_ve;
	return o->punchers > 0 || o->model_memslot_churn || (o->test && o->test->guest_converts);
}

void options_defaults(struct seam_opts *o)
{
	char label[40], err[256];
	size_t i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < NR_OPTS; i++) {
		if (!opt_table[i].def)
			continue;
		opt_label(&opt_table[i], 0, label, sizeof(label));
		/* The table's own values: one that does not parse is this file's bug. */
		if (!opt_apply(&opt_table[i], label, opt_table[i].def, o, err, sizeof(err)))
			abort();
	}
}

/* Apply @argv to @o, each value checked alone; *duration_given when -d was. */
static enum seam_opts_result parse_words(struct seam_opts *o, int argc, char **argv,
					 char *err, size_t errlen, bool *duration_given)
{
	const struct opt_desc *d;
	char label[40];
	int c;

	getopt_tables();
	/*
	 * 0, not 1: glibc then forgets a scan that stopped inside an argument
	 * (an error in "-b...", say), which would otherwise carry into the
	 * next vector: every scenario key is parsed on its own.
	 */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		if (c == ':') {
			opt_label(opt_of(optopt), optopt, label, sizeof(label));
			return bad(err, errlen, "%s needs a value (see -h)", label), OPTS_USAGE;
		}
		d = c == '?' ? NULL : opt_of(c);
		if (!d) {
			if (optopt)
				return bad(err, errlen, "-%c is not an option (see -h)", optopt), OPTS_USAGE;
			return bad(err, errlen, "'%s' is not an option (see -h)",
				   argv[optind - 1]), OPTS_USAGE;
		}
		if (!strcmp(d->name, "help"))
			return OPTS_HELP;
		if (!strcmp(d->name, "version"))
			return OPTS_VERSION;
		opt_label(d, c, label, sizeof(label));
		if (!opt_apply(d, label, optarg, o, err, errlen))
			return OPTS_USAGE;
		*duration_given |= d->off == offsetof(struct seam_opts, duration_s);
	}
	if (optind < argc)
		return bad(err, errlen, "unexpected argument '%s' (see -h)", argv[optind]), OPTS_USAGE;
	return OPTS_OK;
}

enum seam_opts_result options_parse(struct seam_opts *o, int argc, char **argv,
				    char *err, size_t errlen)
{
	bool duration_given = false;
	enum seam_opts_result r;

	r = parse_words(o, argc, argv, err, errlen, &duration_given);
	if (r != OPTS_OK)
		return r;
	return opts_consistent(o, duration_given, err, errlen) ? OPTS_OK : OPTS_USAGE;
}

/* The value of @d in @o as an option's argument: "8K", "2.5", "chase". */
static void value_format(const struct opt_desc *d, const struct seam_opts *o, char *buf, size_t len)
{
	uint64_t v;

	buf[0] = 0;
	switch (d->kind) {
	case OPT_UINT:
		snprintf(buf, len, "%llu", (unsigned long long)uint_get(o, d));
		break;
	case OPT_SECS:
		snprintf(buf, len, "%g", *(const double *)cfield_of(o, d));
		break;
	case OPT_SIZE:
		size_format(*(const uint64_t *)cfield_of(o, d), buf, len);
		break;
	case OPT_NAME:
		v = uint_get(o, d);
		snprintf(buf, len, "%s", v < (uint64_t)d->nr_names ? d->names[v] : "?");
		break;
	case OPT_STR:
		if (*(const char *const *)cfield_of(o, d))
			snprintf(buf, len, "%s", *(const char *const *)cfield_of(o, d));
		break;
	case OPT_FLAG:
	case OPT_CUSTOM:
		break;
	}
}


/* Append @d as the reproduce line has it (nothing when it need not be there). */
static int opt_show(const struct opt_desc *d, const struct seam_opts *o,
		    const struct seam_opts *defaults, char *buf, size_t len)
{
	char v[160];

	if (d->repro == REPRO_NEVER || !flavor_honours(d, o))
		return 0;
	if (d->repro == REPRO_SET && !differs(d, o, defaults))
		return 0;
	if (d->show)
		return d->show(d, o, buf, len);
	if (d->kind == OPT_FLAG)
		return uint_get(o, d) ? snprintf(buf, len, " --%s", d->name) : 0;
	value_format(d, o, v, sizeof(v));
	if (d->short_name)
		return snprintf(buf, len, " -%c %s", d->short_name, v);
	return snprintf(buf, len, " --%s %s", d->name, v);
}

void options_reproduce(const struct seam_opts *o, const char *argv0, char *buf, size_t len)
{
	struct seam_opts defaults;
	size_t i, n;

	options_defaults(&defaults);
	n = snprintf(buf, len, "%s", argv0);
	for (i = 0; i < NR_OPTS && n < len; i++)
		n += opt_show(&opt_table[i], o, &defaults, buf + n, len - n);
}

/* Print @text from column @col, wrapped before column 80. */
static void help_wrap(FILE *out, const char *text, int col)
{
	const char *p = text, *sp;
	int at = col, w;

	while (*p) {
		sp = strchr(p, ' ');
		w = sp ? (int)(sp - p) : (int)strlen(p);
		if (at > col && at + 1 + w >= 80) {
			fprintf(out, "\n%*s", col, "");
			at = col;
		} else if (at > col) {
			fputc(' ', out);
			at++;
		}
		fprintf(out, "%.*s", w, p);
		at += w;
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}

/*
 * One option's help: its names, then the text, the range, the allowed
 * values and the default of @o (this test's defaults).
 */
static void opt_help(const struct opt_desc *d, const struct seam_opts *o,
		     const struct seam_opts *defaults, FILE *out)
{
	char left[64], text[1024], v[160];
	int n;

	snprintf(left, sizeof(left), "  %c%c%s --%s%s%s", d->short_name ? '-' : ' ',
		 d->short_name ? d->short_name : ' ', d->short_name ? "," : " ", d->name,
		 d->metavar ? " " : "", d->metavar ? d->metavar : "");
	n = snprintf(text, sizeof(text), "%s", d->help);
	if (d->kind == OPT_UINT)
		n += snprintf(text + n, sizeof(text) - n, ", %llu..%llu",
			      (unsigned long long)d->min, (unsigned long long)d->max);
	if (d->allowed)
		n += snprintf(text + n, sizeof(text) - n, "; allowed: %s", d->allowed());
	value_format(d, o, v, sizeof(v));
	/* A custom value has no formatter: while it is the table's, its words say it. */
	if (d->kind == OPT_CUSTOM && d->def && !differs(d, o, defaults))
		snprintf(v, sizeof(v), "%s", d->def);
	if (!d->no_default && d->repro != REPRO_NEVER && v[0])
		snprintf(text + n, sizeof(text) - n, " (default %s)", v);
	fprintf(out, "%-25s", left);
	if (strlen(left) > 24)
		fprintf(out, " ");
	help_wrap(out, text, strlen(left) > 24 ? (int)strlen(left) + 1 : 25);
}

void options_help(const struct seam_opts *o, FILE *out)
{
	struct seam_opts defaults;
	size_t i;

	options_defaults(&defaults);
	fprintf(out, "usage: %s [options]\n", o->test ? o->test->name : "TEST");
	for (i = 0; i < NR_OPTS; i++)
		opt_help(&opt_table[i], o, &defaults, out);
}

void options_usage(const struct seam_test *t, FILE *out)
{
	struct seam_opts o;
	char err[256];

	options_defaults(&o);
	/* The defaults shown are this test's: they parsed when it started. */
	if (options_test_defaults(&o, t, err, sizeof(err)))
		options_defaults(&o);
	fprintf(out, "%s: %s\n", t->name, t->summary);
	if (t->defaults) {
		const char *const *w;

		fprintf(out, "this test's defaults:");
		for (w = t->defaults; *w; w++)
			fprintf(out, " %s", *w);
		fprintf(out, "\n");
	}
	options_help(&o, out);
}

const char *options_example(size_t i, const char **value, int *short_name)
{
	if (i >= NR_OPTS)
		return NULL;
	*value = opt_table[i].example;
	*short_name = opt_table[i].short_name;
	return opt_table[i].name;
}

void size_format(uint64_t size, char *buf, size_t len)
{
	if (size % (1ULL << 20) == 0)
		snprintf(buf, len, "%lluM", (unsigned long long)(size >> 20));
	else if (size % (1ULL << 10) == 0)
		snprintf(buf, len, "%lluK", (unsigned long long)(size >> 10));
	else
		snprintf(buf, len, "%llu", (unsigned long long)size);
}

/* @t's name and default words as an argv of at most @max - 1 words; its argc, or -1. */
static int test_argv(const struct seam_test *t, char **argv, int max, char *err, size_t len)
{
	int argc = 1;

	argv[0] = (char *)t->name;
	while (t->defaults && t->defaults[argc - 1]) {
		if (argc == max - 1)
			return bad(err, len, "test %s: more than %d default words", t->name, argc - 1),
			       -1;
		argv[argc] = (char *)t->defaults[argc - 1];
		argc++;
	}
	argv[argc] = NULL;
	return argc;
}

int options_test_defaults(struct seam_opts *o, const struct seam_test *t, char *err, size_t len)
{
	char *argv[32];
	int argc;

	o->test = t;
	argc = test_argv(t, argv, sizeof(argv) / sizeof(argv[0]), err, len);
	if (argc < 0 || options_parse(o, argc, argv, err, len) != OPTS_OK)
		return -1;
	return 0;
}
