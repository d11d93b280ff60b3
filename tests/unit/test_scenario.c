// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario files: every shipped config parses; every file of the malformed
 * corpus (tests/fixtures/scenarios, first line "# expect: MESSAGE") fails
 * with exactly that message, naming file, line and key; [global] folds in
 * and the command line wins.
 */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"
#include "scenario.h"
#include "kselftest_harness.h"

static struct scenario sc;

/* Every scenario file shipped parses, the nested and reproduction ones too. */
TEST(shipped_configs_parse)
{
	char err[512], path[512];
	struct dirent *e;
	DIR *d = opendir("configs");
	size_t n;
	int files = 0;

	ASSERT_NE(NULL, d) TH_LOG("configs (run from the repository root)");
	while ((e = readdir(d))) {
		n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 5, ".conf"))
			continue;
		snprintf(path, sizeof(path), "configs/%s", e->d_name);
		EXPECT_TRUE(!scenario_load(path, &sc, err, sizeof(err))) TH_LOG("%s", err);
		EXPECT_TRUE(sc.nr >= 1) TH_LOG("%s: %d sections", path, sc.nr);
		files++;
	}
	closedir(d);
	EXPECT_TRUE(files >= 3) TH_LOG("configs/*.conf: %d files", files);
}

TEST(malformed_corpus)
{
	const char *dir = "tests/fixtures/scenarios";
	char path[512], first[512], err[512], *want;
	struct dirent *e;
	int n = 0;
	DIR *d = opendir(dir);
	FILE *f;

	EXPECT_NE(NULL, d) TH_LOG("%s (run from the repository root)", dir);
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, "bad-", 4))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "r");
		if (!f || !fgets(first, sizeof(first), f)) {
			EXPECT_TRUE(0) TH_LOG("%s unreadable", path);
			continue;
		}
		fclose(f);
		first[strcspn(first, "\n")] = 0;
		want = strstr(first, "# expect: ");
		EXPECT_NE(NULL, want) TH_LOG("%s lacks its '# expect:' line", path);
		if (!want)
			continue;
		want += 10;
		err[0] = 0;
		EXPECT_TRUE(scenario_load(path, &sc, err, sizeof(err)) == -1) TH_LOG("%s must fail", path);
		EXPECT_NE(NULL, strstr(err, want)) TH_LOG("%s:\n#   got  '%s'\n#   want '%s'", path, err, want);
		n++;
	}
	if (d)
		closedir(d);
	EXPECT_TRUE(n >= 15) TH_LOG("only %d malformed files", n);
}

