#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Characterise the torn guest access (docs/findings.md) on this host: one
# concurrent_fault run per combination of store kind, access width, region
# size and punch size, and host reader, each SECS seconds, printing per run
# the torn hits, per minute, and what the guest's second read says was
# split (store: the torn value stayed in memory; load: memory held the
# whole tag).  The output is a markdown table for docs/findings.md.
#
#   scripts/tear-matrix.sh [SECS] [extra concurrent_fault options...]
#
# Needs gmem_shared (guest_memfd with MMAP) and root; exits 4 if the flavor
# is missing.
set -u
secs=${1:-10}
shift || true
bin=build/tests/concurrent_fault
out=$(mktemp -d /tmp/seamstress-tear-matrix.XXXXXX) || exit 125
trap 'rm -rf "$out"' EXIT

[ -x "$bin" ] || { echo "tear-matrix: $bin is not built (make)" >&2; exit 125; }

printf '| store | width | pages | punch | host reader | torn | torn/min | store split | load split | unknown | stale | garbage | guest writes | punches |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n'
for geom in "64 4K" "512 4K" "512 2M"; do
	read -r pages punch <<<"$geom"
	for store in plain locked; do
		for width in 8 4 2; do
			for reader in off on; do
				json=$out/run.json
				args=(-f gmem_shared -v 2 -n "$pages" -p 1 -b "$punch" -d "$secs"
				      --store "$store" --access-width "$width" --known-issues none
				      -j "$json")
				[ "$reader" = on ] && args+=(--host-reader)
				"$bin" "${args[@]}" "$@" >"$out/run.log" 2>&1
				rc=$?
				if [ "$rc" = 4 ]; then
					grep -m1 SKIP "$out/run.log" >&2
					exit 4
				fi
				if [ ! -s "$json" ]; then
					echo "tear-matrix: no report (exit $rc); log:" >&2
					cat "$out/run.log" >&2
					exit 125
				fi
				jq -r --arg s "$store" --arg w "$width" --arg p "$pages" \
				      --arg b "$punch" --arg r "$reader" --arg secs "$secs" '
					.counters as $c |
					"| \($s) | \($w) | \($p) | \($b) | \($r) | \($c.integrity_torn) | " +
					"\(($c.integrity_torn * 60 / ($secs | tonumber)) | floor) | " +
					"\($c.integrity_torn_store) | \($c.integrity_torn_load) | " +
					"\($c.integrity_torn_unknown) | \($c.integrity_stale) | " +
					"\($c.integrity_garbage) | \($c.guest_writes) | \($c.punches) |"' "$json"
				rm -f "$json"
			done
		done
	done
done
