#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/e2e/compare.sh [BUILD]: seamstress compare and bisect-run on fixture reports.
# Part of make check (scripts/check.sh); alone it prints its own TAP.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

compare_same() {
	local out rc
	out=$("$seamstress" compare tests/fixtures/compare/base tests/fixtures/compare/same); rc=$?
	[ $rc -eq 0 ] || { echo "exit $rc"; echo "$out"; return 1; }
	! grep -qE 'REGRESSION|changed|finding only' <<<"$out" || { echo "$out"; return 1; }
	grep -q '^0 regression(s)' <<<"$out"
}
compare_diff() {
	local out rc
	out=$("$seamstress" compare --plot "$tmp/cmp.svg" tests/fixtures/compare/base tests/fixtures/compare/diff); rc=$?
	[ $rc -eq 1 ] || { echo "exit $rc, want 1"; echo "$out"; return 1; }
	# The header names the experiment and the verdict's rule; findings
	# present on one side only come next.
	[ "$(sed -n 1p <<<"$out")" = "seamstress compare: concurrent_fault on anon" ] || { echo "$out"; return 1; }
	grep -qx "verdict: change beyond 10% and p < 0.05 (Welch's t, Holm over 7 metrics)" <<<"$out" ||
		{ echo "$out"; return 1; }
	[ "$(sed -n 5p <<<"$out")" = "finding only in new: concurrent_fault: hung (1)" ] || { echo "$out"; return 1; }
	grep -qE '^rates.punches_per_s .*-50.0% +<0.001 REGRESSION$' <<<"$out" || { echo "$out"; return 1; }
	grep -qE '^latency.punch.p99_ns .*REGRESSION$' <<<"$out" || { echo "$out"; return 1; }
	# ministat-like: no line wider than 72 columns.
	awk 'length > 72 { print "too wide: " $0; bad = 1 } END { exit bad }' <<<"$out" || return 1
	# One plot panel per rate and latency, not only the punch latency.
	for t in rates.punches_per_s rates.sweeps_per_s latency.punch.p50_ns latency.punch.max_ns; do
		grep -q ">$t<" "$tmp/cmp.svg" || { echo "no panel $t in the SVG plot"; return 1; }
	done
	"$seamstress" compare --json tests/fixtures/compare/base tests/fixtures/compare/diff >"$tmp/cmp.json"
	jq -e '.regressions == 4 and .findings_only_in_new == ["concurrent_fault: hung"] and
		.metrics_tested == 7 and
		any(.metrics[]; .name == "rates.punches_per_s" and .ci_high < 0 and .p < 0.001)' \
		"$tmp/cmp.json" >/dev/null || { cat "$tmp/cmp.json"; return 1; }
	out=$("$seamstress" compare --format markdown tests/fixtures/compare/base tests/fixtures/compare/diff)
	grep -qE '^\| `rates.punches_per_s` \| .* \| -50.0% \| -5[0-9.]+% \.\. -4[0-9.]+% \| <0.001 \| REGRESSION \|$' <<<"$out" &&
		grep -qx -- '- finding only in new: concurrent_fault: hung (1)' <<<"$out" || { echo "$out"; return 1; }
}
# The same settings twice on a loaded host (recorded: 3 + 3 real runs of
# remove_vs_enter on anon beside a busy neighbour): no verdict.  The rule
# before 2026-12-02 (the bootstrap interval excludes 0, the change passes
# 10%) flags rows of these very reports; the fixture must keep showing it.
compare_noisy_same() {
	local out rc old d=tests/fixtures/compare/noisy
	out=$("$seamstress" compare "$d/base" "$d/new"); rc=$?
	[ $rc -eq 0 ] && grep -q '^0 regression(s); 0 finding' <<<"$out" && ! grep -qE 'REGRESSION|changed|improved' <<<"$out" ||
		{ echo "exit $rc"; echo "$out"; return 1; }
	old=$("$seamstress" compare --json "$d/base" "$d/new" |
		jq '[.metrics[] | select(.ci_low != null and (.ci_low > 0 or .ci_high < 0) and
			(.change | fabs) >= 0.1)] | length')
	[ "$old" -gt 0 ] || { echo "the old interval rule flags no row of $d: not the noise it was recorded for"; return 1; }
}
# Malformed reports, a FIFO, an endless device: an error, never a crash or
# a hang; a --plot path that would break out of the gnuplot string: refused.
compare_bad_input() {
	local f rc base=tests/fixtures/compare/base
	for f in tests/fixtures/compare/malformed/*.json; do
		timeout 10 "$seamstress" compare "$base" "$f" >/dev/null 2>&1; rc=$?
		[ $rc -le 2 ] || { echo "$f: exit $rc (crash or hang)"; return 1; }
	done
	mkfifo "$tmp/fifo.json"
	for f in "$tmp/fifo.json" /dev/zero; do
		timeout 10 "$seamstress" compare "$base" "$f" >/dev/null 2>&1; rc=$?
		[ $rc -eq 2 ] || { echo "$f: exit $rc, want 2"; return 1; }
	done
	timeout 10 "$seamstress" compare --plot "$tmp/x.svg'; system 'touch $tmp/pwned'; '" \
		"$base" tests/fixtures/compare/diff >/dev/null 2>&1; rc=$?
	[ $rc -eq 2 ] && [ ! -e "$tmp/pwned" ] || { echo "--plot injection: exit $rc"; return 1; }
}
# Reports of another test, another scenario, or a SKIP are not pooled: an
# error naming the report, exit 2.
compare_mixed_refused() {
	local f err rc
	for f in other-test:"compare runs of one test on one flavor" \
		 other-config:"has config vcpus 4, .* has 2: compare runs of one scenario" \
		 skipped:"result skip, no measurement to compare"; do
		err=$("$seamstress" compare tests/fixtures/compare/base "tests/fixtures/compare/mixed/${f%%:*}.json" 2>&1 >/dev/null); rc=$?
		[ $rc -eq 2 ] && grep -qE "mixed/${f%%:*}.json.*${f#*:}" <<<"$err" ||
			{ echo "${f%%:*}: exit $rc, '$err'"; return 1; }
	done
}
check "compare/bad_input_is_an_error" compare_bad_input
check "compare/mixed_reports_are_refused" compare_mixed_refused
check "compare/same_kernel_shows_no_change" compare_same
check "compare/forced_difference_is_flagged" compare_diff
check "compare/same_settings_on_a_loaded_host_is_quiet" compare_noisy_same
# git bisect run over recorded report sets names the first bad commit.
check "bisect/git_bisect_run_on_recorded_reports" scripts/check-bisect.sh "$build"

e2e_done
