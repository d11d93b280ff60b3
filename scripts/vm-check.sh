#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-check.sh BUILD [VMRUN OPTIONS]: the tests on an upstream KVM nested
# under QEMU (docs/nested-kvm.md §3).  Two boots of the VM:
#   1. TDP MMU (the default): configs/vm-check.conf, every test on
#      sw_protected and anon and a forced repeat, then
#      configs/vm-check-td-image.conf, the TD image's boots (td_image),
#      through the suite runner;
#   2. tdp_mmu=0 (the shadow MMU over NPT): concurrent_fault on anon.
# Then checks on the reports that the runs were what they claim: the
# sw_protected VM type for real, conversions done, the fault tracer on
# kvm:kvm_exit + kvm:kvm_page_fault, each boot's KVM parameter; then a KVM
# patch A/B (KVM_PATCH='s, or a deliberately broken one that must be
# flagged).  Prints TAP and closes with "N passed, N failed, N skipped".
# Without QEMU it SKIPs naming it.  Options after BUILD go to
# scripts/vm-run.sh; KERNEL=, MODULES=, KVM_PATCH= come from the
# environment (make vm-check).
set -u

build=${1:-build}
shift || true
here=$(cd "$(dirname "$0")" && pwd)
out=$build/vm/check
. "$here/tap.sh"

if ! command -v qemu-system-x86_64 >/dev/null; then
	skip "vm/check" "qemu-system-x86_64 missing (package qemu-system-x86)"
	closing
fi
rm -rf "$out"
mkdir -p "$out"

# boot NAME VMRUN-OPTIONS... -- CMD...: one VM; its log stays in $out/NAME.log.
boot() {
	local name=$1 rc
	shift
	"$here/vm-run.sh" "$@" >"$out/$name.log" 2>&1
	rc=$?
	if [ $rc -eq 123 ]; then
		nok "vm/$name: the VM ran" "the guest's kernel crashed (the kernel's finding, not the harness's):" \
			"$(head -15 "$out/$name/crash.txt")"
		return 1
	fi
	if [ $rc -eq 124 ] || [ $rc -eq 125 ]; then
		nok "vm/$name: the VM ran" "vm-run.sh exit $rc" "$(tail -15 "$out/$name.log")"
		return 1
	fi
	ok "vm/$name: the VM ran (kernel $(sed -n 's/^kernel=//p' "$out/$name/kvm.env"))"
	return 0
}

# Every run of a suite: pass, or the SKIP of the runner with its reason.
suite_runs() {
	local suite=$1 prefix=$2 line name result reason
	[ -f "$suite" ] || { nok "$prefix: suite.json" "missing: $suite"; return; }
	while IFS=$'\t' read -r name result reason; do
		case $result in
		pass|xfail) ok "$prefix/$name ($result)" ;;
		skip) skip "$prefix/$name" "$reason" ;;
		*) nok "$prefix/$name" "result $result ($reason), report $out/${prefix#vm/}/reports/$name.json" ;;
		esac
	done < <(jq -r '.runs[] | [.section, .result, (.reason // "")] | @tsv' "$suite")
}

# jq_check NAME FILTER FILE: ok when the filter holds for the report.
jq_check() {
	if jq -e "$2" "$3" >/dev/null 2>&1; then ok "$1"; else nok "$1" "$2 does not hold for $3"; fi
}

# env_check NAME LINE FILE: the VM's kvm.env has LINE.
env_check() {
	if grep -qx "$2" "$3"; then ok "$1"; else nok "$1" "$(cat "$3")"; fi
}

t=$out/tdp
if boot tdp "$@" --timeout 900 "$t" -- \
	"$build/seamstress" run --out "$t/reports" configs/vm-check.conf configs/vm-check-td-image.conf; then
	suite_runs "$t/reports/suite.json" vm/tdp
	r=$t/reports
	env_check "vm/tdp: kvm.tdp_mmu=Y" kvm.tdp_mmu=Y "$t/kvm.env"
	jq_check "vm/tdp: sw_protected conversions (KVM_SET_MEMORY_ATTRIBUTES) done" \
		'.flavor == "sw_protected" and .counters.conversions > 0 and
		 (.counters | has("memory_fault_exits"))' "$r/sw_protected.convert_vs_fault.json"
	jq_check "vm/tdp: fault tracer on kvm:kvm_exit+kvm:kvm_page_fault, streaks measured" \
		'.config.faulttrace == "kvm:kvm_exit+kvm:kvm_page_fault" and
		 .counters.trace_fault_events > 0 and ([.fault_streaks[]] | add) > 0' \
		"$r/sw_protected.concurrent_fault.json"
	jq_check "vm/tdp: probes live: kvm_gmem_get_pfn, kvm_mmu_page_fault, kvm_tdp_mmu_map counted" \
		'.seamcall_probes.kvm_gmem_get_pfn.calls > 0 and
		 .seamcall_probes.kvm_mmu_page_fault.calls > 0 and
		 .seamcall_probes.kvm_tdp_mmu_map.calls > 0' "$r/sw_protected.concurrent_fault.json"
	jq_check "vm/tdp: the forced repeat's zero_step names one RIP on one GPA" \
		'any(.findings[]; .detector == "zero_step" and .evidence.gpa != null and
		     .evidence.streak >= 7)' "$r/anon.forced-repeat.json"
	# A SKIP of the TD image is not good enough here: this KVM raises #UD.
	jq_check "vm/tdp: guest_convert's MapGPAs reached the host, two a conversion, none refused" \
		'.flavor == "sw_protected" and .counters.guest_conversions > 0 and
		 .counters.guest_conversion_errors == 0 and
		 .counters.guest_map_gpa_exits == 2 * .counters.guest_conversions' \
		"$r/sw_protected.guest_convert.json"
	for tst in concurrent_fault remove_vs_enter accept_race convert_vs_fault guest_convert; do
		jq_check "vm/tdp: td_image.$tst: 4 vCPUs booted the TD image to their first TDCALL" \
			'.result == "pass" and .counters.td_image_vcpus_booted == 4' \
			"$r/td_image.$tst.json"
	done
