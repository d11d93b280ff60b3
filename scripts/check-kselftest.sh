#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/check-kselftest.sh BUILD KSRC: make install's kselftest layout
# runs under the kernel's own run_kselftest.sh (from KSRC) with the lines
# LKP parses, `^(ok|not ok) N selftests: kvm: T( # SKIP)?`: a clean entry
# ok, one without TDX a SKIP, one whose only finding is known ok with its
# XFAIL line, each leaving its report.  Real runs (/dev/kvm, anon).
# Exits 0, or 1 naming what went wrong.  Run from the repository root.
set -u

build=$1 ksrc=$2
tmp=$(mktemp -d /tmp/seamstress-ksft.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
d=$tmp/install

scripts/kselftest-install.sh "$build" "$ksrc" "$d" tests/fixtures/kselftest/three.conf >"$tmp/install.log" 2>&1 ||
	{ echo "kselftest-install.sh failed:"; cat "$tmp/install.log"; exit 1; }
for f in run_kselftest.sh kselftest/runner.sh kselftest-list.txt kvm/settings kvm/config \
	 kvm/seamstress kvm/tests/concurrent_fault kvm/seamstress_clean; do
	[ -e "$d/$f" ] || { echo "the install lacks $f"; exit 1; }
done
# The longest section's timeout (accept_race: 1 s, deadline 10: 51 s) plus 60.
grep -qx 'timeout=[0-9]*' "$d/kvm/settings" && [ "$(cut -d= -f2 "$d/kvm/settings")" -ge 100 ] ||
	{ echo "settings: $(cat "$d/kvm/settings")"; exit 1; }
[ "$("$d/run_kselftest.sh" -l)" = $'kvm:seamstress_clean\nkvm:seamstress_tdx\nkvm:seamstress_torn' ] ||
	{ echo "run_kselftest.sh -l:"; "$d/run_kselftest.sh" -l; exit 1; }

# The installed known-issues file, swapped for one that knows torn stores
# anywhere, is what the entries read.
cp tests/fixtures/known-issues/torn-anywhere "$d/kvm/known-issues"
out=$(cd "$d" && SEAM_KSFT_OUT=$tmp/reports ./run_kselftest.sh 2>&1)
lines=$(grep -E '^(ok|not ok) ' <<<"$out")
want=$'ok 1 selftests: kvm: seamstress_clean\nok 2 selftests: kvm: seamstress_tdx # SKIP\nok 3 selftests: kvm: seamstress_torn'
[ "$lines" = "$want" ] || { echo "run_kselftest.sh's result lines:"; echo "$lines"; echo "want:"; echo "$want"; echo "$out" | tail -30; exit 1; }
bad=$(grep -vE '^(ok|not ok) [0-9]+ selftests: kvm: [A-Za-z0-9_.-]+( # SKIP)?$' <<<"$lines")
[ -z "$bad" ] || { echo "lines LKP would not parse: $bad"; exit 1; }
grep -q '^# # XFAIL torn: known issues only' <<<"$out" || { echo "no XFAIL line for torn:"; echo "$out" | tail -20; exit 1; }
for s in clean torn; do
	[ -s "$tmp/reports/$s/$s.json" ] || { echo "no report $tmp/reports/$s/$s.json"; exit 1; }
done
jq -e '.result == "xfail"' "$tmp/reports/torn/torn.json" >/dev/null || { echo "torn's report is not an xfail"; exit 1; }
