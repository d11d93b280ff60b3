// SPDX-License-Identifier: GPL-2.0
/*
 * Option parsing: every option's happy path, every bad value's one-line
 * error naming the option and what it allows, and the reproduce line
 * parsing back into the same options.
 */
#include <stdlib.h>

#include "options.h"
#include "seam_test.h"
#include "seamstress.h"
#include "kselftest_harness.h"

static enum seam_opts_result parse(struct seam_opts *o, char *err, const char *line)
{
	/* o may point into the copy: it lives until the next parse. */
	static char *copy;
	char *argv[64], *tok;
	int argc = 0;

	free(copy);
	copy = strdup(line);
	options_defaults(o);
	for (tok = strtok(copy, " "); tok && argc < 63; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return options_parse(o, argc, argv, err, 256);
}

static void expect_error(struct __test_metadata *_metadata, const char *line, const char *part)
{
	struct seam_opts o;
	char err[256] = "";

	EXPECT_TRUE(parse(&o, err, line) == OPTS_USAGE) TH_LOG("'%s' must be a usage error", line);
	EXPECT_NE(NULL, strstr(err, part)) TH_LOG("'%s' does not contain '%s'", err, part);
}

TEST(defaults)
{
	struct seam_opts o;
	char err[256];

	EXPECT_TRUE(parse(&o, err, "t") == OPTS_OK) TH_LOG("%s", err);
	EXPECT_TRUE(o.flavor == FLAVOR_AUTO && o.vcpus == 2 && o.pages == 512) TH_LOG("defaults");
	EXPECT_TRUE(o.duration_s == 5 && !o.sweeps && o.punchers == 1) TH_LOG("defaults");
	EXPECT_TRUE(o.punch_size == 4096 && o.pattern == PATTERN_RANDOM &&
		    o.order == ORDER_SHUFFLED && !o.seed_given) TH_LOG("defaults");
}

TEST(every_option)
{
	struct seam_opts o;
	char err[256];

	EXPECT_TRUE(parse(&o, err, "t -f anon -v 8 -n 1024 -i 7 -p 3 -b 2M -P chase "
			  "-o reverse -s 0x1234 -j out.json --cpus 0-1 "
			  "--inject-corruption "
			  "--kick-rate 50 --burst 3 -W 2.5 --zero-step 9 --expect hung,zero_step "
			  "--no-trace --inject-stall 1") == OPTS_OK) TH_LOG("%s", err);
	EXPECT_TRUE(o.kick_hz == 50 &&
		    o.burst == 3 && o.deadline_s == 2.5 && o.zero_step == 9 && o.no_trace &&
		    o.inject_stall_s == 1 && options_expects(&o, "zero_step") &&
		    options_expects(&o, "hung") && !options_expects(&o, "kvm_bug_on")) TH_LOG("issue 3/4 options");
	EXPECT_TRUE(o.flavor == FLAVOR_ANON && o.vcpus == 8 && o.pages == 1024) TH_LOG("f v n");
	EXPECT_TRUE(o.sweeps == 7 && o.punchers == 3 && o.punch_size == (2 << 20)) TH_LOG("i p b");
	EXPECT_TRUE(o.pattern == PATTERN_CHASE && o.order == ORDER_REVERSE) TH_LOG("P o");
	EXPECT_TRUE(o.seed == 0x1234 && o.seed_given) TH_LOG("s");
	EXPECT_TRUE(!strcmp(o.json, "out.json") && !strcmp(o.cpus, "0-1")) TH_LOG("j cpus");
	EXPECT_TRUE(o.inject_corruption) TH_LOG("flags");
	EXPECT_TRUE(parse(&o, err, "t -f tdx --td-sept-ve --accept-2m --td-gpaw 52") == OPTS_OK &&
		    o.td_sept_ve && o.accept_2m && o.td_gpaw == 52) TH_LOG("the TD options: %s", err);

	EXPECT_TRUE(parse(&o, err, "t --flavor gmem_shared --vcpus 64 --duration 0.5 "
			  "--punch-size 64k --pattern sweep --order same --nodes 0") == OPTS_OK) TH_LOG("%s", err);
	EXPECT_TRUE(o.vcpus == SEAM_MAX_VCPUS && o.duration_s == 0.5 &&
		    o.punch_size == 65536 && o.pattern == PATTERN_SWEEP &&
		    o.order == ORDER_SAME && !strcmp(o.nodes, "0")) TH_LOG("long options");
	EXPECT_TRUE(parse(&o, err, "t -h") == OPTS_HELP) TH_LOG("-h");
}

TEST(bad_values_name_option_and_range)
{
	expect_error(_metadata, "t -v 0", "-v/--vcpus: 0 is out of range; allowed: 1..64");
	expect_error(_metadata, "t -v 65", "-v/--vcpus: 65 is out of range; allowed: 1..64");
	expect_error(_metadata, "t -v two", "-v/--vcpus: 'two' is not a number");
	expect_error(_metadata, "t -v -1", "-v/--vcpus: '-1' is not a number");
	expect_error(_metadata, "t -n 0", "-n/--pages: 0 is out of range; allowed: 1..262144");
	expect_error(_metadata, "t -d 0", "-d/--duration: '0' is not allowed");
	expect_error(_metadata, "t -d 1s", "-d/--duration: '1s' is not allowed");
	expect_error(_metadata, "t -i 0", "-i/--sweeps: 0 is out of range");
	expect_error(_metadata, "t -p 65", "-p/--punchers: 65 is out of range; allowed: 0..64");
	expect_error(_metadata, "t -b 3K", "-b/--punch-size: 3K is not allowed; allowed: a power of 2 from 4K to 2M");
	expect_error(_metadata, "t -b 4M", "-b/--punch-size: 4M is not allowed");
	expect_error(_metadata, "t -b 2048", "-b/--punch-size: 2048 is not allowed");
	expect_error(_metadata, "t -b big", "-b/--punch-size: 'big' is not a size");
	expect_error(_metadata, "t -f sev", "-f/--flavor: 'sev' is unknown; allowed: auto, tdx, sw_protected");
	expect_error(_metadata, "t -P zigzag", "-P/--pattern: 'zigzag' is unknown; allowed: random, sweep, chase");
	expect_error(_metadata, "t -o up", "-o/--order: 'up' is unknown; allowed: same, reverse, shuffled");
	expect_error(_metadata, "t -s x", "-s/--seed: 'x' is not a number");
}

/* Parse "t OPT VALUE" with VALUE as given, blanks and all. */
static enum seam_opts_result parse_one(struct seam_opts *o, char *err, const char *opt,
				       const char *value)
{
	char *argv[] = { "t", (char *)opt, (char *)value, NULL };

	options_defaults(o);
	return options_parse(o, 3, argv, err, 256);
}

/*
 * The campaign's values: octal, wrap-around, blanks and signs, inf.  Each
 * is an error; decimal (leading zeros too) and 0x hex are read as written.
 */
FIXTURE(bad_number) {};
FIXTURE_SETUP(bad_number) {}
FIXTURE_TEARDOWN(bad_number) {}

FIXTURE_VARIANT(bad_number)
{
	const char *opt, *value;
};

FIXTURE_VARIANT_ADD(bad_number, seed_blank_minus)	{ "-s", " -1" };
FIXTURE_VARIANT_ADD(bad_number, seed_minus)		{ "-s", "-1" };
FIXTURE_VARIANT_ADD(bad_number, seed_blank)		{ "-s", " 5" };
FIXTURE_VARIANT_ADD(bad_number, seed_plus)		{ "-s", "+5" };
FIXTURE_VARIANT_ADD(bad_number, seed_bare_0x)		{ "-s", "0x" };
FIXTURE_VARIANT_ADD(bad_number, seed_2_to_64)		{ "-s", "18446744073709551616" };
FIXTURE_VARIANT_ADD(bad_number, vcpus_blank)		{ "-v", " 2" };
FIXTURE_VARIANT_ADD(bad_number, vcpus_bare_0x)		{ "-v", "0x" };
FIXTURE_VARIANT_ADD(bad_number, punch_size_wraps)	{ "-b", "18014398509481988K" };
FIXTURE_VARIANT_ADD(bad_number, punch_size_blank)	{ "-b", " 4K" };
FIXTURE_VARIANT_ADD(bad_number, punch_size_minus)	{ "-b", "-4K" };
FIXTURE_VARIANT_ADD(bad_number, duration_inf)		{ "-d", "inf" };
FIXTURE_VARIANT_ADD(bad_number, duration_nan)		{ "-d", "nan" };
FIXTURE_VARIANT_ADD(bad_number, duration_blank)		{ "-d", " 1" };
FIXTURE_VARIANT_ADD(bad_number, duration_hex_float)	{ "-d", "0x1p3" };
FIXTURE_VARIANT_ADD(bad_number, duration_plus)		{ "-d", "+1" };
FIXTURE_VARIANT_ADD(bad_number, deadline_infinity)	{ "-W", "infinity" };
FIXTURE_VARIANT_ADD(bad_number, expect_comma)		{ "--expect", "," };
FIXTURE_VARIANT_ADD(bad_number, expect_trailing_comma)	{ "--expect", "hung," };
FIXTURE_VARIANT_ADD(bad_number, expect_leading_comma)	{ "--expect", ",hung" };
FIXTURE_VARIANT_ADD(bad_number, expect_empty_item)	{ "--expect", "hung,,zero_step" };
FIXTURE_VARIANT_ADD(bad_number, expect_empty)		{ "--expect", "" };

TEST_F(bad_number, is_a_usage_error)
{
	struct seam_opts o;
	char err[256];

	EXPECT_EQ(OPTS_USAGE, parse_one(&o, err, variant->opt, variant->value))
		TH_LOG("%s '%s' must be a usage error", variant->opt, variant->value);
}

TEST(numbers_read_as_written)
{
	struct seam_opts o;
	char err[256];

	EXPECT_TRUE(parse_one(&o, err, "-v", "010") == OPTS_OK && o.vcpus == 10) TH_LOG("-v 010 is ten, seen %u", o.vcpus);
	EXPECT_TRUE(parse_one(&o, err, "-s", "0x1f") == OPTS_OK && o.seed == 0x1f) TH_LOG("-s 0x1f");
	EXPECT_TRUE(parse_one(&o, err, "-s", "18446744073709551615") == OPTS_OK &&
		    o.seed == UINT64_MAX) TH_LOG("-s 2^64-1");
	EXPECT_TRUE(parse_one(&o, err, "-d", ".5") == OPTS_OK && o.duration_s == 0.5) TH_LOG("-d .5");
}

TEST(usage_errors)
{
	expect_error(_metadata, "t -x", "-x is not an option");
	expect_error(_metadata, "t --bogus", "'--bogus' is not an option");
	expect_error(_metadata, "t -v", "-v/--vcpus needs a value");
	expect_error(_metadata, "t extra", "unexpected argument 'extra'");
	expect_error(_metadata, "t -d 1 -i 2", "-d/--duration and -i/--sweeps exclude each other");
	expect_error(_metadata, "t --cpus 0 --nodes 0", "--cpus and --nodes exclude each other");
	expect_error(_metadata, "t -n 1 -b 8K", "-b/--punch-size: 8192 bytes exceeds the 4096-byte region");
}

TEST(reproduce_round_trips)
{
	struct seam_opts o, back;
	char err[256], line[1024];

	EXPECT_TRUE(parse(&o, err, "t -f anon -v 3 -n 77 -d 2.5 -p 2 -b 8K -P sweep "
			  "-o same -s 99 --cpus 0 --inject-corruption") == OPTS_OK) TH_LOG("%s", err);
	options_reproduce(&o, "t", line, sizeof(line));
	EXPECT_TRUE(parse(&back, err, line) == OPTS_OK) TH_LOG("'%s': %s", line, err);
	EXPECT_TRUE(back.flavor == o.flavor && back.vcpus == o.vcpus &&
		    back.pages == o.pages && back.duration_s == o.duration_s &&
		    back.punchers == o.punchers && back.punch_size == o.punch_size &&
		    back.pattern == o.pattern && back.order == o.order &&
		    back.seed == o.seed && back.inject_corruption &&
		    !strcmp(back.cpus, "0")) TH_LOG("'%s' differs", line);

	/* The model's toggles, a comma list and repeatable, come back one by one. */
	EXPECT_TRUE(parse(&o, err, "t -f tdx_model --sched seeded --kvm-release 6.16 "
			  "--model-toggle reenter-on-retry,prev-epoch-busy "
			  "--model-toggle accept-checks-state-first --model-steps 500") == OPTS_OK) TH_LOG("%s", err);
	EXPECT_TRUE(o.model_toggles == (MODEL_TOGGLE_REENTER_ON_RETRY | MODEL_TOGGLE_PREV_EPOCH_BUSY |
					MODEL_TOGGLE_ACCEPT_STATE_FIRST)) TH_LOG("toggles 0x%x", o.model_toggles);
	options_reproduce(&o, "t", line, sizeof(line));
	EXPECT_TRUE(parse(&back, err, line) == OPTS_OK) TH_LOG("'%s': %s", line, err);
	EXPECT_TRUE(back.model_toggles == o.model_toggles && back.sched_seeded &&
		    back.kvm_release == KVM_6_16 && back.model_steps == 500) TH_LOG("'%s' differs", line);
	expect_error(_metadata, "t --model-toggle prev-epoch-busy,bogus",
		     "--model-toggle: 'bogus' is unknown; allowed: prev-epoch-busy");
	/* The bug 7 and 8 options and the multi-page store come back too. */
	EXPECT_TRUE(parse(&o, err, "t -f tdx_model -n 16 --model-shared-pages 2 --model-ignore-memory-fault "
			  "--model-insn-pages 7 --model-memslot-churn") == OPTS_OK) TH_LOG("%s", err);
	options_reproduce(&o, "t", line, sizeof(line));
	EXPECT_TRUE(parse(&back, err, line) == OPTS_OK) TH_LOG("'%s': %s", line, err);
	EXPECT_TRUE(back.model_shared_pages == 2 && back.model_ignore_memory_fault &&
		    back.model_insn_pages == 7 && back.model_memslot_churn) TH_LOG("'%s' differs", line);
	expect_error(_metadata, "t -f tdx_model -n 4 --model-shared-pages 5",
		     "--model-shared-pages: 5 exceeds the 4 pages of the region (-n)");
	/* A model option elsewhere would be ignored: refused, naming both. */
	expect_error(_metadata, "t -f anon --model-memslot-churn",
		     "--model-memslot-churn: flavor anon does not honour it (only tdx_model does)");
	expect_error(_metadata, "t --kvm-release 6.16",
		     "--kvm-release: flavor auto does not honour it (only tdx_model does)");
	/*
	 * A TD attribute (SEPT_VE_DISABLE) is honoured by the two flavors that
	 * build a TD, and by auto, which picks tdx where the host has it.
	 */
	expect_error(_metadata, "t -f anon --td-sept-ve",
		     "--td-sept-ve: flavor anon does not honour it (only tdx and tdx_model do)");
	expect_error(_metadata, "t -f td_image --td-no-sept-ve",
		     "--td-no-sept-ve: flavor td_image does not honour it (only tdx and tdx_model do)");
	EXPECT_TRUE(parse(&o, err, "t -f tdx --td-sept-ve") == OPTS_OK) TH_LOG("%s", err);
	EXPECT_TRUE(parse(&o, err, "t -f tdx_model --td-no-sept-ve") == OPTS_OK) TH_LOG("%s", err);
	EXPECT_TRUE(parse(&o, err, "t --td-sept-ve") == OPTS_OK) TH_LOG("auto: %s", err);
	/* GPAW shapes the image td_image boots too; a 2M ACCEPT is a TD's alone. */
	expect_error(_metadata, "t -f gmem_shared --td-gpaw 52",
		     "--td-gpaw: flavor gmem_shared does not honour it (only tdx and td_image do)");
	expect_error(_metadata, "t -f td_image --accept-2m",
		     "--accept-2m: flavor td_image does not honour it (only tdx does)");
	EXPECT_TRUE(parse(&o, err, "t -f td_image --td-gpaw 52") == OPTS_OK) TH_LOG("%s", err);
	/* The model has no host threads to place or pace, and no fault tracer. */
	expect_error(_metadata, "t -f tdx_model --punch-rate 100",
		     "--punch-rate: flavor tdx_model does not honour it (only tdx, sw_protected, gmem_shared and anon do)");
	expect_error(_metadata, "t -f tdx_model --cpus 0", "--cpus: flavor tdx_model does not honour it");
	expect_error(_metadata, "t -f tdx_model --nodes 0", "--nodes: flavor tdx_model does not honour it");
	expect_error(_metadata, "t -f tdx_model --zero-step 9", "--zero-step: flavor tdx_model does not honour it");
	/* The model's punches and conversions are one page each. */
	expect_error(_metadata, "t -f tdx_model -b 8K",
		     "-b/--punch-size: flavor tdx_model does not honour it (the model's invalidations are page-sized)");
	EXPECT_TRUE(parse(&o, err, "t -f tdx_model -b 4K") == OPTS_OK) TH_LOG("%s", err);
	EXPECT_TRUE(parse(&o, err, "t --punch-rate 100 --cpus 0 --zero-step 9") == OPTS_OK) TH_LOG("auto: %s", err);
	/*
	 * td_image boots the image to its first TDCALL and stops: no host
	 * thread punches, converts, kicks or writes into the region.
	 */
	expect_error(_metadata, "t -f td_image -p 2",
		     "--punchers: flavor td_image does not honour it (only tdx, sw_protected, gmem_shared, anon and tdx_model do)");
	expect_error(_metadata, "t -f td_image --kick-rate 50", "--kick-rate: flavor td_image does not honour it");
	expect_error(_metadata, "t -f td_image -P chase", "--pattern: flavor td_image does not honour it");
	expect_error(_metadata, "t -f td_image -b 8K", "--punch-size: flavor td_image does not honour it");
	expect_error(_metadata, "t -f td_image --punch-rate 100", "--punch-rate: flavor td_image does not honour it");
	expect_error(_metadata, "t -f td_image -P chase --widen", "--pattern: flavor td_image does not honour it");
	expect_error(_metadata, "t -f td_image --host-reader", "--host-reader: flavor td_image does not honour it");
	expect_error(_metadata, "t -f td_image --inject-corruption", "--inject-corruption: flavor td_image does not honour it");
	expect_error(_metadata, "t -f td_image --inject-tear", "--inject-tear: flavor td_image does not honour it");
	expect_error(_metadata, "t -f td_image --inject-stall 1", "--inject-stall: flavor td_image does not honour it");
	/* Its vCPUs boot one after another in the worker: no thread to place. */
	expect_error(_metadata, "t -f td_image --cpus 0",
		     "--cpus: flavor td_image does not honour it (only tdx, sw_protected, gmem_shared and anon do)");
	expect_error(_metadata, "t -f td_image --nodes 0", "--nodes: flavor td_image does not honour it");
	EXPECT_TRUE(parse(&o, err, "t -f td_image -p 1 -v 4 -d 1") == OPTS_OK) TH_LOG("the default punchers: %s", err);
	/*
	 * tdx and sw_protected keep the region in private guest_memfd, which
	 * the host does not map: nothing to write a foreign value into or read
	 * beside the guest.  Auto may pick a flavor that can: it SKIPs at run
	 * time where it picked one that cannot.
	 */
	expect_error(_metadata, "t -f sw_protected --inject-corruption",
		     "--inject-corruption: flavor sw_protected does not honour it (only gmem_shared and anon do)");
	expect_error(_metadata, "t -f tdx --inject-corruption", "--inject-corruption: flavor tdx does not honour it");
	expect_error(_metadata, "t -f tdx --inject-tear", "--inject-tear: flavor tdx does not honour it");
	expect_error(_metadata, "t -f tdx --host-reader", "--host-reader: flavor tdx does not honour it");
	EXPECT_TRUE(parse(&o, err, "t -f gmem_shared --inject-corruption") == OPTS_OK) TH_LOG("%s", err);
	EXPECT_TRUE(parse(&o, err, "t -f anon --host-reader") == OPTS_OK) TH_LOG("%s", err);
	EXPECT_TRUE(parse(&o, err, "t --inject-tear") == OPTS_OK) TH_LOG("auto: %s", err);

	EXPECT_TRUE(parse(&o, err, "t -i 5 -s 0xffffffffffffffff") == OPTS_OK) TH_LOG("%s", err);
	options_reproduce(&o, "t", line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, "-i 5")) TH_LOG("'%s' does not contain '%s'", line, "-i 5");
	EXPECT_NE(NULL, strstr(line, "-s 0xffffffffffffffff")) TH_LOG("'%s' does not contain '%s'", line, "-s 0xffffffffffffffff");
}

