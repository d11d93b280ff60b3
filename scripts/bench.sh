#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: in one invocation, on the same host and vCPU count,
#   (a) a trivial-exit baseline (guest OUT loop: userspace exits/s per vCPU),
#   (b) the selftests' own demand_paging_test from the same tree,
#   (c) concurrent_fault without punching, (d) with punching,
# and each stress rate as a ratio to (a) and (b); the guest's cost per page
# (emulated instructions, where the host emulates) and sweeps/s per vCPU,
# against a minimal sweep loop's; the collision yield of chase punches
# without and with --widen, side by side.  Rates are measured here, never
# asserted in tests.
set -euo pipefail

build=${1:-build}
vcpus=${BENCH_VCPUS:-2}
secs=${BENCH_SECS:-5}
pages=${BENCH_PAGES:-512}
tmp=$(mktemp -d /tmp/seamstress-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if ! [ -w /dev/kvm ]; then
	echo "bench: /dev/kvm is absent or not writable: is KVM loaded and enabled?" >&2
	exit 4
fi

echo "# bench: $vcpus vCPUs, $secs s each, $pages contended pages, kernel $(uname -r)"

a=$("$build/bench/exit_baseline" -v "$vcpus" -d "$secs" | awk '/^exits_per_s_per_vcpu/ {print $2}')
b=$("$build/bench/demand_paging_test" -v "$vcpus" -b 256M 2>&1 |
	awk -F'\t' '/Overall demand paging rate/ {split($2, x, " "); print x[1]}')

run_cf() {
	local punchers=$1 j=$tmp/cf-$1.json
	"$build/tests/concurrent_fault" -v "$vcpus" -n "$pages" -d "$secs" -p "$punchers" \
		-s 1 -j "$j" >/dev/null
	jq -r '[.flavor, .rates.faults_per_s, .rates.sweeps_per_s, .rates.punches_per_s,
		.config.faults_source] | @tsv' "$j"
}
read -r flavor_c faults_c sweeps_c punches_c src_c < <(run_cf 0)
read -r flavor_d faults_d sweeps_d punches_d src_d < <(run_cf 1)

ratio() { awk -v x="$1" -v y="$2" 'BEGIN { if (y > 0) printf "%.4f", x / y; else print "n/a" }'; }

printf '%-34s %14s %12s %12s %12s %12s\n' "run" "faults/s" "sweeps/s" "punches/s" "faults/(a)" "faults/(b)"
printf '%-34s %14.1f %12s %12s %12s %12s\n' "(a) exit baseline, exits/s/vCPU" "$a" - - - -
printf '%-34s %14.1f %12s %12s %12s %12s\n' "(b) demand_paging_test, pages/s" "$b" - - - -
printf '%-34s %14.1f %12.1f %12.1f %12s %12s\n' "(c) concurrent_fault $flavor_c p=0" "$faults_c" "$sweeps_c" "$punches_c" \
	"$(ratio "$faults_c" "$a")" "$(ratio "$faults_c" "$b")"
printf '%-34s %14.1f %12.1f %12.1f %12s %12s\n' "(d) concurrent_fault $flavor_d p=1" "$faults_d" "$sweeps_d" "$punches_d" \
	"$(ratio "$faults_d" "$a")" "$(ratio "$faults_d" "$b")"
echo "# sweeps/s as ratios: (c)/(a) $(ratio "$sweeps_c" "$a")  (d)/(a) $(ratio "$sweeps_d" "$a")  (c)/(b) $(ratio "$sweeps_c" "$b")  (d)/(b) $(ratio "$sweeps_d" "$b")"
echo "# faults source: (c) $src_c, (d) $src_d"

# The guest's per-page cost against the least guest code doing the same
# sweep (tests/bench/sweep_baseline.c), same vCPUs and pages: emulated
# instructions per page touched (the host's insn_emulation stat over guest
# writes, where the host emulates the guest; "n/a" where it does not) and
# sweeps per second per vCPU, of concurrent_fault without the fault tracer
# (the guest path alone) and of (c) (with it).
guest_cost() {
	jq -r --argjson v "$vcpus" '[([.kvm_stats | to_entries[] |
		select(.key | startswith("vcpu")) | .value.insn_emulation // 0] | add) as $i |
		(if $i > 0 and .counters.guest_writes > 0 then $i / .counters.guest_writes * 10 | round / 10
		 else "n/a" end),
		(.rates.sweeps_per_s / $v * 10 | round / 10)] | @tsv' "$1"
}
"$build/tests/concurrent_fault" -v "$vcpus" -n "$pages" -d "$secs" -p 0 -s 1 --no-trace \
	-j "$tmp/cf-notrace.json" >/dev/null
read -r ipp_n spv_n < <(guest_cost "$tmp/cf-notrace.json")
read -r ipp_c spv_c < <(guest_cost "$tmp/cf-0.json")
base=$("$build/bench/sweep_baseline" -v "$vcpus" -n "$pages" -d "$secs")
spv_m=$(awk '/^sweeps_per_s_per_vcpu/ {print $2}' <<<"$base")
ipp_m=$(awk '/^insn_per_page/ {print $2}' <<<"$base")
echo "# guest per page over $pages pages, concurrent_fault p=0 against the minimal sweep loop (m):"
echo "#   emulated instructions per page: $ipp_n, (m) $ipp_m, ratio $(ratio "$ipp_n" "$ipp_m")"
echo "#   sweeps/s per vCPU: $spv_n without the fault tracer, ratio to (m) $(ratio "$spv_n" "$spv_m"); $spv_c with it (c), $(ratio "$spv_c" "$spv_m"); (m) $spv_m"

