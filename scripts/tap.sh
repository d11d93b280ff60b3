# SPDX-License-Identifier: GPL-2.0
#
# The TAP of make check's scripts (sourced by tests/e2e/lib.sh and vm-check.sh):
# "TAP version 13", then ok/nok/skip/check per check, and closing's plan
# and "N passed, N failed, N skipped".  Diagnostics are "# " lines, every
# one, so nested TAP in a failure's output never reads as ours and prove
# counts exactly the checks (scripts/check-tap.sh proves it).
n=0 passed=0 failed=0 skipped=0
echo "TAP version 13"

ok()   { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n $1"; }
# nok NAME LINE...: not ok, each LINE a diagnostic.
nok()  { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"; shift; printf '%s\n' "$@" | sed 's/^/# /'; }
skip() { n=$((n + 1)); skipped=$((skipped + 1)); echo "ok $n $1 # SKIP $2"; }
# check NAME CMD...: ok if CMD succeeds, else not ok with its output.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$name"; else nok "$name" "$(echo "$out" | tail -20)"; fi
}
# closing: the plan and the tally; exits 1 when a check failed.
closing() {
	echo "1..$n"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
	exit
}