/*
 * A test's defaults are option words: they come before the command line,
 * which overrides them, and they show in the reproduce line.
 */
TEST(test_defaults_then_command_line)
{
	static const char *const words[] = { "--burst", "8", "--kick-rate", "1000", "--accept", NULL };
	static const char *const bad_words[] = { "--burst", "x", NULL };
	const struct seam_test t = { .name = "storm", .defaults = words };
	const struct seam_test bad = { .name = "broken", .defaults = bad_words };
	char *argv[] = { "storm", "--kick-rate", "5", NULL };
	char err[256] = "", line[1024];
	struct seam_opts o;

	options_defaults(&o);
	EXPECT_TRUE(!options_test_defaults(&o, &t, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_TRUE(o.test == &t && o.burst == 8 && o.kick_hz == 1000 && o.accept) TH_LOG("defaults applied");
	EXPECT_TRUE(options_parse(&o, 3, argv, err, sizeof(err)) == OPTS_OK) TH_LOG("%s", err);
	EXPECT_TRUE(o.burst == 8 && o.kick_hz == 5) TH_LOG("the command line wins: kick %u", o.kick_hz);
	options_reproduce(&o, "storm", line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, "--burst 8 --kick-rate 5")) TH_LOG("'%s' does not contain '%s'", line, "--burst 8 --kick-rate 5");
	EXPECT_NE(NULL, strstr(line, "--accept")) TH_LOG("'%s' does not contain '%s'", line, "--accept");

	/*
	 * A flavor refuses what the command line sets, not what the test's
	 * defaults do: remove_vs_enter's kicks and accept_race's pattern are
	 * theirs, and td_image boots either test's image.
	 */
	options_defaults(&o);
	EXPECT_TRUE(!options_test_defaults(&o, &t, err, sizeof(err))) TH_LOG("%s", err);
	argv[1] = "-f";
	argv[2] = "td_image";
	EXPECT_TRUE(options_parse(&o, 3, argv, err, sizeof(err)) == OPTS_OK) TH_LOG("td_image and the test's --kick-rate: %s", err);
	argv[2] = "tdx_model";
	EXPECT_TRUE(options_parse(&o, 3, argv, err, sizeof(err)) == OPTS_OK) TH_LOG("tdx_model and the test's --burst: %s", err);

	options_defaults(&o);
	EXPECT_TRUE(options_test_defaults(&o, &bad, err, sizeof(err))) TH_LOG("a bad default must fail");
	EXPECT_NE(NULL, strstr(err, "--burst: 'x' is not a number")) TH_LOG("'%s' does not contain '%s'", err, "--burst: 'x' is not a number");
}

/*
 * Every option of the table, set to a value other than its default, is in
 * the reproduce line, and the line parses back into the same run: a new
 * option that the line forgot fails here.
 */
TEST(every_option_reproduces)
{
	struct seam_opts o, back;
	char err[256], cmd[512], line[2048], again[2048], want[64];
	const char *name, *value;
	int letter;
	size_t i;

	for (i = 0; (name = options_example(i, &value, &letter)); i++) {
		bool takes;

		if (!strcmp(name, "help") || !strcmp(name, "json") || !strcmp(name, "version"))
			continue;
		EXPECT_TRUE(options_key_known(name, &takes)) TH_LOG("--%s is no scenario key", name);
		EXPECT_TRUE(takes == (value != NULL) || (takes && !value)) TH_LOG("--%s: example", name);
		if (takes && !value)
			continue;	/* -i, --nodes: shown by the reproduce tests above */
		/* The model's own options show on the model; --widen needs chase. */
		snprintf(cmd, sizeof(cmd), "t %s%s --%s%s%s",
			 !strncmp(name, "model-", 6) || !strcmp(name, "kvm-release") ||
			 !strcmp(name, "sched") ? "-f tdx_model " : "",
			 !strcmp(name, "widen") ? "-P chase" : "", name, value ? " " : "",
			 value ? value : "");
		EXPECT_TRUE(parse(&o, err, cmd) == OPTS_OK) TH_LOG("'%s': %s", cmd, err);
		options_reproduce(&o, "t", line, sizeof(line));
		if (letter)
			snprintf(want, sizeof(want), " -%c ", letter);
		else
			snprintf(want, sizeof(want), " --%s", name);
		EXPECT_NE(NULL, strstr(line, want)) TH_LOG("'%s' lacks '%s'", line, want);
		EXPECT_TRUE(parse(&back, err, line) == OPTS_OK) TH_LOG("'%s': %s", line, err);
		options_reproduce(&back, "t", again, sizeof(again));
		EXPECT_STREQ(line, again);
	}
	EXPECT_TRUE(i > 30) TH_LOG("%zu options", i);
}

/*
 * SEPT_VE_DISABLE: clear (a pending page is a #VE the guest accepts)
 * whenever a puncher can remove or convert private pages, set without
 * punchers, and either forced by its option.
 */
TEST(sept_ve_follows_the_punchers)
{
	struct seam_opts o;
	char err[256];

	EXPECT_TRUE(parse(&o, err, "t") == OPTS_OK && options_td_sept_ve(&o)) TH_LOG("one puncher: #VE");
	EXPECT_TRUE(parse(&o, err, "t -p 0") == OPTS_OK && !options_td_sept_ve(&o)) TH_LOG("no puncher: set");
	EXPECT_TRUE(parse(&o, err, "t -p 0 --td-sept-ve") == OPTS_OK && options_td_sept_ve(&o)) TH_LOG("forced clear");
	EXPECT_TRUE(parse(&o, err, "t --td-no-sept-ve") == OPTS_OK && !options_td_sept_ve(&o)) TH_LOG("forced set");
	expect_error(_metadata, "t --td-sept-ve --td-no-sept-ve",
		     "--td-sept-ve and --td-no-sept-ve exclude each other");
}

TEST_HARNESS_MAIN
