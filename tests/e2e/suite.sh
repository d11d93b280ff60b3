#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/e2e/suite.sh [BUILD]: seamstress run on /dev/kvm: TAP, JUnit, the summary,
# repro bundles, interruption, repeats, bisect, run_kselftest.sh.
# Part of make check (scripts/check.sh); alone it prints its own TAP.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

suite_smoke() {
	local out=$tmp/suite tap rc
	local xfails skips
	tap=$("$seamstress" run --out "$out" --junit "$out/junit.xml" configs/smoke.conf -- -d 1 2>/dev/null); rc=$?
	# A kernel verdict: 0, or 2 when the only findings are known issues.
	[ $rc -eq 0 ] || [ $rc -eq 2 ] || { echo "exit $rc"; echo "$tap"; return 1; }
	[ "$(sed -n 1,2p <<<"$tap")" = $'TAP version 13\n1..5' ] || { echo "$tap"; return 1; }
	grep -qE '^ok 1 concurrent_fault( # XFAIL .+)?$' <<<"$tap" &&
		grep -qE '^ok 2 remove_vs_enter( # XFAIL .+)?$' <<<"$tap" &&
		grep -qE '^ok 3 accept_race( # XFAIL .+)?$' <<<"$tap" || { echo "$tap"; return 1; }
	# convert_vs_fault and guest_convert run where the flavor has memory
	# attributes, else SKIP naming the capability.
	if "$build/seamstress-doctor" 2>/dev/null | grep -qE '^auto picks: (tdx|sw_protected)$'; then
		skips=0
		grep -qE '^ok 4 convert_vs_fault( # XFAIL .+)?$' <<<"$tap" &&
			grep -qE '^ok 5 guest_convert( # XFAIL .+)?$' <<<"$tap" || { echo "$tap"; return 1; }
	else
		skips=2
		grep -qE '^ok 4 convert_vs_fault # SKIP .*needs KVM_SET_MEMORY_ATTRIBUTES' <<<"$tap" &&
			grep -qE '^ok 5 guest_convert # SKIP .*needs KVM_SET_MEMORY_ATTRIBUTES' <<<"$tap" ||
			{ echo "$tap"; return 1; }
	fi
	xfails=$(grep -c '^ok [0-9]* [a-z_]* # XFAIL' <<<"$tap")
	grep -qE "^# Totals: pass:$((5 - xfails - skips)) fail:0 xfail:$xfails xpass:0 skip:$skips error:0\$" <<<"$tap" ||
		{ echo "$tap"; return 1; }
	for r in concurrent_fault remove_vs_enter accept_race; do known_only "$out/$r.json" || return 1; done
	jq -e '(.runs | length) == 5 and all(.runs[]; (.result == "pass" or .result == "xfail" or
		.result == "skip") and (.report | test("json$"))) and .interrupted == false' "$out/suite.json" >/dev/null ||
		{ cat "$out/suite.json"; return 1; }
	jq -e '.test == "remove_vs_enter"' "$out/remove_vs_enter.json" >/dev/null || return 1
	junit_check "$out/junit.xml" 5 0 "$((xfails + skips))"
}

suite_ci_tdx() {
	local out=$tmp/citdx tap rc
	tap=$("$seamstress" run --out "$out" --junit "$out/junit.xml" configs/ci-tdx.conf -- -d 1 2>/dev/null); rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 2 ] || { echo "exit $rc"; echo "$tap"; return 1; }
	if "$build/seamstress-doctor" | grep -qE '^  tdx +yes'; then return 0; fi
	[ "$(grep -c '# SKIP KVM_CAP_VM_TYPES' <<<"$tap")" -eq 6 ] || { echo "$tap"; return 1; }
	grep -qx 'ok 7 control-anon' <<<"$tap" || { echo "$tap"; return 1; }
	junit_check "$out/junit.xml" 7 0 6
}

# The runner writes as root into --out: only into a directory of its
# own, never through a link planted there, and says when it cannot.
suite_out_is_safe() {
	local out=$tmp/safe-out conf=$tmp/one.conf tap rc err
	printf '[one]\ntest = concurrent_fault\nflavor = anon\npages = 64\nduration = 1\n' >"$conf"
	mkdir -p "$out" && chmod 0777 "$out"
	err=$("$seamstress" run --out "$out" "$conf" 2>&1 >/dev/null); rc=$?
	[ $rc -eq 125 ] && grep -q "writable by others" <<<"$err" ||
		{ echo "--out mode 0777: exit $rc, '$err'"; return 1; }
	err=$("$seamstress" run --out "$tmp/junit-out" --junit /nonexistent/dir/j.xml "$conf" 2>&1 >/dev/null); rc=$?
	[ $rc -eq 125 ] && grep -q -- "--junit: /nonexistent/dir/j.xml" <<<"$err" ||
		{ echo "--junit in a missing directory: exit $rc, '$err'"; return 1; }
	chmod 0755 "$out"
	echo precious >"$tmp/victim-log"
	echo precious >"$tmp/victim-suite"
	ln -sf "$tmp/victim-log" "$out/one.log"
	ln -sf "$tmp/victim-suite" "$out/suite.json"
	tap=$("$seamstress" run --out "$out" "$conf" 2>/dev/null); rc=$?
	[ $rc -eq 125 ] || { echo "planted one.log link: exit $rc, want 125"; echo "$tap"; return 1; }
	[ "$(cat "$tmp/victim-log")" = precious ] && [ "$(cat "$tmp/victim-suite")" = precious ] ||
		{ echo "a planted link's target was written"; return 1; }
	[ -L "$out/suite.json" ] || { echo "the planted suite.json link was replaced, not refused"; return 1; }
}

