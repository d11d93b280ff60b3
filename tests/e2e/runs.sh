#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/e2e/runs.sh [BUILD]: real runs of the tests on this host's /dev/kvm: kernel
# verdicts (clean runs), the detectors firing when injected, signals,
# skips naming the missing capability, reports against the schema.
# Part of make check (scripts/check.sh); alone it prints its own TAP.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

clean_run() {
	local flavor=$1 j=$tmp/$1.json
	run "$flavor" clean "$j" -v 2 -n 256 -p 1 -d 3 || return 1
	jq -e --arg f "$flavor" '.flavor == $f and
		.counters.sweeps > 0 and .counters.guest_writes > 0 and
		.counters.punches > 0 and .counters.punch_hits > 0 and
		(.reproduce | test("-s 0x"))' "$j" >/dev/null ||
		{ echo "unexpected report:"; cat "$j"; return 1; }
}

# The injected foreign value must fail the run with a finding naming
# gpa, vCPU, expected and seen value.
injected_run() {
	local flavor=$1 j=$tmp/inject-$1.json
	run "$flavor" 1 "$j" -v 2 -n 64 -p 1 -d 3 --inject-corruption || return 1
	jq -e '.result == "fail" and
		any(.findings[]; .detector == "integrity" and .evidence.class == "garbage" and
		    (.message | startswith("garbage: ")) and .known_issue == null and
		    .evidence.seen == "0xbadc0ffee0ddf00d" and .evidence.gpa != null and
		    .evidence.vcpu == 0 and .evidence.expected != null)' "$j" >/dev/null ||
		{ echo "no integrity finding:"; cat "$j"; return 1; }
}

sweeps_run() {
	local j=$tmp/sweeps.json
	run gmem_shared clean "$j" -v 2 -n 64 -p 1 -i 5 || return 1
	jq -e '.counters.sweeps >= 10 and .config.sweeps == 5' "$j" >/dev/null ||
		{ cat "$j"; return 1; }
}