fi

s=$out/shadow
if boot shadow "$@" --kvm tdp_mmu=0 --timeout 300 "$s" -- \
	"$build/tests/concurrent_fault" -f anon -v 2 -n 64 -d 3 --punch-rate 200 -W 30 \
	-j "$s/concurrent_fault.json"; then
	jq_check "vm/shadow: concurrent_fault on anon passes" \
		'.result == "pass"' "$s/concurrent_fault.json"
	env_check "vm/shadow: kvm.tdp_mmu=N" kvm.tdp_mmu=N "$s/kvm.env"
fi
# The --kernel path (KERNEL=, MODULES=) on a kernel at hand: Debian's own
# image and module tree, whose stock KVM has no sw_protected.
k=$out/kernel
if [ -n "${KERNEL:-}" ] || [ $# -gt 0 ]; then
	skip "vm/kernel" "the caller's --kernel or options"
elif boot kernel --kernel "$(ls "$build"/vm/root/boot/vmlinuz-* | head -1)" \
		--modules "$build/vm/root" --timeout 200 "$k" -- "$build/seamstress-doctor"; then
	if grep -q '^KVM_CAP_VM_TYPES  *0x1 default$' "$k/output.log"; then
		ok "vm/kernel: --kernel boots a given bzImage with its own modules (stock KVM: default VMs only)"
	else
		nok "vm/kernel: --kernel boots a given bzImage with its own modules" \
			"$(grep -E 'VM_TYPES|^kernel' "$k/output.log")"
	fi
fi

# A guest kernel's crash is named as the kernel's, at once: before
# oops=panic, an oops in an exiting task left it unkillable and the VM ran
# into its deadline (vm/ab's patched side, 2026-12-02), reported as "no
# result".  sysrq-c is a crash on demand.
c=$out/crash
"$here/vm-run.sh" --timeout 120 "$c" -- /bin/sh -c 'echo c >/proc/sysrq-trigger; sleep 300' \
	>"$out/crash.log" 2>&1
rc=$?
if [ $rc -eq 123 ] && grep -q 'sysrq' "$c/crash.txt" &&
   grep -q "^vm-run.sh: the guest's kernel crashed: .*sysrq" "$out/crash.log"; then
	ok "vm/crash: a guest kernel crash is vm-run.sh's exit 123 with its excerpt, not a deadline"
else
	nok "vm/crash: a guest kernel crash is vm-run.sh's exit 123 with its excerpt, not a deadline" \
		"vm-run.sh exit $rc, expected 123" "$(tail -5 "$out/crash.log")"
fi

# A KVM patch A/B'd (docs/nested-kvm.md §5).  With KVM_PATCH= (whose KVM
# the boots above ran): stock against patched, seamstress compare's
# verdict.  Without: the harness's own proof, a deliberately broken
# guest_memfd that no longer zaps on punch-hole must be flagged and the
# stock side be clean.
ab_demo() {
	local rc j=$build/vm/ab/base/run-1/sw_protected.concurrent_fault.json
	KVM_PATCH= scripts/vm-ab.sh "$build" configs/patches/demo-gmem-punch-skips-zap.patch \
		configs/ab-gmem-punch.conf 1 >"$out/ab.log" 2>&1
	rc=$?
	[ $rc -eq 1 ] || { echo "vm-ab.sh exit $rc, expected 1"; tail -5 "$out/ab.log"; return 1; }
	# Which of its symptoms a run catches first varies: a guest reading a
	# freed page (integrity), "BUG: Bad page state" (splat), the WARNING
	# in kvm_mmu_invalidate_end (kvm_bug_on), or an oops that stops the
	# patched kernel (kernel_crash); any of them is the verdict.
	grep -Eq '^finding only in new: (concurrent_fault: (integrity|splat|kvm_bug_on) |kernel_crash: )' "$out/ab.log" ||
		{ echo "no integrity, splat, kvm_bug_on or kernel_crash finding only in the patched side:"
		  grep '^finding' "$out/ab.log"; return 1; }
	jq -e '.findings == []' "$j" >/dev/null ||
		{ echo "the stock side has findings:"; jq -r '.findings[].message' "$j" | head -5; return 1; }
}
if [ -n "${KERNEL:-}" ] || [ $# -gt 0 ]; then
	skip "vm/ab" "the caller's --kernel or options: no stock KVM of this tree to A/B against"
elif [ -n "${KVM_PATCH:-}" ]; then
	if scripts/vm-ab.sh "$build" "$KVM_PATCH" configs/ab-gmem-punch.conf 3 >"$out/ab.log" 2>&1; then
		ok "vm/ab: $KVM_PATCH against stock KVM: no regression, no new finding"
	else
		nok "vm/ab: $KVM_PATCH against stock KVM" "$(grep -E '^(finding|[0-9]+ regression|vm-ab)' "$out/ab.log")" \
			"whole comparison: $out/ab.log"
	fi
elif msg=$(ab_demo); then
	ok "vm/ab: a dropped guest_memfd zap is flagged by seamstress compare, stock clean"
else
	nok "vm/ab: a dropped guest_memfd zap is flagged by seamstress compare, stock clean" "$msg"
fi
closing