suite_failure() {
	local out=$tmp/fail conf=$tmp/fail.conf tap rc b
	printf '[corrupt]\ntest = concurrent_fault\nflavor = anon\ninject-corruption = 1\nduration = 2\n[clean]\ntest = accept_race\nflavor = anon\nduration = 1\n' >"$conf"
	tap=$("$seamstress" run --out "$out" --junit "$out/junit.xml" "$conf" 2>/dev/null); rc=$?
	[ $rc -eq 1 ] || { echo "exit $rc, want 1"; echo "$tap"; return 1; }
	grep -q '^not ok 1 corrupt # exit=1 (repro bundle: ' <<<"$tap" && grep -qx 'ok 2 clean' <<<"$tap" ||
		{ echo "$tap"; return 1; }
	b=$out/repro-corrupt
	for f in scenario.conf kernel.txt kmsg.txt output.txt report.json reproduce.sh; do
		[ -e "$b/$f" ] || { echo "repro bundle lacks $f"; ls "$b"; return 1; }
	done
	# Every word of the replay is quoted: the script runs the binary, no shell syntax.
	sh -n "$b/reproduce.sh" && tail -1 "$b/reproduce.sh" | grep -q "^exec '[^']*concurrent_fault' '-f' " ||
		{ cat "$b/reproduce.sh"; return 1; }
	grep -qx 'inject-corruption = 1' "$b/scenario.conf" && grep -q -- "'--inject-corruption'" "$b/reproduce.sh" &&
		[ -x "$b/reproduce.sh" ] || { cat "$b/scenario.conf" "$b/reproduce.sh"; return 1; }
	jq -e 'any(.findings[]; .detector == "integrity")' "$b/report.json" >/dev/null || return 1
	[ ! -e "$out/repro-clean" ] || { echo "a bundle for a passing run"; return 1; }
	junit_check "$out/junit.xml" 2 1 0 || return 1
	# Jenkins' junit-10.xsd: no skipped on testsuites; a failure says
	# what was found and where the run's log is.
	/usr/bin/python3 - "$out/junit.xml" <<-'PY'
	import sys, xml.etree.ElementTree as ET
	root = ET.parse(sys.argv[1]).getroot()
	assert "skipped" not in root.attrib, root.attrib
	fail = root.find("./testsuite/testcase[@name='corrupt']/failure")
	assert fail is not None and "integrity" in fail.text and "corrupt.log" in fail.text, fail.text
	out = root.find("./testsuite/testcase[@name='corrupt']/system-out")
	assert out is not None and "--inject-corruption" in out.text, "no log excerpt in system-out"
	PY
}

# A suite whose every run SKIPs is a SKIP (exit 4), not a pass.
suite_all_skip() {
	local conf=$tmp/allskip.conf tap rc
	printf '[needs-tdx]\ntest = concurrent_fault\nflavor = tdx\nduration = 1\n' >"$conf"
	tap=$("$seamstress" run --out "$tmp/allskip" "$conf" 2>/dev/null); rc=$?
	if "$build/seamstress-doctor" 2>/dev/null | grep -qE '^  tdx +yes'; then return 0; fi
	[ $rc -eq 4 ] && grep -q '^ok 1 needs-tdx # SKIP ' <<<"$tap" || { echo "exit $rc, want 4"; echo "$tap"; return 1; }
}

