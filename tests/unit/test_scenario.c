// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario files: every shipped config parses; every file of the malformed
 * corpus (tests/fixtures/scenarios, first line "# expect: MESSAGE") fails
 * with exactly that message, naming file, line and key; [global] folds in
 * and the command line wins.
 */
#include <dirent.h>
#include <stdlib.h>

#include "options.h"
#include "scenario.h"
#include "unit.h"

static struct scenario sc;

static void test_shipped_configs_parse(void)
{
	static const char *const files[] = {
		"configs/smoke.conf", "configs/ci-tdx.conf", "configs/soak.conf", NULL,
	};
	char err[512];
	int i;

	for (i = 0; files[i]; i++) {
		UNIT_EXPECT(!scenario_load(files[i], &sc, err, sizeof(err)), "%s", err);
		UNIT_EXPECT(sc.nr >= 3, "%s: %d sections", files[i], sc.nr);
	}
}

static void test_malformed_corpus(void)
{
	const char *dir = "tests/fixtures/scenarios";
	char path[512], first[512], err[512], *want;
	struct dirent *e;
	int n = 0;
	DIR *d = opendir(dir);
	FILE *f;

	UNIT_EXPECT(d, "%s (run from the repository root)", dir);
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, "bad-", 4))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "r");
		if (!f || !fgets(first, sizeof(first), f)) {
			UNIT_EXPECT(0, "%s unreadable", path);
			continue;
		}
		fclose(f);
		first[strcspn(first, "\n")] = 0;
		want = strstr(first, "# expect: ");
		UNIT_EXPECT(want, "%s lacks its '# expect:' line", path);
		if (!want)
			continue;
		want += 10;
		err[0] = 0;
		UNIT_EXPECT(scenario_load(path, &sc, err, sizeof(err)) == -1, "%s must fail", path);
		UNIT_EXPECT(strstr(err, want), "%s:\n#   got  '%s'\n#   want '%s'", path, err, want);
		n++;
	}
	if (d)
		closedir(d);
	UNIT_EXPECT(n >= 15, "only %d malformed files", n);
}

static void test_global_and_overrides(void)
{
	const char *text = "[global]\nvcpus = 3\nduration = 2\n[accept_race]\nduration = 4\n"
			   "[storm]\ntest = remove_vs_enter\ntimeout = 9\nno-trace = yes\n";
	char *argv[64], *extra[] = { "-v", "5" }, err[512];
	struct seam_opts o;
	int argc;

	UNIT_EXPECT(!scenario_parse("t.conf", text, &sc, err, sizeof(err)), "%s", err);
	UNIT_EXPECT(sc.nr == 2 && !strcmp(sc.sec[1].test, "remove_vs_enter") &&
		    sc.sec[1].timeout_s == 9, "sections");
	argc = scenario_argv(&sc.sec[0], NULL, 0, argv, 64);
	options_defaults(&o, sc.sec[0].test);
	UNIT_EXPECT(options_parse(&o, argc, argv, err, sizeof(err)) == OPTS_OK, "%s", err);
	UNIT_EXPECT(o.vcpus == 3 && o.duration_s == 4 && o.accept, "global, then section");
	argc = scenario_argv(&sc.sec[1], extra, 2, argv, 64);
	options_defaults(&o, sc.sec[1].test);
	UNIT_EXPECT(options_parse(&o, argc, argv, err, sizeof(err)) == OPTS_OK, "%s", err);
	UNIT_EXPECT(o.vcpus == 5 && o.no_trace && o.burst == 8, "command line wins, flags, test defaults");
}

UNIT_MAIN(UNIT(test_shipped_configs_parse),
	  UNIT(test_malformed_corpus),
	  UNIT(test_global_and_overrides))
