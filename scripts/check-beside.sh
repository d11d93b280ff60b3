#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-beside: the whole of make check while two neighbours run on
# the same host, to show that a run's verdict is its own (isolation): an
# unrelated KVM guest (the bench's exit_baseline, a VM that exits to
# userspace as fast as it can) and a second seamstress run (concurrent_fault
# on anon, restarted in a loop, with its own tracefs instance).  Neither
# neighbour's faults, instances or findings may reach a check's verdict.
#
#   scripts/check-beside.sh BUILD
#
# Exits with check.sh's status; 125 if a neighbour never ran.
set -u
build=${1:-build}
tmp=$(mktemp -d /tmp/seamstress-beside.XXXXXX) || exit 125
pids=()

stop_neighbours() {
	local p
	for p in "${pids[@]}"; do
		kill -- "$p" 2>/dev/null
	done
	wait 2>/dev/null
}
trap 'stop_neighbours; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

[ -x "$build/bench/exit_baseline" ] && [ -x "$build/tests/concurrent_fault" ] ||
	{ echo "check-beside: build first (make all bench-bins)" >&2; exit 125; }

# Each neighbour loops until killed; its iterations are counted in a file.
(
	trap 'exit 0' TERM
	while :; do
		"$build/bench/exit_baseline" -v 1 -d 5 >/dev/null 2>&1 || exit 1
		echo >>"$tmp/guest.runs"
	done
) &
pids+=($!)
(
	trap 'kill $run 2>/dev/null; wait $run; exit 0' TERM
	while :; do
		"$build/tests/concurrent_fault" -f anon -v 1 -n 64 -p 1 -d 5 \
			-j "$tmp/neighbour.json" >/dev/null 2>&1 &
		run=$!
		wait $run
		echo >>"$tmp/seamstress.runs"
	done
) &
pids+=($!)

echo "# beside: an exit_baseline guest and a seamstress anon run, restarted in loops"
scripts/check.sh "$build"
rc=$?
stop_neighbours
pids=()

guest=$(wc -l <"$tmp/guest.runs" 2>/dev/null || echo 0)
neighbour=$(wc -l <"$tmp/seamstress.runs" 2>/dev/null || echo 0)
echo "# beside: the neighbour guest ran $guest times, the neighbour seamstress run $neighbour times"
if [ "$guest" -eq 0 ] || [ "$neighbour" -eq 0 ]; then
	echo "# beside: a neighbour never completed a run, so this proves nothing" >&2
	exit 125
fi
exit $rc