# Runner ergonomics: options after the files, --out made with its
# parents (never through a link), and a timeout that SIGTERMs first so
# the report is written, then names that it was.
suite_ergonomics() {
	local conf=$tmp/erg.conf out=$tmp/erg/a/b tap rc err
	printf '[one]\ntest = concurrent_fault\nflavor = anon\npages = 64\nduration = 1\n' >"$conf"
	tap=$("$seamstress" run "$conf" --out "$out" --junit "$out/junit.xml" -- -d 1 2>&1); rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 2 ] || { echo "options after the file: exit $rc"; echo "$tap"; return 1; }
	[ -s "$out/one.json" ] && [ -s "$out/junit.xml" ] || { echo "no report or JUnit under $out"; return 1; }
	ln -s "$tmp/erg" "$tmp/erg-link"
	err=$("$seamstress" run --out "$tmp/erg-link/c" "$conf" 2>&1 >/dev/null); rc=$?
	[ $rc -eq 125 ] && grep -q "erg-link is a symbolic link; not following it" <<<"$err" ||
		{ echo "--out through a link: exit $rc, '$err'"; return 1; }
	printf '[slow]\ntest = concurrent_fault\nflavor = anon\npages = 64\nduration = 30\ntimeout = 2\n' >"$conf"
	tap=$("$seamstress" run --out "$tmp/erg-slow" "$conf" 2>/dev/null)
	grep -q '^not ok 1 slow # TIMEOUT 2 seconds; SIGTERM, report written' <<<"$tap" || { echo "$tap"; return 1; }
	jq -e '.interrupted == true' "$tmp/erg-slow/slow.json" >/dev/null || { echo "no interrupted report"; return 1; }
	jq -e '.runs[0].result == "timeout"' "$tmp/erg-slow/suite.json" >/dev/null
}

suite_interrupted() {
	local out=$tmp/intr pid i child rc
	"$seamstress" run --out "$out" configs/smoke.conf -- -d 30 >"$tmp/intr.tap" 2>/dev/null &
	pid=$!
	for i in $(seq 200); do
		child=$(pgrep -P $pid | head -1)
		[ -n "$child" ] && [ "$(ls /proc/$child/task 2>/dev/null | wc -l)" -ge 1 ] &&
			pgrep -P "$child" >/dev/null && break
		sleep 0.05
	done
	sleep 0.5
	kill -INT $pid
	for i in $(seq 150); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
	kill -0 $pid 2>/dev/null && { echo "runner still running 15 s after SIGINT"; kill -9 $pid; return 1; }
	wait $pid; rc=$?
	[ $rc -eq 1 ] || { echo "exit $rc, want 1"; cat "$tmp/intr.tap"; return 1; }
	jq -e '.interrupted == true and .runs[0].result != "pass" and
		.runs[1].result == "interrupted" and .runs[2].result == "interrupted"' "$out/suite.json" >/dev/null ||
		{ cat "$out/suite.json"; return 1; }
	jq -e '.interrupted == true' "$out/concurrent_fault.json" >/dev/null || { cat "$out/concurrent_fault.json"; return 1; }
	grep -q '^ok 3 accept_race # SKIP not run: interrupted$' "$tmp/intr.tap" || { cat "$tmp/intr.tap"; return 1; }
	no_instances
}

# A runner killed outright takes its running test along: the test gets
# SIGTERM (PDEATHSIG), writes its report marked interrupted and goes.
suite_killed_takes_test() {
	local out=$tmp/killed pid i child
	"$seamstress" run --out "$out" configs/smoke.conf -- -d 30 >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 200); do
		child=$(pgrep -P $pid | head -1)
		[ -n "$child" ] && pgrep -P "$child" >/dev/null && break
		sleep 0.05
	done
	[ -n "$child" ] || { echo "the runner started no test"; kill -9 $pid; return 1; }
	sleep 0.5
	kill -9 $pid
	wait $pid 2>/dev/null
	for i in $(seq 150); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$child" 2>/dev/null && { echo "test $child outlived its killed runner by 15 s"; kill -9 "$child"; return 1; }
	jq -e '.interrupted == true' "$out/concurrent_fault.json" >/dev/null ||
		{ echo "no report marked interrupted"; return 1; }
	no_instances
}

kvm_check "suite/runner_tap_junit_summary" suite_smoke
kvm_check "suite/ci_tdx_skips_what_needs_tdx" suite_ci_tdx
kvm_check "suite/out_is_safe" suite_out_is_safe
kvm_check "suite/failure_leaves_repro_bundle" suite_failure
kvm_check "suite/all_skipped_is_skip" suite_all_skip
kvm_check "suite/options_anywhere_out_made_timeout_graceful" suite_ergonomics
kvm_check "suite/interrupted_is_partial" suite_interrupted
kvm_check "suite/killed_runner_takes_its_test" suite_killed_takes_test
kvm_check "suite/repeat_pass_per_directory" scripts/check-repeat.sh "$build" repeat
kvm_check "suite/until_fail_and_max_time" scripts/check-repeat.sh "$build" until_fail
kvm_check "suite/bisect_run_exit_codes" scripts/check-repeat.sh "$build" bisect_live
kvm_check "suite/kselftest_install_under_run_kselftest" scripts/check-kselftest.sh "$build" "$ksrc"

e2e_done