TEST(global_and_overrides)
{
	const char *text = "[global]\nvcpus = 3\nduration = 2\n[accept_race]\nduration = 4\n"
			   "[storm]\ntest = remove_vs_enter\ntimeout = 9\nno-trace = yes\n";
	char *argv[64], *extra[] = { "-v", "5" }, err[512];
	struct seam_opts o;
	int argc;

	EXPECT_TRUE(!scenario_parse("t.conf", text, &sc, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_TRUE(sc.nr == 2 && !strcmp(sc.sec[1].test, "remove_vs_enter") &&
		    sc.sec[1].timeout_s == 9) TH_LOG("sections");
	argc = scenario_argv(&sc.sec[0], NULL, 0, argv, 64);
	options_defaults(&o);
	EXPECT_TRUE(options_parse(&o, argc, argv, err, sizeof(err)) == OPTS_OK) TH_LOG("%s", err);
	EXPECT_TRUE(o.vcpus == 3 && o.duration_s == 4) TH_LOG("global, then section");
	argc = scenario_argv(&sc.sec[1], extra, 2, argv, 64);
	options_defaults(&o);
	EXPECT_TRUE(options_parse(&o, argc, argv, err, sizeof(err)) == OPTS_OK) TH_LOG("%s", err);
	EXPECT_TRUE(o.vcpus == 5 && o.no_trace) TH_LOG("command line wins, flags");
}

/*
 * A section that sets again every key [global] set: the merge holds each
 * key once, its section's value, and writes nothing past the section's
 * array (it once copied 50 entries into 48, over the next section's name).
 */
TEST(section_repeating_every_global_key)
{
	static const char *const keys[] = {
		"vcpus = 2", "pages = 64", "duration = 1", "punchers = 1", "punch-size = 4K",
		"pattern = random", "order = same", "seed = 7", "burst = 4", "kick-rate = 10",
		"accept = 1", "deadline = 5", "zero-step = 9", "no-trace = 1", "td-gpaw = 48",
		"accept-2m = 0", "td-sept-ve = 0", "store = locked", "access-width = 4",
		"host-reader = 1", "known-issues = none", "flavor = anon", "cpus = 0",
		"expect = integrity", "kvm-release = 6.19", "sched = threads",
		"punch-rate = 100", "timeout = 30",
	};
	char text[8192], err[512];
	size_t n = 0, i;

	n += snprintf(text + n, sizeof(text) - n, "[global]\n");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		n += snprintf(text + n, sizeof(text) - n, "%s\n", keys[i]);
	n += snprintf(text + n, sizeof(text) - n, "[first]\ntest = concurrent_fault\nvcpus = 3\n");
	for (i = 1; i < sizeof(keys) / sizeof(keys[0]); i++)
		n += snprintf(text + n, sizeof(text) - n, "%s\n", keys[i]);
	n += snprintf(text + n, sizeof(text) - n, "[second]\ntest = accept_race\n");
	EXPECT_TRUE(n < sizeof(text)) TH_LOG("text fits");

	EXPECT_TRUE(!scenario_parse("many.conf", text, &sc, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_TRUE(sc.nr == 2 && !strcmp(sc.sec[1].name, "second")) TH_LOG("section 2 is named 'second', seen '%.20s'", sc.sec[1].name);
	/* 28 keys less timeout, each once; vcpus = 3 replaced vcpus = 2. */
	EXPECT_TRUE(sc.sec[0].nr == 27) TH_LOG("[first] holds 27 keys, seen %d", sc.sec[0].nr);
	for (i = 0; i < (size_t)sc.sec[0].nr; i++)
		if (!strcmp(sc.sec[0].kv[i].key, "vcpus"))
			{ EXPECT_TRUE(!strcmp(sc.sec[0].kv[i].value, "3")) TH_LOG("vcpus = %s, want 3",
				    sc.sec[0].kv[i].value); }
}

/* A directory or a pipe given as a config is named as what it is, at once. */
TEST(not_a_file)
{
	char fifo[] = "/tmp/seamstress-unit-fifo-XXXXXX", err[512] = "";
	int fd = mkstemp(fifo);

	EXPECT_TRUE(scenario_load("tests", &sc, err, sizeof(err)) == -1) TH_LOG("a directory must fail");
	EXPECT_NE(NULL, strstr(err, "tests: not a regular file (a directory)")) TH_LOG("'%s' does not contain '%s'", err, "tests: not a regular file (a directory)");
	EXPECT_TRUE(fd >= 0) TH_LOG("mkstemp");
	close(fd);
	unlink(fifo);
	EXPECT_TRUE(!mkfifo(fifo, 0600)) TH_LOG("mkfifo %s", fifo);
	EXPECT_TRUE(scenario_load(fifo, &sc, err, sizeof(err)) == -1) TH_LOG("a pipe must fail");
	EXPECT_NE(NULL, strstr(err, "not a regular file (a pipe)")) TH_LOG("'%s' does not contain '%s'", err, "not a regular file (a pipe)");
	unlink(fifo);
}

/*
 * A key of one flavor's on a section of another flavor would be ignored at
 * run time: the section is refused, naming file, line, section and key.
 * Alone, the key is checked on its own flavor, so [global] may hold it.
 */
TEST(flavor_only_key_on_another_flavor)
{
	static const char bad[] = "[global]\nmodel-steps = 500\n"
				  "[a]\ntest = concurrent_fault\nflavor = anon\n";
	static const char good[] = "[global]\nmodel-steps = 500\n"
				   "[b]\ntest = concurrent_fault\nflavor = tdx_model\n";
	char err[512];

	EXPECT_TRUE(scenario_parse("f.conf", bad, &sc, err, sizeof(err))) TH_LOG("model-steps on flavor anon was accepted");
	EXPECT_NE(NULL, strstr(err, "f.conf:3: section [a]: --model-steps: flavor anon does not honour it (only tdx_model does)")) TH_LOG("error: '%s'", err);
	EXPECT_FALSE(scenario_parse("g.conf", good, &sc, err, sizeof(err))) TH_LOG("on tdx_model: %s", err);
}

TEST_HARNESS_MAIN
