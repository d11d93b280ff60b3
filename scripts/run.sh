#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make run: the main job.  Every test, on the strongest flavor this host
# offers (-f auto), for RUN_SECS seconds each, then a summary table.  JSON
# reports land in $build/reports/.  Exit status: 1 if any test failed.
set -u

build=${1:-build}
secs=${RUN_SECS:-10}
vcpus=${RUN_VCPUS:-$(nproc)}
outdir=$build/reports
mkdir -p "$outdir"

tests=$(find "$build/tests" -maxdepth 1 -type f -perm -u+x | sort)
failed=0
printf '%-20s %-12s %-6s %10s %12s %12s %9s  %s\n' test flavor result sweeps/s faults/s punches/s findings json
for t in $tests; do
	name=$(basename "$t")
	json=$outdir/$name.json
	"$t" -f auto -v "$vcpus" -p 1 -d "$secs" -j "$json" >"$outdir/$name.tap" 2>&1
	rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 4 ] || failed=1
	if [ -s "$json" ]; then
		jq -r --arg n "$name" --arg j "$json" \
			'[$n, .flavor, .result, (.rates.sweeps_per_s // 0 | floor),
			  (.rates.faults_per_s // 0 | floor), (.rates.punches_per_s // 0 | floor),
			  (.findings | length), $j] | @tsv' "$json" |
			awk -F'\t' '{ printf "%-20s %-12s %-6s %10s %12s %12s %9s  %s\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
		jq -r '.findings[] | "    \(.detector): \(.message)"' "$json"
		jq -r 'select(.result == "skip") | "    skip: \(.skip_reason)"' "$json"
	else
		printf '%-20s %-12s %-6s  (no report, exit %d; see %s)\n' "$name" - fail $rc "$outdir/$name.tap"
		failed=1
	fi
done
exit $failed
