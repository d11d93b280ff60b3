// SPDX-License-Identifier: GPL-2.0
/*
 * Option parsing for every test: getopt_long over one table, each value
 * checked against its allowed range, errors in one line naming the option.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detectors.h"
#include "options.h"
#include "seam_test.h"
#include "seamstress.h"

static const char *const order_names[NR_ORDERS] = { "same", "reverse", "shuffled" };
static const char *const pattern_names[NR_PATTERNS] = { "random", "sweep", "chase", "ahead" };

static const char *const release_names[NR_KVM_RELEASES] = { "pre-6.16", "6.16", "6.19" };

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

void options_defaults(struct seam_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->flavor = FLAVOR_AUTO;
	o->vcpus = 2;
	o->pages = 512;
	o->duration_s = 5;
	o->punchers = 1;
	o->punch_size = SEAM_PAGE_SIZE;
	o->pattern = PATTERN_RANDOM;
	o->order = ORDER_SHUFFLED;
	o->deadline_s = 10;
	o->zero_step = 7;
	o->td_gpaw = 48;
	o->access_width = 8;
	o->kvm_release = KVM_6_19;
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

void options_usage(const struct seam_test *t, FILE *out)
{
	const char *const *w;

	fprintf(out, "%s: %s\n", t->name, t->summary);
	if (t->defaults) {
		fprintf(out, "this test's defaults:");
		for (w = t->defaults; *w; w++)
			fprintf(out, " %s", *w);
		fprintf(out, "\n");
	}
	fprintf(out,
		"usage: %s [options]\n"
		"  -f, --flavor NAME      %s (default auto)\n"
		"  -v, --vcpus N          vCPUs sweeping the contended pages, 1..%llu (default 2)\n"
		"  -n, --pages N          contended 4 KiB pages, 1..%llu (default 512)\n"
		"  -d, --duration SECS    run time, > 0, fractions allowed (default 5)\n"
		"  -i, --sweeps N         run until every vCPU completed N sweeps (instead of -d)\n"
		"  -p, --punchers N       host hole-punch threads, 0..64 (default 1)\n"
		"  -b, --punch-size SIZE  bytes per punch, a power of 2 from 4K to 2M (default 4K)\n"
		"  -P, --pattern NAME     random, sweep, chase (the page a vCPU is on) or ahead\n"
		"                         (the page it touches next); default random\n"
		"  -o, --order NAME       vCPU sweep order: same, reverse or shuffled (default shuffled)\n"
		"  -s, --seed N           seed of every random choice (default: from the clock, printed)\n"
		"  -j, --json FILE        write the JSON report to FILE\n"
		"      --cpus LIST        place vCPU and host threads round-robin on these CPUs (libnuma syntax)\n"
		"      --nodes LIST       place threads on the CPUs of these NUMA nodes\n"
		"      --burst N          guest exits to the host every N pages, 0..%llu (0, the default:\n"
		"                         once a sweep)\n"
		"      --kick-rate HZ     kick each vCPU out of KVM_RUN HZ times a second, 0..1000000 (0)\n"
		"      --accept           accept each page right before touching it\n"
		"  -W, --deadline SECS    watchdog: an operation or a vCPU without progress this long is hung (10)\n"
		"      --zero-step N      a fault streak of N at one address is a zero_step finding (7)\n"
		"      --expect LIST      detectors that must fire (a reproducer): the run passes only if\n"
		"                         they did and nothing else did; one or more of %s;\n"
		"                         integrity:CLASS asks for one class (torn, stale, foreign, garbage)\n"
		"      --no-trace         no tracefs instance and no probes\n"
		"      --td-gpaw N        tdx: guest physical address width, 48 (default) or 52\n"
		"      --accept-2m        tdx: accept at 2M first, falling back to 4K\n"
		"      --kvm-release R    tdx_model: KVM's handling as of pre-6.16, 6.16 or 6.19 (default)\n"
		"      --sched S          tdx_model: threads (default) or seeded (replayable interleaving)\n"
		"      --model-steps N    tdx_model: stop after N scheduling points\n"
		"      --model-toggle T   tdx_model, changes (a comma list): prev-epoch-busy (treat\n"
		"                         PREVIOUS_TLB_EPOCH_BUSY as busy), track-kick-nowait (tdx_track()\n"
		"                         kicks vCPUs without waiting), reenter-on-retry (RET_PF_RETRY\n"
		"                         re-enters the guest, as before 6.16), finalize-under-mmu-lock\n"
		"                         (KVM_TDX_FINALIZE_VM holds mmu_lock for write),\n"
		"                         accept-checks-state-first (module: ACCEPT exits on a\n"
		"                         non-pending entry before locking it)\n"
		"      --model-skip-accept  tdx_model: the guest touches without accepting (bug 4)\n"
		"      --model-vcpu-init-race  tdx_model: vCPUs are initialized while punchers run (bug 9)\n"
		"      --td-sept-ve       tdx, tdx_model: leave SEPT_VE_DISABLE clear (default: set,\n"
		"                         pending-page touches kill the TD)\n"
		"      --store KIND       how the guest stores its tags: plain (default; a mov) or locked\n"
		"                         (xchg); an emulating host has torn both (docs/findings.md)\n"
		"      --access-width N   bytes per guest access of its slot: 8 (default), 4 or 2\n"
		"      --host-reader      a host thread keeps reading every slot through the host mapping\n"
		"      --widen            with -P chase: time each punch to a vCPU's move to its next page,\n"
		"                         delays drawn where punches collided before (fuzzy sync)\n"
		"      --known-issues FILE  findings that match an entry of FILE are XFAIL (exit 2), not FAIL\n"
		"                         (default: the shipped configs/known-issues; 'none' for no file)\n"
		"      --inject-corruption  test only: a host thread writes a foreign value; the run must FAIL\n"
		"      --inject-tear      test only: a host thread zeroes byte 0 of vCPU 0's tag in page 0,\n"
		"                         as a torn store would: an integrity finding of class torn\n"
		"      --inject-stall SECS  test only: puncher 0 stalls in one operation; the watchdog must fire\n"
		"  -V, --verbose          more output\n"
		"  -h, --help             this text\n",
		t->name, flavor_names(), (unsigned long long)SEAM_MAX_VCPUS,
		(unsigned long long)SEAM_MAX_PAGES, (unsigned long long)SEAM_MAX_PAGES,
		detector_expectable_list());
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

enum { OPT_CPUS = 256, OPT_NODES, OPT_INJECT, OPT_BURST, OPT_KICK, OPT_ACCEPT,
       OPT_ZERO_STEP, OPT_EXPECT, OPT_NO_TRACE, OPT_STALL, OPT_GPAW, OPT_SEPT_VE, OPT_ACCEPT_2M,
       OPT_RELEASE, OPT_SCHED, OPT_STEPS, OPT_TOGGLE, OPT_SKIP_ACCEPT, OPT_INIT_RACE,
       OPT_STORE, OPT_KNOWN, OPT_INJECT_TEAR, OPT_ACCESS_WIDTH, OPT_HOST_READER,
       OPT_WIDEN };

static const struct option long_opts[] = {
	{ "flavor", required_argument, NULL, 'f' },
	{ "vcpus", required_argument, NULL, 'v' },
	{ "pages", required_argument, NULL, 'n' },
	{ "duration", required_argument, NULL, 'd' },
	{ "sweeps", required_argument, NULL, 'i' },
	{ "punchers", required_argument, NULL, 'p' },
	{ "punch-size", required_argument, NULL, 'b' },
	{ "pattern", required_argument, NULL, 'P' },
	{ "order", required_argument, NULL, 'o' },
	{ "seed", required_argument, NULL, 's' },
	{ "json", required_argument, NULL, 'j' },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "nodes", required_argument, NULL, OPT_NODES },
	{ "burst", required_argument, NULL, OPT_BURST },
	{ "kick-rate", required_argument, NULL, OPT_KICK },
	{ "accept", no_argument, NULL, OPT_ACCEPT },
	{ "deadline", required_argument, NULL, 'W' },
	{ "zero-step", required_argument, NULL, OPT_ZERO_STEP },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "no-trace", no_argument, NULL, OPT_NO_TRACE },
	{ "td-gpaw", required_argument, NULL, OPT_GPAW },
	{ "td-sept-ve", no_argument, NULL, OPT_SEPT_VE },
	{ "accept-2m", no_argument, NULL, OPT_ACCEPT_2M },
	{ "kvm-release", required_argument, NULL, OPT_RELEASE },
	{ "sched", required_argument, NULL, OPT_SCHED },
	{ "model-steps", required_argument, NULL, OPT_STEPS },
	{ "model-toggle", required_argument, NULL, OPT_TOGGLE },
	{ "model-skip-accept", no_argument, NULL, OPT_SKIP_ACCEPT },
	{ "model-vcpu-init-race", no_argument, NULL, OPT_INIT_RACE },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "known-issues", required_argument, NULL, OPT_KNOWN },
	{ "access-width", required_argument, NULL, OPT_ACCESS_WIDTH },
	{ "host-reader", no_argument, NULL, OPT_HOST_READER },
	{ "widen", no_argument, NULL, OPT_WIDEN },
	{ "inject-corruption", no_argument, NULL, OPT_INJECT },
	{ "inject-tear", no_argument, NULL, OPT_INJECT_TEAR },
	{ "inject-stall", required_argument, NULL, OPT_STALL },
	{ "verbose", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

bool options_key_known(const char *key, bool *takes_value)
{
	const struct option *lo;

	for (lo = long_opts; lo->name; lo++) {
		if (!strcmp(lo->name, key) && strcmp(key, "help") && strcmp(key, "json")) {
			*takes_value = lo->has_arg == required_argument;
			return true;
		}
	}
	return false;
}

const char *options_key_list(void)
{
	static char list[1024];
	const struct option *lo;

	if (list[0])
		return list;
	for (lo = long_opts; lo->name; lo++) {
		if (!strcmp(lo->name, "help") || !strcmp(lo->name, "json"))
			continue;
		strcat(list, list[0] ? ", " : "");
		strcat(list, lo->name);
	}
	return list;
}

/* The name the user typed, for error messages: "-v" or "--vcpus". */
static void opt_label(int c, char *buf, size_t len)
{
	const struct option *lo;

	for (lo = long_opts; lo->name; lo++) {
		if (lo->val == c) {
			if (c < 256)
				snprintf(buf, len, "-%c/--%s", c, lo->name);
			else
				snprintf(buf, len, "--%s", lo->name);
			return;
		}
	}
	snprintf(buf, len, "-%c", c);
}

