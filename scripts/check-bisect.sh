#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/check-bisect.sh BUILD: `git bisect run` driven by `seamstress
# bisect-run --reports` on recorded report sets (tests/fixtures/bisect:
# suite.json files of real runs, one good, one with a finding, one SKIP,
# one with known issues only).  A scratch repository of eight commits
# names which set "its kernel" gave; bisect must name the first commit
# with a finding, and with --known-is-bad the first with a known issue.
# Exits 0, or 1 naming what went wrong.  Run from the repository root.
set -u

build=$1
seamstress=$(cd "$(dirname "$build/seamstress")" && pwd)/seamstress
sets=$(pwd)/tests/fixtures/bisect
tmp=$(mktemp -d /tmp/seamstress-bisect.XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT

# Each set alone: git bisect run's codes.
for want in good:0 bad:1 skip:125 known:0; do
	"$seamstress" bisect-run --reports "$sets/${want%:*}" >"$tmp/out" 2>&1; rc=$?
	[ $rc -eq "${want#*:}" ] || { echo "set ${want%:*}: exit $rc, want ${want#*:}"; cat "$tmp/out"; exit 1; }
done
"$seamstress" bisect-run --known-is-bad --reports "$sets/known" >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 1 ] || { echo "set known with --known-is-bad: exit $rc, want 1"; cat "$tmp/out"; exit 1; }

# The history: c1 c2 good, c3 cannot be tested, c4 a known issue, c5 on bad.
repo=$tmp/repo
git init -q "$repo"
i=0
for set in good good skip known bad bad bad bad; do
	i=$((i + 1))
	echo "$set" >"$repo/set"
	git -C "$repo" add set
	git -C "$repo" -c user.name=check -c user.email=check@localhost commit -q --allow-empty -m "c$i: $set"
done
commit() { git -C "$repo" log --format=%H --grep="^c$1:" -1; }

# bisect STEP-OPTION WANT: the first bad commit git names must be cWANT.
bisect() {
	local opt=$1 want=$2 got
	git -C "$repo" bisect reset >/dev/null 2>&1
	git -C "$repo" bisect start "$(commit 8)" "$(commit 1)" >/dev/null
	# The step reads the set its commit names; words passed as arguments.
	(cd "$repo" && git bisect run sh -c '"$0" bisect-run $1 --reports "$2/$(cat set)"' \
		"$seamstress" "$opt" "$sets") >"$tmp/bisect.log" 2>&1
	got=$(sed -n 's/^\([0-9a-f]\{40\}\) is the first bad commit$/\1/p' "$tmp/bisect.log")
	[ "$got" = "$(commit "$want")" ] ||
		{ echo "bisect ${opt:-(default)}: first bad ${got:-none}, want c$want"; tail -20 "$tmp/bisect.log"; return 1; }
}
bisect "" 5 || exit 1
bisect --known-is-bad 4 || exit 1
