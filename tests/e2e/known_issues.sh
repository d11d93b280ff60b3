#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/e2e/known_issues.sh [BUILD]: known issues end to end on /dev/kvm: a known
# kernel bug is XFAIL, a new finding (alone or beside one) fails.
# Part of make check (scripts/check.sh); alone it prints its own TAP.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

fixtures=tests/fixtures/known-issues

known_issue_xfail() {
	local j=$tmp/known.json
	run anon 2 "$j" -v 2 -n 64 -p 0 -d 2 --inject-tear --known-issues $fixtures/torn-anywhere || return 1
	grep -qE '^ok 1 # XFAIL concurrent_fault flavor=anon: known issue torn-anywhere$' "$j.out" ||
		{ cat "$j.out"; return 1; }
	jq -e '.result == "xfail" and (.findings | length) > 0 and
		all(.findings[]; .detector == "integrity" and .evidence.class == "torn" and
		    (.message | startswith("torn: ")) and .known_issue.id == "torn-anywhere") and
		.counters.integrity_torn > 0 and .rates.integrity_torn_per_min > 0 and
		(.known_issues.file | endswith("torn-anywhere"))' "$j" >/dev/null || { cat "$j"; return 1; }
}

new_finding_fails() {
	local j=$tmp/unknown.json
	run anon 1 "$j" -v 2 -n 64 -p 0 -d 2 --inject-tear --known-issues $fixtures/other-bug-only || return 1
	jq -e '.result == "fail" and any(.findings[]; .evidence.class == "torn" and .known_issue == null)' \
		"$j" >/dev/null || { cat "$j"; return 1; }
}

new_finding_beside_known_fails() {
	local j=$tmp/beside.json
	run anon 1 "$j" -v 2 -n 64 -p 1 -d 3 -W 1 --inject-stall 30 --inject-tear \
		--known-issues $fixtures/torn-anywhere || return 1
	jq -e '.result == "fail" and any(.findings[]; .known_issue.id == "torn-anywhere") and
		any(.findings[]; .detector == "hung" and .known_issue == null)' "$j" >/dev/null ||
		{ cat "$j"; return 1; }
}

suite_known_issue() {
	local out=$tmp/suite-known conf=$tmp/known.conf tap rc
	printf '[torn]\ntest = concurrent_fault\nflavor = anon\npages = 64\npunchers = 0\ninject-tear = 1\nduration = 2\n' >"$conf"
	tap=$("$seamstress" run --out "$out" --junit "$out/junit.xml" --known-issues $fixtures/torn-anywhere \
		"$conf" 2>/dev/null); rc=$?
	[ $rc -eq 2 ] || { echo "exit $rc, want 2 (known issues only)"; echo "$tap"; return 1; }
	grep -qx 'ok 1 torn # XFAIL torn-anywhere: fixture: torn stores are known here' <<<"$tap" &&
		grep -qx '# Totals: pass:0 fail:0 xfail:1 xpass:0 skip:0 error:0' <<<"$tap" ||
		{ echo "$tap"; return 1; }
	grep -q '<skipped message="known issue: torn-anywhere: fixture' "$out/junit.xml" ||
		{ cat "$out/junit.xml"; return 1; }
	[ ! -e "$out/repro-torn" ] || { echo "a repro bundle for a known issue"; return 1; }
	jq -e '.runs[0].result == "xfail" and .runs[0].exit_code == 2' "$out/suite.json" >/dev/null ||
		{ cat "$out/suite.json"; return 1; }
	junit_check "$out/junit.xml" 1 0 1
}

kvm_check "harness/known_issue_is_xfail" known_issue_xfail
kvm_check "harness/new_finding_fails" new_finding_fails
kvm_check "harness/new_finding_beside_known_fails" new_finding_beside_known_fails
kvm_check "suite/known_issue_is_xfail" suite_known_issue

e2e_done