enum seam_opts_result options_parse(struct seam_opts *o, int argc, char **argv,
				    char *err, size_t errlen)
{
	bool dur_given = false;
	char label[32];
	uint64_t v;
	int c, idx = 0;

	/*
	 * 0, not 1: glibc then forgets a scan that stopped inside an argument
	 * (an error in "-b...", say), which would otherwise carry into the
	 * next vector: every scenario key is parsed on its own.
	 */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:v:n:d:i:p:b:P:o:s:j:W:Vh", long_opts, NULL)) != -1) {
		opt_label(c, label, sizeof(label));
		switch (c) {
		case 'f':
			if (!flavor_parse(optarg, &o->flavor))
				return bad(err, errlen, "%s: '%s' is unknown; allowed: %s",
					   label, optarg, flavor_names()), OPTS_USAGE;
			break;
		case 'v':
			if (!parse_u64(label, optarg, 1, SEAM_MAX_VCPUS, &v, err, errlen))
				return OPTS_USAGE;
			o->vcpus = v;
			break;
		case 'n':
			if (!parse_u64(label, optarg, 1, SEAM_MAX_PAGES, &o->pages, err, errlen))
				return OPTS_USAGE;
			break;
		case 'd':
			if (!parse_secs(label, optarg, &o->duration_s, err, errlen))
				return OPTS_USAGE;
			dur_given = true;
			break;
		case 'W':
			if (!parse_secs(label, optarg, &o->deadline_s, err, errlen))
				return OPTS_USAGE;
			break;
		case OPT_STALL:
			if (!parse_secs(label, optarg, &o->inject_stall_s, err, errlen))
				return OPTS_USAGE;
			break;
		case OPT_BURST:
			if (!parse_u64(label, optarg, 0, SEAM_MAX_PAGES, &v, err, errlen))
				return OPTS_USAGE;
			o->burst = v;
			break;
		case OPT_KICK:
			if (!parse_u64(label, optarg, 0, 1000000, &v, err, errlen))
				return OPTS_USAGE;
			o->kick_hz = v;
			break;
		case OPT_ZERO_STEP:
			if (!parse_u64(label, optarg, 2, 1000000, &v, err, errlen))
				return OPTS_USAGE;
			o->zero_step = v;
			break;
		case OPT_ACCEPT:
			o->accept = true;
			break;
		case OPT_GPAW:
			if (strcmp(optarg, "48") && strcmp(optarg, "52"))
				return bad(err, errlen, "%s: '%s' is not allowed; allowed: 48, 52 (52 needs 5-level EPT)",
					   label, optarg), OPTS_USAGE;
			o->td_gpaw = atoi(optarg);
			break;
		case OPT_SEPT_VE:
			o->td_sept_ve = true;
			break;
		case OPT_ACCEPT_2M:
			o->accept_2m = true;
			break;
		case OPT_RELEASE:
			if (!parse_name(label, optarg, release_names, NR_KVM_RELEASES, &idx, err, errlen))
				return OPTS_USAGE;
			o->kvm_release = idx;
			break;
		case OPT_SCHED:
			if (strcmp(optarg, "threads") && strcmp(optarg, "seeded"))
				return bad(err, errlen, "%s: '%s' is unknown; allowed: threads, seeded",
					   label, optarg), OPTS_USAGE;
			o->sched_seeded = !strcmp(optarg, "seeded");
			break;
		case OPT_STEPS:
			if (!parse_u64(label, optarg, 100, 1ULL << 40, &o->model_steps, err, errlen))
				return OPTS_USAGE;
			break;
		case OPT_TOGGLE:
			if (!parse_toggles(label, optarg, o, err, errlen))
				return OPTS_USAGE;
			break;
		case OPT_SKIP_ACCEPT:
			o->model_skip_accept = true;
			break;
		case OPT_INIT_RACE:
			o->model_vcpu_init_race = true;
			break;
		case OPT_NO_TRACE:
			o->no_trace = true;
			break;
		case OPT_EXPECT:
			if (!parse_detectors(label, optarg, o->expect, sizeof(o->expect), err, errlen))
				return OPTS_USAGE;
			break;
		case 'i':
			if (!parse_u64(label, optarg, 1, UINT32_MAX - 2, &o->sweeps, err, errlen))
				return OPTS_USAGE;
			break;
		case 'p':
			if (!parse_u64(label, optarg, 0, 64, &v, err, errlen))
				return OPTS_USAGE;
			o->punchers = v;
			break;
		case 'b':
			if (!parse_size(label, optarg, &o->punch_size, err, errlen))
				return OPTS_USAGE;
			break;
		case 'P':
			if (!parse_name(label, optarg, pattern_names, NR_PATTERNS, &idx, err, errlen))
				return OPTS_USAGE;
			o->pattern = idx;
			break;
		case 'o':
			if (!parse_name(label, optarg, order_names, NR_ORDERS, &idx, err, errlen))
				return OPTS_USAGE;
			o->order = idx;
			break;
		case 's':
			if (!parse_u64(label, optarg, 0, UINT64_MAX, &o->seed, err, errlen))
				return OPTS_USAGE;
			o->seed_given = true;
			break;
		case 'j':
			o->json = optarg;
			break;
		case OPT_CPUS:
			o->cpus = optarg;
			break;
		case OPT_NODES:
			o->nodes = optarg;
			break;
		case OPT_INJECT:
			o->inject_corruption = true;
			break;
		case OPT_INJECT_TEAR:
			o->inject_tear = true;
			break;
		case OPT_STORE:
			if (strcmp(optarg, "plain") && strcmp(optarg, "locked"))
				return bad(err, errlen, "%s: '%s' is unknown; allowed: plain, locked",
					   label, optarg), OPTS_USAGE;
			o->locked_store = !strcmp(optarg, "locked");
			break;
		case OPT_KNOWN:
			o->known_issues = optarg;
			break;
		case OPT_ACCESS_WIDTH:
			if (strcmp(optarg, "8") && strcmp(optarg, "4") && strcmp(optarg, "2"))
				return bad(err, errlen, "%s: '%s' is not an access width; allowed: 8, 4, 2",
					   label, optarg), OPTS_USAGE;
			o->access_width = optarg[0] - '0';
			break;
		case OPT_WIDEN:
			o->widen = true;
			break;
		case OPT_HOST_READER:
			o->host_reader = true;
			break;
		case 'V':
			o->verbose = true;
			break;
		case 'h':
			return OPTS_HELP;
		case ':':
			opt_label(optopt, label, sizeof(label));
			return bad(err, errlen, "%s needs a value (see -h)", label), OPTS_USAGE;
		default:
			if (optopt)
				return bad(err, errlen, "-%c is not an option (see -h)", optopt), OPTS_USAGE;
			return bad(err, errlen, "'%s' is not an option (see -h)",
				   argv[optind - 1]), OPTS_USAGE;
		}
	}
	if (optind < argc)
		return bad(err, errlen, "unexpected argument '%s' (see -h)", argv[optind]), OPTS_USAGE;
	if (dur_given && o->sweeps)
		return bad(err, errlen, "-d/--duration and -i/--sweeps exclude each other; give one"), OPTS_USAGE;
	if (o->cpus && o->nodes)
		return bad(err, errlen, "--cpus and --nodes exclude each other; give one"), OPTS_USAGE;
	if (o->inject_corruption && o->inject_tear)
		return bad(err, errlen, "--inject-corruption and --inject-tear exclude each other; give one"),
		       OPTS_USAGE;
	/*
	 * The model runs a guest of its own, which keeps no tags: it cannot vary
	 * slot accesses, and an injected value would go unseen, so a run that
	 * "must fail" would pass.  Say so instead of ignoring the option.
	 */
	/* The widening puncher times itself to the page a vCPU moves to. */
	if (o->widen && o->pattern != PATTERN_CHASE)
		return bad(err, errlen, "--widen: needs -P/--pattern chase (it punches the page a vCPU has just moved to), not %s",
			   pattern_name(o->pattern)), OPTS_USAGE;
	if (o->flavor == FLAVOR_TDX_MODEL && o->widen)
		return bad(err, errlen, "--widen: flavor tdx_model does not honour it (the model's time is scheduling points)"),
		       OPTS_USAGE;
	if (o->flavor == FLAVOR_TDX_MODEL && (o->access_width != 8 || o->host_reader ||
					      o->locked_store || o->inject_corruption || o->inject_tear))
		return bad(err, errlen, "%s: flavor tdx_model does not honour it (the model's guest keeps no tags)",
			   o->access_width != 8 ? "--access-width" :
			   o->host_reader ? "--host-reader" :
			   o->locked_store ? "--store" :
			   o->inject_corruption ? "--inject-corruption" : "--inject-tear"), OPTS_USAGE;
	if (o->punch_size > o->pages * SEAM_PAGE_SIZE)
		return bad(err, errlen, "-b/--punch-size: %llu bytes exceeds the %llu-byte region (-n)",
			   (unsigned long long)o->punch_size,
			   (unsigned long long)(o->pages * SEAM_PAGE_SIZE)), OPTS_USAGE;
	return OPTS_OK;
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

