#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/check-tap.sh: make check's TAP (scripts/tap.sh) as prove reads
# it.  A scripted stream of five checks, two failing with nested TAP in
# their output (a failing test's own "not ok" lines and plan), must count
# as 5 tests with exactly 2 failures, not the nested ones as well.
# Exits 0, or 1 with prove's output.  Run from the repository root.
set -u
command -v prove >/dev/null || { echo "prove missing (package perl)"; exit 1; }
tmp=$(mktemp -d /tmp/seamstress-tap.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

nested() { printf 'TAP version 13\n1..3\nok 1 inner\nnot ok 2 inner\nnot ok 3 inner\n'; return 1; }
(
	. scripts/tap.sh
	check "passes" true
	check "fails with nested TAP" nested
	skip "skipped" "a reason"
	nok "fails with lines" "not ok 7 nested" "1..9"
	ok "passes too"
	closing
) >"$tmp/stream.tap"
rc=$?
[ $rc -eq 1 ] || { echo "closing exit $rc with failures, want 1"; cat "$tmp/stream.tap"; exit 1; }
out=$(prove --exec cat "$tmp/stream.tap" 2>&1)
grep -qE 'Failed 2/5 subtests' <<<"$out" && grep -qE 'Tests=5,' <<<"$out" ||
	{ echo "prove did not read 5 checks, 2 failed:"; echo "$out"; cat "$tmp/stream.tap"; exit 1; }
tail -1 "$tmp/stream.tap" | grep -qx '2 passed, 2 failed, 1 skipped' ||
	{ echo "tally: $(tail -1 "$tmp/stream.tap")"; exit 1; }