# Ctrl-C: the report is still written, marked interrupted, promptly;
# with --cpus the vCPU and puncher threads sit on the CPU asked for.
sigint_run() {
	local j=$tmp/sigint.json pid i threads cpu=$(($(nproc) - 1))
	"$cf" -f anon -v 2 -n 64 -p 1 -d 120 --cpus "$cpu" -j "$j" >"$j.out" 2>&1 &
	pid=$!
	worker=$(wait_worker $pid 4) || { echo "worker threads never started"; kill -9 $pid; return 1; }
	pinned=$(grep -l "^Cpus_allowed_list:[[:space:]]*$cpu\$" /proc/$worker/task/*/status 2>/dev/null | wc -l)
	kill -INT $pid
	for i in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
	kill -0 $pid 2>/dev/null && { echo "still running 10 s after SIGINT"; kill -9 $pid; return 1; }
	wait $pid; rc=$?
	[ $rc -eq 1 ] || { echo "exit $rc, want 1"; cat "$j.out"; return 1; }
	jq -e '.interrupted == true and .result == "fail" and .duration_s < 60' "$j" >/dev/null ||
		{ cat "$j"; return 1; }
	no_instances || return 1
	[ "$(nproc)" -eq 1 ] || [ "$pinned" -ge 3 ] ||
		{ echo "only $pinned threads pinned to CPU $cpu"; return 1; }
}

# A signal at any moment, even while the tracer starts or the VM is
# being set up, ends in a report marked interrupted and no instance.
early_signal_run() {
	local j pid rc sig delay
	for sig in TERM HUP INT; do
		for delay in 0.05 0.3 0.8; do
			j=$tmp/early-$sig-$delay.json
			rm -f "$j"
			"$cf" -f gmem_shared -v 2 -n 64 -p 1 -d 30 -j "$j" >"$j.out" 2>&1 &
			pid=$!
			sleep "$delay"
			kill -"$sig" $pid
			for i in $(seq $((100 * slow))); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
			kill -0 $pid 2>/dev/null && { echo "SIG$sig at $delay s: still running $((10 * slow)) s later"; kill -9 $pid; return 1; }
			wait $pid; rc=$?
			[ $rc -eq 1 ] || { echo "SIG$sig at $delay s: exit $rc, want 1"; tail -5 "$j.out"; return 1; }
			jq -e '.interrupted == true' "$j" >/dev/null 2>&1 ||
				{ echo "SIG$sig at $delay s: no report marked interrupted"; tail -5 "$j.out"; return 1; }
			no_instances || return 1
		done
	done
}

# A flavor the host lacks is a SKIP (exit 4) naming the capability.
skip_reasons() {
	local f j rc
	for f in sw_protected tdx; do
		j=$tmp/skip-$f.json
		"$cf" -f $f -d 1 -j "$j" >/dev/null 2>&1; rc=$?
		[ $rc -eq 0 ] && continue	# this host has it, and it passed
		[ $rc -eq 4 ] || { echo "$f: exit $rc, want 4 or 0"; return 1; }
		jq -e '.result == "skip" and (.skip_reason | test("KVM_|/dev/kvm|issue"))' "$j" >/dev/null ||
			{ echo "$f:"; cat "$j"; return 1; }
	done
}

# A test that needs memory attributes SKIPs on a flavor without them,
# naming the capability, before any VM exists.
needs_attributes_skip() {
	local f j rc t
	for t in convert_vs_fault guest_convert; do
		for f in gmem_shared anon; do
			j=$tmp/needs-$t-$f.json
			"$build/tests/$t" -f $f -d 1 -j "$j" >/dev/null 2>&1; rc=$?
			[ $rc -eq 4 ] || { echo "$t $f: exit $rc, want 4"; return 1; }
			jq -e '.result == "skip" and (.skip_reason | test("^'$t' needs KVM_SET_MEMORY_ATTRIBUTES .*flavor '$f' has not")) and
				.counters.sweeps == null' "$j" >/dev/null || { echo "$t $f:"; cat "$j"; return 1; }
		done
	done
	# The model runs a test's SEAM_GUEST_STEP(); guest_convert's step is
	# plain guest code (MapGPA), which it cannot.
	j=$tmp/needs-guest_convert-model.json
	"$build/tests/guest_convert" -f tdx_model -d 1 -j "$j" >/dev/null 2>&1; rc=$?
	[ $rc -eq 4 ] || { echo "guest_convert tdx_model: exit $rc, want 4"; return 1; }
	jq -e '.skip_reason | test("guest step is the VM.s alone \\(it converts from inside the guest with MapGPA\\), which flavor tdx_model cannot run")' "$j" >/dev/null ||
		{ echo "guest_convert tdx_model:"; cat "$j"; return 1; }
}

remove_vs_enter_run() {
	local j=$tmp/rve-$1.json
	TEST=remove_vs_enter run "$1" clean "$j" -v 2 -n 128 -p 1 -d 3 || return 1
	jq -e '.test == "remove_vs_enter" and
		.config.burst == 8 and .config.kick_hz == 1000 and
		.counters.entries > .counters.sweeps and .counters.kicks > 0 and
		.counters.kick_exits > 0 and .counters.punches > 0 and
		.rates.entries_per_s > 0 and .latency.punch.count > 0 and
		.latency.punch.p50_ns <= .latency.punch.p99_ns and
		.latency.punch.p99_ns <= .latency.punch.max_ns and
		(.kvm_stats.vm | type) == "object" and (.kvm_stats.vcpu0 | type) == "object"' \
		"$j" >/dev/null || { cat "$j"; return 1; }
}

accept_race_run() {
	local j=$tmp/ar-$1.json
	TEST=accept_race run "$1" clean "$j" -v 2 -n 128 -p 1 -d 3 || return 1
	jq -e '.config.accept == 1 and .config.pattern == "ahead" and
		.counters.accepts >= .counters.guest_writes and .counters.accepts > 0 and
		.counters.punch_hits > 0' "$j" >/dev/null ||
		{ cat "$j"; return 1; }
}

# --widen: the puncher times its chase punches to the vCPUs' page
# moves (it measured a page visit) and the report has the collision
# yield; rates are the bench's, not asserted here.
widen_run() {
	local j=$tmp/widen.json
	run gmem_shared clean "$j" -v 2 -n 64 -p 1 -P chase --widen -d 2 || return 1
	jq -e '.config.widen == 1 and .counters.widen_timed > 0 and
		(.config.widen_dwell_ns | tonumber) > 0 and
		(.counters | has("collisions_on_page") and has("readback_wiped")) and
		(.rates | has("collision_fraction") and has("readback_wiped_per_op")) and
		(.reproduce | test(" --widen"))' "$j" >/dev/null || { jq '{config, counters, rates}' "$j"; return 1; }
}

# Every thread of a run is created after the kick's SIGUSR1 handler
# (tests/contract/kick_before_threads.c checks it at each creation).
kick_order_run() {
	TEST=contract/kick_before_threads run anon clean "$tmp/kick.json" -v 2 -n 64 -p 1 -d 1
}

# --expect: a reproducer passes only if its detector fired.
expect_run() {
	run anon 0 "$tmp/expect-ok.json" -v 2 -n 64 -p 1 -d 2 --inject-corruption \
		--expect integrity || return 1
	# A class asked for: another class is "something else".
	run anon 1 "$tmp/expect-class.json" -v 2 -n 64 -p 1 -d 2 --inject-corruption \
		--expect integrity:torn || return 1
	run anon 0 "$tmp/expect-torn.json" -v 2 -n 64 -p 0 -d 2 --inject-tear \
		--expect integrity:torn --known-issues none || return 1
	# A 2-byte access sees the tear in its own lanes only.
	run anon 0 "$tmp/expect-torn2.json" -v 2 -n 64 -p 0 -d 2 --inject-tear \
		--access-width 2 --expect integrity:torn --known-issues none || return 1
	jq -e '.config.access_width == 2 and any(.findings[]; .detector == "integrity" and
		.evidence.class == "torn" and .evidence.lanes_match == "0x2" and
		.evidence.lanes_zero == "0x1")' "$tmp/expect-torn2.json" >/dev/null ||
		{ jq '{config, findings}' "$tmp/expect-torn2.json"; return 1; }
	run anon 1 "$tmp/expect-no.json" -v 2 -n 64 -p 1 -d 1 --expect kvm_bug_on || return 1
	jq -e 'any(.findings[]; .detector == "expectation" and
		(.message | test("kvm_bug_on")))' "$tmp/expect-no.json" >/dev/null ||
		{ cat "$tmp/expect-no.json"; return 1; }
}

# The tracer sees this host's fault events, reports the streak histogram,
# and removes its instance.
zero_step_live() {
	local j=$tmp/trace.json
	run gmem_shared clean "$j" -v 2 -n 64 -p 1 -d 2 || return 1
	jq -e '.config.faulttrace != "none" and .counters.trace_fault_events > 0 and
		([.fault_streaks[]] | add) > 0 and .counters.zero_step_suspects == 0' "$j" >/dev/null ||
		{ jq '{config, counters, fault_streaks}' "$j"; return 1; }
}

# The doctor names the flavor -f auto really picks, and why tdx cannot run.
doctor_run() {
	local out picked
	out=$("$build/seamstress-doctor") || { echo "doctor failed"; return 1; }
	"$cf" -f auto -v 1 -n 8 -p 0 -d 0.5 --no-trace -j "$tmp/auto.json" >/dev/null 2>&1
	picked=$(jq -r .flavor "$tmp/auto.json")
	grep -q "^auto picks: $picked\$" <<<"$out" || { echo "doctor vs run ($picked):"; echo "$out"; return 1; }
	grep -qE '^  tdx +(yes|no: .+)$' <<<"$out" || { echo "$out"; return 1; }
	grep -q '^KVM_CAP_VM_TYPES' <<<"$out" && grep -q '^kprobe events' <<<"$out" || return 1
	# --json FILE says the same: auto, and each flavor's yes/no and reason.
	"$build/seamstress-doctor" --json "$tmp/doctor.json" >/dev/null || { echo "doctor --json failed"; return 1; }
	jq -e --arg p "$picked" '.auto == $p and (.caps.vm_types | type) == "number" and
		any(.checks[]; .check == "KVM_CAP_VM_TYPES")' "$tmp/doctor.json" >/dev/null ||
		{ echo "doctor.json disagrees ($picked):"; cat "$tmp/doctor.json"; return 1; }
	jq -r '.flavors | to_entries[] | "  \(.key) \(if .value.available then "yes" else "no: " + .value.reason end)"' \
		"$tmp/doctor.json" | while read -r name rest; do
		grep -qE "^  $name +$(sed 's/[][().*^$+?{}|\\]/\\&/g' <<<"$rest")\$" <<<"$out" ||
			{ echo "flavor $name: JSON '$rest' is not the text's"; exit 1; }
	done || return 1
	"$build/seamstress-doctor" --verbose >/dev/null 2>&1; [ $? -eq 125 ] || { echo "a bad argument is not 125"; return 1; }
}

# -f tdx here: a SKIP whose reason is the doctor's.
tdx_skip_run() {
	local j=$tmp/tdx.json rc reason
	"$cf" -f tdx -d 1 -j "$j" >/dev/null 2>&1; rc=$?
	[ $rc -eq 4 ] || [ $rc -eq 0 ] || { echo "exit $rc"; return 1; }
	[ $rc -eq 0 ] && return 0	# a TDX host: it ran
	reason=$(jq -r .skip_reason "$j")
	"$build/seamstress-doctor" | grep -qF "tdx            no: $reason" ||
		{ echo "skip reason '$reason' is not the doctor's"; return 1; }
}

# The TD image booted in an ordinary VM (lib/run/td_image_boot.c).  A
# KVM that runs it to the first TDCALL's #UD passes it; this host's
# PVM emulates the guest and fails to decode TDCALL instead, which
# must be a SKIP saying so, after every vCPU entered the workload
# with its own index, stack and page tables; a host whose guest
# MAXPHYADDR cannot hold the shared bit SKIPs as the doctor says.
td_image_run() {
	local j=$tmp/td_image.json out=$tmp/td_image.out rc reason v
	"$cf" -f td_image -v 4 -d 1 -j "$j" >"$out" 2>&1; rc=$?
	reason=$(jq -r .skip_reason "$j")
	case $rc in
	0)	jq -e '.counters.td_image_vcpus_booted == 4' "$j" >/dev/null ||
			{ echo "passed without 4 booted vCPUs"; jq .counters "$j"; return 1; } ;;
	4)	if "$build/seamstress-doctor" | grep -qF "td_image       no: $reason"; then
			return 0
		fi
		case $reason in
		*"emulation failure"*"every vCPU entered the workload right"*) ;;
		*) echo "skip reason '$reason' is neither the doctor's nor the emulation failure"; return 1 ;;
		esac
		for v in 0 1 2 3; do
			grep -q "^# td_image: vCPU $v reached the workload with index $v on its own stack" "$out" ||
				{ echo "vCPU $v's entry not shown:"; grep td_image "$out"; return 1; }
		done ;;
	*)	echo "exit $rc"; grep -E 'finding|td_image' "$out"; return 1 ;;
	esac
}

# Isolation: an unrelated guest doing nothing but exits, another VM
# faulting on one slot at the contended GPA over and over (a zero-step
# streak to a tracer that looked at it) and a second traced seamstress
# run, all beside this run: no finding here, none there.
others_isolated() {
	local j=$tmp/iso.json j2=$tmp/iso-other.json p1 p2 p3 alive rc2
	"$build/bench/exit_baseline" -v 1 -d $((20 * slow)) >/dev/null 2>&1 & p1=$!
	"$cf" -f anon -v 1 -n 1 -p 1 -d $((20 * slow)) --no-trace -j "$tmp/iso-hammer.json" >/dev/null 2>&1 & p2=$!
	"$cf" -f gmem_shared -v 1 -n 64 -p 1 -d $((8 * slow)) -j "$j2" >"$j2.out" 2>&1 & p3=$!
	sleep $((2 * slow))
	# Not run(): the second run's instance is rightly alive meanwhile.
	"$cf" -f gmem_shared -v 2 -n 64 -p 1 -d 3 -j "$j" >"$j.out" 2>&1; rc=$?
	alive=0
	kill -0 $p1 2>/dev/null && kill -0 $p2 2>/dev/null && alive=1
	wait $p3; rc2=$?
	kill $p1 $p2 2>/dev/null; wait $p1 $p2 2>/dev/null
	{ [ $rc -eq 0 ] || [ $rc -eq 2 ]; } && known_only "$j" || { echo "exit $rc"; tail -5 "$j.out"; return 1; }
	[ $alive -eq 1 ] || { echo "the other guests were not running beside this run"; return 1; }
	jq -e '.counters.trace_fault_events > 0 and .counters.zero_step_suspects == 0' "$j" >/dev/null ||
		{ jq '{counters, findings}' "$j"; return 1; }
	{ [ $rc2 -eq 0 ] || [ $rc2 -eq 2 ]; } && known_only "$j2" ||
		{ echo "the second seamstress run: exit $rc2"; tail -5 "$j2.out"; return 1; }
	no_instances
}

kvm_check "kvm/concurrent_fault_gmem_shared" clean_run gmem_shared
kvm_check "kvm/concurrent_fault_anon" clean_run anon
kvm_check "kvm/integrity_catches_injected_value_gmem_shared" injected_run gmem_shared
kvm_check "kvm/integrity_catches_injected_value_anon" injected_run anon
kvm_check "kvm/sweep_target" sweeps_run
kvm_check "kvm/sigint_writes_report" sigint_run
kvm_check "kvm/early_signal_writes_report" early_signal_run
kvm_check "kvm/missing_flavors_skip_with_reason" skip_reasons
kvm_check "kvm/convert_vs_fault_skips_without_attributes" needs_attributes_skip
kvm_check "kvm/remove_vs_enter_gmem_shared" remove_vs_enter_run gmem_shared
kvm_check "kvm/remove_vs_enter_anon" remove_vs_enter_run anon
kvm_check "kvm/accept_race_gmem_shared" accept_race_run gmem_shared
kvm_check "kvm/accept_race_anon" accept_race_run anon
kvm_check "kvm/widen_times_punches_and_counts_collisions" widen_run
kvm_check "kvm/kick_handler_before_any_thread" kick_order_run
kvm_check "kvm/expect_passes_only_if_detector_fired" expect_run
kvm_check "kvm/zero_step_tracer_sees_faults" zero_step_live
kvm_check "kvm/doctor_agrees_with_auto" doctor_run
kvm_check "kvm/reports_validate_against_the_schema" scripts/check-schema.sh "$build"
kvm_check "kvm/tdx_skips_with_the_missing_capability" tdx_skip_run
kvm_check "kvm/td_image_boots_to_its_first_tdcall" td_image_run
kvm_check "kvm/detectors_ignore_other_vms" others_isolated

e2e_done
