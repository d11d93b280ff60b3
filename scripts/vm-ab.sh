#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-ab.sh BUILD PATCH [SCENARIO [RUNS]]: a KVM patch validated on the
# nested upstream KVM (docs/nested-kvm.md §5).  Boots the stock rebuilt KVM
# and the one rebuilt with PATCH applied, runs SCENARIO (one section,
# default configs/ab-gmem-punch.conf) RUNS times (default 3) on each, and
# prints `seamstress compare` of the two sides; its exit status is
# compare's (1: something regressed or a finding kind appeared) or
# vm-run.sh's when a side gave no result.  A side whose kernel crashed
# (vm-run.sh exit 123) has no reports: the patched side's crash alone is
# printed as the finding "kernel_crash" (exit 1), the stock side's means
# no baseline (exit 3).  Reports stay in BUILD/vm/ab/{base,new}/run-N/.
#
# vm-ab.sh --inner BUILD RUNS OUT SCENARIO: what runs inside the VM.
set -u

if [ "${1:-}" = --inner ]; then
	build=$2 runs=$3 out=$4 scenario=$5
	for i in $(seq 1 "$runs"); do
		"$build/seamstress" run --out "$out/run-$i" "$scenario"
	done
	exit 0
fi

build=${1:?usage: vm-ab.sh BUILD PATCH [SCENARIO [RUNS]]}
patch=${2:?usage: vm-ab.sh BUILD PATCH [SCENARIO [RUNS]]}
scenario=${3:-configs/ab-gmem-punch.conf}
runs=${4:-3}
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$patch" ] || { echo "vm-ab.sh: PATCH $patch: no such file" >&2; exit 125; }
[ -f "$scenario" ] || { echo "vm-ab.sh: SCENARIO $scenario: no such file" >&2; exit 125; }
[[ $runs =~ ^[1-9][0-9]?$ ]] || { echo "vm-ab.sh: RUNS $runs: 1..99" >&2; exit 125; }

ab=$build/vm/ab
rm -rf "$ab"
mkdir -p "$ab"
crashed=
for side in base new; do
	opt=()
	[ $side = new ] && opt=(--patch "$patch")
	echo "# $side: ${opt[*]:-stock KVM}, $runs run(s) of $scenario" >&2
	# The stock side must not take a KVM_PATCH from the environment.
	KVM_PATCH= "$here/vm-run.sh" "${opt[@]}" --timeout $((300 + 120 * runs)) "$ab/$side" -- \
		"$here/vm-ab.sh" --inner "$build" "$runs" "$ab/$side" "$scenario" >"$ab/$side.log" 2>&1
	rc=$?
	if [ $rc -eq 123 ]; then
		crashed+=" $side"
		grep '^vm-run.sh: the guest' "$ab/$side.log" >&2
		continue
	fi
	if [ $rc -eq 124 ] || [ $rc -eq 125 ]; then
		echo "vm-ab.sh: the $side VM gave no result (vm-run.sh exit $rc), see $ab/$side.log" >&2
		tail -5 "$ab/$side.log" >&2
		exit $rc
	fi
done

# The crash line vm-run.sh printed, without its prefix.
crash_of() { sed -n 's/^vm-run.sh: the guest.s kernel crashed: //p' "$ab/$1.log" | head -1; }
case $crashed in
*base*)
	echo "vm-ab.sh: the stock side's kernel crashed ($(crash_of base)): no baseline to compare against; see $ab/base/crash.txt" >&2
	exit 3 ;;
*new*)
	echo "finding only in new: kernel_crash: $(crash_of new) (excerpt: $ab/new/crash.txt)"
	exit 1 ;;
esac

list() { local d=$1; ls "$d"/run-*/*.json 2>/dev/null | grep -v '/suite\.json$' | paste -sd, -; }
base=$(list "$ab/base") new=$(list "$ab/new")
[ -n "$base" ] && [ -n "$new" ] || { echo "vm-ab.sh: no reports in $ab/base or $ab/new" >&2; exit 125; }
"$build/seamstress" compare "$base" "$new"