# Collision yield: chase punches (the page a vCPU is on), untimed and timed
# by the widening puncher (--widen), one after the other, same seed.
run_chase() {
	local j=$tmp/chase-$1.json
	"$build/tests/concurrent_fault" -v "$vcpus" -n "$pages" -d "$secs" -p 1 -P chase \
		-s 1 $2 -j "$j" >/dev/null || true
	jq -r '[.rates.punches_per_s, .rates.collisions_on_page_per_s, .rates.collision_fraction,
		.rates.readback_wiped_per_s, .rates.readback_wiped_per_op * 1000,
		.rates.sweeps_per_s] | @tsv' "$j"
}
read -r pu_g co_g cf_g wi_g wk_g sw_g < <(run_chase plain "")
read -r pu_h co_h cf_h wi_h wk_h sw_h < <(run_chase widen --widen)
echo
printf '%-30s %12s %14s %10s %12s %12s %10s\n' "collision yield, -P chase" "punches/s" "on-page/s" "fraction" \
	"wiped/s" "wiped/kop" "sweeps/s"
printf '%-30s %12.1f %14.1f %10.4f %12.1f %12.3f %10.1f\n' "(g) untimed" "$pu_g" "$co_g" "$cf_g" "$wi_g" "$wk_g" "$sw_g"
printf '%-30s %12.1f %14.1f %10.4f %12.1f %12.3f %10.1f\n' "(h) --widen" "$pu_h" "$co_h" "$cf_h" "$wi_h" "$wk_h" "$sw_h"
echo "# (h)/(g): wiped/s $(ratio "$wi_h" "$wi_g"), wiped per operation $(ratio "$wk_h" "$wk_g")"
echo "# on-page: the operation completed while a vCPU stayed on that page; wiped: a guest write read back 0"

# BENCH_MODEL=0 (make vm-bench): the model measures no kernel; stop here.
[ "${BENCH_MODEL:-1}" = 0 ] && exit 0

# The model with real threads (KVM 6.19, the guest taking #VEs): scheduling
# steps and BUSY statuses (collisions) per second, without and with a
# puncher, the second as a ratio to the first.
run_model() {
	local j=$tmp/model-$1.json
	"$build/tests/concurrent_fault" -f tdx_model --kvm-release 6.19 --td-sept-ve --no-trace \
		-v "$vcpus" -n "$pages" -d "$secs" -p "$1" -s 1 -j "$j" >/dev/null || true
	jq -r '[.counters.model_steps / .duration_s,
		([.seamcall_busy // {} | .[] | .[]] | add // 0) / .duration_s] | @tsv' "$j"
}
read -r steps_e busy_e < <(run_model 0)
read -r steps_f busy_f < <(run_model 1)
echo
printf '%-34s %14s %12s %12s\n' "tdx_model, real threads" "steps/s" "BUSY/s" "steps/(e)"
printf '%-34s %14.1f %12.1f %12s\n' "(e) p=0" "$steps_e" "$busy_e" -
printf '%-34s %14.1f %12.1f %12s\n' "(f) p=1" "$steps_f" "$busy_f" "$(ratio "$steps_f" "$steps_e")"

# The model's reproductions: per section that expects a finding, over 20
# seeds of the seeded scheduler, how often its policy hits the finding, and
# the median scheduling steps and time to the first hit (the finding's
# step; the time is the run's, scaled to that step).
echo
echo "# tdx_model reproductions, 20 seeds each"
printf '%-34s %-10s %6s %14s %12s\n' "reproduction" "finding" "hits" "median steps" "median ms"
median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }'; }
for conf in configs/repro-*.conf; do
	sections=$(awk '/^\[/ { s = substr($0, 2, length($0) - 2) } s != "global" && $1 == "expect" { split($3, d, ","); print s, d[1] }' "$conf")
	for seed in $(seq 1 20); do
		rm -rf "$tmp/r"
		"$build/seamstress" run --out "$tmp/r" "$conf" -- -s "$seed" >/dev/null 2>&1 || true
		while read -r section want; do
			jq -r --arg d "$want" 'first(.findings[] | select(.detector == $d)) as $f |
				($f.evidence.step // .counters.model_steps) as $s |
				"\($s) \(.duration_s * 1000 * $s / ([.counters.model_steps, 1] | max))"' \
				"$tmp/r/$section.json" >>"$tmp/hits-$section"
		done <<<"$sections"
	done
	while read -r section want; do
		touch "$tmp/hits-$section"
		printf '%-34s %-10s %3d/20 %14s %12.2f\n' "$section" "$want" "$(wc -l <"$tmp/hits-$section")" \
			"$(cut -d' ' -f1 "$tmp/hits-$section" | median)" \
			"$(cut -d' ' -f2 "$tmp/hits-$section" | median | sed 's/^-$/0/')"
	done <<<"$sections"
done
