#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Random-signal soak: TRIALS runs of concurrent_fault, each sent one
# catchable stop signal (INT, TERM or HUP) at a random moment in its first
# two seconds (tracer start, VM setup, or the stress itself).  Every trial
# must end within the deadline with a JSON report marked interrupted (or a
# finished one, if the signal came after the end), leave no tracefs
# instance of its own, and leave no process of its own behind.
#
#   scripts/signal-soak.sh [BUILD] [TRIALS]
#
# Prints one line per failed trial and a summary; exits 1 if any failed.
set -u
build=${1:-build}
trials=${2:-100}
cf=$build/tests/concurrent_fault
tmp=$(mktemp -d /tmp/seamstress-soak.XXXXXX) || exit 125
trap 'rm -rf "$tmp"' EXIT
[ -x "$cf" ] || { echo "signal-soak: build first (make)" >&2; exit 125; }
tracing=$(awk '$3 == "tracefs" { print $2; exit }' /proc/mounts)
signals=(INT TERM HUP)
failed=0 missing=0 left=0 orphans=0

for t in $(seq "$trials"); do
	j=$tmp/t$t.json
	sig=${signals[RANDOM % 3]}
	delay=$(printf '0.%03d' $((RANDOM % 1000)))
	[ $((RANDOM % 2)) -eq 0 ] && delay=1${delay#0}
	flavor=gmem_shared
	[ $((RANDOM % 2)) -eq 0 ] && flavor=anon
	"$cf" -f "$flavor" -v 2 -n 64 -p 1 -d 3 -j "$j" >"$j.out" 2>&1 &
	pid=$!
	sleep "$delay"
	workers=$(pgrep -P $pid)
	kill -"$sig" $pid 2>/dev/null
	for i in $(seq 150); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
	if kill -0 $pid 2>/dev/null; then
		echo "trial $t ($flavor, SIG$sig at $delay s): still running 15 s later"
		kill -9 $pid
		failed=$((failed + 1))
	fi
	wait $pid 2>/dev/null
	if ! jq -e '.result' "$j" >/dev/null 2>&1; then
		echo "trial $t ($flavor, SIG$sig at $delay s): no report"
		missing=$((missing + 1))
	fi
	# Its own instance carries its pid: seamstress-<boot>-<pidns>-<pid>-<start>.
	if [ -n "$tracing" ] && ls "$tracing/instances" 2>/dev/null | grep -q -- "-$pid-"; then
		echo "trial $t ($flavor, SIG$sig at $delay s): tracefs instance left"
		left=$((left + 1))
	fi
	for w in $workers; do
		if kill -0 "$w" 2>/dev/null && [ "$(awk '{ print $4 }' /proc/"$w"/stat 2>/dev/null)" = 1 ]; then
			echo "trial $t ($flavor, SIG$sig at $delay s): worker $w orphaned"
			kill -9 "$w"
			orphans=$((orphans + 1))
		fi
	done
done
echo "# signal soak: $trials trials, $failed hung, $missing without a report, $left instances left, $orphans orphans"
[ $((failed + missing + left + orphans)) -eq 0 ]
