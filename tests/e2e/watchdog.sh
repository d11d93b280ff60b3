#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/e2e/watchdog.sh [BUILD]: the supervisor and its watchdog on /dev/kvm: a
# stalled operation named, stopped and killed workers.
# Part of make check (scripts/check.sh); alone it prints its own TAP.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# An injected stall in one puncher operation: a hung finding naming the
# operation, with the thread's kernel stack, wchan and syscall.
watchdog_stall_run() {
	local j=$tmp/stall.json
	run anon 1 "$j" -v 2 -n 64 -p 1 -d 10 -W 1 --inject-stall 30 || return 1
	jq -e 'any(.findings[]; .detector == "hung" and
		.evidence.operation == "fallocate(PUNCH_HOLE) [stall injected]" and
		.evidence.thread == "puncher 0" and (.evidence.stack | length) > 0 and
		(.evidence.syscall | test("nanosleep")) and .evidence.age_ms >= 1000)' "$j" >/dev/null ||
		{ cat "$j"; return 1; }
}

# The worker stopped with SIGSTOP: the supervisor still reports, within
# deadline + 1 s.
watchdog_sigstop_run() {
	local j=$tmp/sigstop.json pid worker t0 t1 rc
	"$cf" -f anon -v 2 -n 64 -p 1 -d 60 -W 2 -j "$j" >"$j.out" 2>&1 &
	pid=$!
	worker=$(wait_worker $pid 4) || { echo "worker never started"; kill -9 $pid; return 1; }
	t0=$(date +%s%N)
	kill -STOP "$worker"
	wait $pid; rc=$?
	t1=$(date +%s%N)
	kill -9 "$worker" 2>/dev/null
	[ $rc -eq 1 ] || { echo "exit $rc, want 1"; cat "$j.out"; return 1; }
	[ $(( (t1 - t0) / 1000000 )) -le 3000 ] ||
		{ echo "report after $(( (t1 - t0) / 1000000 )) ms, deadline 2 s + 1 s"; return 1; }
	jq -e 'any(.findings[]; .detector == "hung")' "$j" >/dev/null || { cat "$j"; return 1; }
	no_instances
}

# A worker stopped before it has any thread (in its start or VM setup)
# is hung at the deadline, not waited for forever.
watchdog_setup_stop_run() {
	local j=$tmp/setup-stop.json sup w i rc
	"$cf" -f gmem_shared -v 2 -n 64 -d 3 -W 2 -j "$j" >"$j.out" 2>&1 &
	sup=$!
	for i in $(seq 1000); do w=$(pgrep -P $sup | head -1); [ -n "$w" ] && break; sleep 0.005; done
	[ -n "$w" ] || { echo "no worker"; kill -9 $sup; return 1; }
	kill -STOP "$w"
	for i in $(seq 150); do kill -0 $sup 2>/dev/null || break; sleep 0.1; done
	kill -0 $sup 2>/dev/null && { echo "supervisor still waiting 15 s after the stop"; kill -9 $sup "$w"; return 1; }
	wait $sup; rc=$?
	kill -9 "$w" 2>/dev/null
	[ $rc -eq 1 ] || { echo "exit $rc, want 1"; return 1; }
	jq -e 'any(.findings[]; .detector == "hung" and (.message | test("worker setup")))' "$j" >/dev/null ||
		{ jq '.findings' "$j"; return 1; }
	no_instances
}

# The supervisor SIGKILLed: the worker (and its VM) goes with it, and
# the next run removes the tracefs instance it could not.
watchdog_parent_killed() {
	local j=$tmp/pkill.json pid worker i state
	"$cf" -f anon -v 2 -n 64 -p 1 -d 60 -j "$j" >"$j.out" 2>&1 &
	pid=$!
	worker=$(wait_worker $pid 4) || { echo "worker never started"; kill -9 $pid; return 1; }
	kill -9 $pid
	wait $pid 2>/dev/null
	for i in $(seq 50); do
		state=$(awk '{ print $3 }' /proc/"$worker"/stat 2>/dev/null)
		[ -z "$state" ] || [ "$state" = Z ] && break
		sleep 0.1
	done
	[ -z "$state" ] || [ "$state" = Z ] ||
		{ kill -9 "$worker"; echo "worker $worker outlived its killed supervisor by 5 s"; return 1; }
	run anon clean "$j" -v 2 -n 64 -p 1 -d 1 && no_instances
}

kvm_check "kvm/watchdog_names_stalled_operation" watchdog_stall_run
kvm_check "kvm/watchdog_survives_sigstopped_worker" watchdog_sigstop_run
kvm_check "kvm/watchdog_sees_worker_stopped_in_setup" watchdog_setup_stop_run
kvm_check "kvm/worker_dies_with_killed_supervisor" watchdog_parent_killed

e2e_done