void options_reproduce(const struct seam_opts *o, const char *argv0,
		       char *buf, size_t len)
{
	char size[16], run[48];
	size_t i;
	int n;

	size_format(o->punch_size, size, sizeof(size));
	if (o->sweeps)
		snprintf(run, sizeof(run), "-i %llu", (unsigned long long)o->sweeps);
	else
		snprintf(run, sizeof(run), "-d %g", o->duration_s);
	n = snprintf(buf, len, "%s -f %s -v %u -n %llu %s -p %u -b %s -P %s -o %s -s 0x%llx",
		     argv0, flavor_name(o->flavor), o->vcpus,
		     (unsigned long long)o->pages, run, o->punchers, size,
		     pattern_name(o->pattern), order_name(o->order),
		     (unsigned long long)o->seed);
	if (o->cpus && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --cpus %s", o->cpus);
	if (o->nodes && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --nodes %s", o->nodes);
	if (n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --burst %u --kick-rate %u -W %g",
			      o->burst, o->kick_hz, o->deadline_s);
	if (o->accept && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --accept");
	if (o->zero_step != 7 && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --zero-step %u", o->zero_step);
	if (o->expect[0] && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --expect %s", o->expect);
	if (o->no_trace && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --no-trace");
	if (o->td_gpaw != 48 && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --td-gpaw %u", o->td_gpaw);
	if (o->flavor == FLAVOR_TDX_MODEL && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --kvm-release %s --sched %s%s%s",
			      kvm_release_name(o->kvm_release), o->sched_seeded ? "seeded" : "threads",
			      o->model_skip_accept ? " --model-skip-accept" : "",
			      o->model_vcpu_init_race ? " --model-vcpu-init-race" : "");
	for (i = 0; i < NR_MODEL_TOGGLES; i++)
		if ((o->model_toggles & model_toggle_names[i].bit) && n > 0 && (size_t)n < len)
			n += snprintf(buf + n, len - n, " --model-toggle %s", model_toggle_names[i].name);
	if (o->model_steps && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --model-steps %llu", (unsigned long long)o->model_steps);
	if (o->accept_2m && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --accept-2m");
	if (o->td_sept_ve && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --td-sept-ve");
	if (o->inject_stall_s && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --inject-stall %g", o->inject_stall_s);
	if (o->locked_store && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --store locked");
	if (o->access_width != 8 && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --access-width %u", o->access_width);
	if (o->host_reader && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --host-reader");
	if (o->widen && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --widen");
	if (o->known_issues && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --known-issues %s", o->known_issues);
	if (o->inject_tear && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " --inject-tear");
	if (o->inject_corruption && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - n, " --inject-corruption");
}

int options_test_defaults(struct seam_opts *o, const struct seam_test *t, char *err, size_t len)
{
	char *argv[32] = { (char *)t->name };
	int argc = 1;

	o->test = t;
	while (t->defaults && t->defaults[argc - 1]) {
		if (argc == sizeof(argv) / sizeof(argv[0]) - 1)
			return bad(err, len, "test %s: more than %d default words", t->name, argc - 1),
			       -1;
		argv[argc] = (char *)t->defaults[argc - 1];
		argc++;
	}
	if (options_parse(o, argc, argv, err, len) != OPTS_OK)
		return -1;
	return 0;
}
