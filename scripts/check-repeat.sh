#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/check-repeat.sh BUILD CHECK: one of make check's checks of
# seamstress run's repetitions and of bisect-run, on real runs (/dev/kvm,
# the anon flavor, a second or two each).  Prints what went wrong and
# exits 1, or exits 0.  Run from the repository root.
#   repeat       --repeat 2: a pass per run-K/, every pass in suite.json
#                and in the JUnit, compare reading the directory (--section)
#   until_fail   --until-fail stops at the first failing pass;
#                --max-time ends a clean one
#   bisect_live  bisect-run's exit codes: a finding 1, clean 0, a bad
#                option 128 (never run's 125, which git takes for a skip)
set -u

build=$1 what=$2
seamstress=$build/seamstress
tmp=$(mktemp -d /tmp/seamstress-repeat.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# Harness checks, not kernel verdicts: the runs that must pass punch
# nothing, so this host's torn access under a zap (a known issue, XFAIL)
# cannot turn their "ok" into "ok # XFAIL" (it did, once, 2026-12-02).
clean='[clean]\ntest = accept_race\nflavor = anon\npunchers = 0\nduration = 1\n'
other='[other]\ntest = concurrent_fault\nflavor = anon\npunchers = 0\nduration = 1\n'
corrupt='[corrupt]\ntest = concurrent_fault\nflavor = anon\ninject-corruption = 1\nduration = 1\n'

repeat() {
	local out=$tmp/rep tap rc cmp err
	printf "$clean$other" >"$tmp/two.conf"
	tap=$("$seamstress" run --repeat 2 --out "$out" --junit "$tmp/rep.xml" "$tmp/two.conf" 2>/dev/null); rc=$?
	[ $rc -eq 0 ] || { echo "run --repeat 2: exit $rc"; echo "$tap"; return 1; }
	grep -qx '1..4' <<<"$tap" && grep -qx 'ok 1 clean (run 1)' <<<"$tap" &&
		grep -qx 'ok 4 other (run 2)' <<<"$tap" && grep -qx '# 2 pass(es) of 2 run(s)' <<<"$tap" ||
		{ echo "$tap"; return 1; }
	for f in run-1/clean.json run-2/clean.json run-1/other.json run-2/other.json run-1/suite.json; do
		[ -s "$out/$f" ] || { echo "no $out/$f"; ls -R "$out"; return 1; }
	done
	# JUnit: valid junit-10, one test case per run of each pass, none twice.
	scripts/junit10-check.py "$tmp/rep.xml" || return 1
	[ "$(grep -o 'name="[a-z]* (run [12])"' "$tmp/rep.xml" | sort -u | wc -l)" -eq 4 ] ||
		{ echo "JUnit test cases are not the 4 runs:"; cat "$tmp/rep.xml"; return 1; }
	jq -e '[.runs[] | select(.result == "pass")] | length == 4' "$out/suite.json" >/dev/null ||
		{ echo "suite.json does not hold the 4 runs"; cat "$out/suite.json"; return 1; }
	# A leftover of an older, longer run is not read: suite.json lists the reports.
	mkdir "$out/run-3" && cp "$out/run-1/clean.json" "$out/run-3/"
	cmp=$("$seamstress" compare --section clean "$out" "$out"); rc=$?
	[ $rc -eq 0 ] && grep -q '^base 2 run(s)' <<<"$cmp" && grep -q '^0 regression(s); 0 finding' <<<"$cmp" ||
		{ echo "compare --section clean DIR DIR: exit $rc"; echo "$cmp"; return 1; }
	err=$("$seamstress" compare "$out" "$out" 2>&1 >/dev/null); rc=$?
	[ $rc -eq 2 ] && grep -q -- 'pick one with --section NAME' <<<"$err" ||
		{ echo "compare of two sections: exit $rc, '$err'"; return 1; }
}

until_fail() {
	local tap rc
	printf "$corrupt" >"$tmp/corrupt.conf"
	tap=$("$seamstress" run --until-fail --out "$tmp/uf" "$tmp/corrupt.conf" 2>/dev/null); rc=$?
	[ $rc -eq 1 ] || { echo "--until-fail on a failing run: exit $rc, want 1"; echo "$tap"; return 1; }
	grep -q '^not ok 1 corrupt (run 1) ' <<<"$tap" && grep -qx '1..1' <<<"$tap" &&
		grep -qx '# 1 pass(es) of 1 run(s), stopped at the first failure' <<<"$tap" &&
		[ ! -e "$tmp/uf/run-2" ] || { echo "$tap"; ls "$tmp/uf"; return 1; }
	# The finding is in the TAP stream itself, not only in the report.
	grep -q '^# corrupt (run 1): integrity: ' <<<"$tap" || { echo "$tap"; return 1; }
	printf "$clean" >"$tmp/clean.conf"
	tap=$("$seamstress" run --until-fail --max-time 1 --out "$tmp/mt" "$tmp/clean.conf" 2>/dev/null); rc=$?
	[ $rc -eq 0 ] && grep -qx '# 1 pass(es) of 1 run(s), no failure' <<<"$tap" && grep -qx '1..1' <<<"$tap" ||
		{ echo "--until-fail --max-time 1 on a clean run: exit $rc"; echo "$tap"; return 1; }
	"$seamstress" run --repeat 2 --until-fail "$tmp/clean.conf" >/dev/null 2>&1; rc=$?
	[ $rc -eq 125 ] || { echo "--repeat with --until-fail: exit $rc, want 125"; return 1; }
}

bisect_live() {
	local out rc
	printf "$corrupt" >"$tmp/corrupt.conf"
	printf "$clean" >"$tmp/clean.conf"
	out=$("$seamstress" bisect-run --out "$tmp/b1" "$tmp/corrupt.conf" 2>/dev/null); rc=$?
	[ $rc -eq 1 ] && grep -q '^bisect-run: bad (1): corrupt: fail' <<<"$out" ||
		{ echo "a finding: exit $rc, want 1"; echo "$out"; return 1; }
	out=$("$seamstress" bisect-run --out "$tmp/b0" "$tmp/clean.conf" 2>/dev/null); rc=$?
	[ $rc -eq 0 ] && grep -qx 'bisect-run: good (0): 1 run(s) passed' <<<"$out" ||
		{ echo "a clean run: exit $rc, want 0"; echo "$out"; return 1; }
	# run would exit 125 (harness error), which git bisect takes for a skip.
	out=$("$seamstress" bisect-run --out "$tmp/b0" --no-such-option "$tmp/clean.conf" 2>/dev/null); rc=$?
	[ $rc -eq 128 ] || { echo "a bad option: exit $rc, want 128"; echo "$out"; return 1; }
}

case $what in
repeat|until_fail|bisect_live) $what ;;
*) echo "check-repeat.sh: no check '$what'"; exit 2 ;;
esac
