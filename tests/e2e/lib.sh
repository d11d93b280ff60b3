# SPDX-License-Identifier: GPL-2.0
#
# tests/e2e/lib.sh: what make check's end-to-end scripts share, sourced
# once (by scripts/check.sh before every part, or by a part run alone):
# BUILD (default build), the tree and the time factor, a temporary
# directory removed on exit, the TAP of scripts/tap.sh, and the helpers of
# the runs on /dev/kvm.  Run from the repository root.
[ -n "${SEAM_E2E_LIB:-}" ] && return 0
SEAM_E2E_LIB=1
set -u

build=${1:-build}
# The kernel tree the build used (make SANITIZE=1 shares build/'s), and a
# factor for the time bounds of end-to-end checks (a sanitizer build starts
# a run in ~10 s where a plain one takes ~1 s).
tree=${SEAM_TREE:-$build}
# The kernel tree built against (make check passes KDIR's, else the 6.12 one).
ksrc=${SEAM_KSRC:-$tree/linux-source-6.12}
slow=${SEAM_CHECK_SLOW:-1}
cf=$build/tests/concurrent_fault
seamstress=$build/seamstress
tmp=$(mktemp -d /tmp/seamstress-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

. scripts/tap.sh

# A part run alone closes its own TAP; under scripts/check.sh the driver does.
e2e_done() { [ -n "${SEAM_E2E_SUITE:-}" ] || closing; }

# kvm_check NAME CMD...: check, or a SKIP naming what is missing when this
# host has no usable /dev/kvm.
kvm_check() {
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		check "$@"
	else
		skip "$1" "/dev/kvm is absent or not read-writable: is KVM loaded and enabled?"
	fi
}

# The keys every JSON report has.
keys='["test","tool_version","flavor","result","skip_reason","seed","kernel","duration_s","vcpus","counters","rates","findings","reproduce"]'

tracing=$(awk '$3 == "tracefs" { print $2; exit }' /proc/mounts)
# No seamstress tracefs instance may outlive its run.  An instance whose
# creator still runs (another seamstress beside this check, as
# scripts/check-beside.sh starts) or lives in another PID namespace is
# not left behind.
mypidns=$(stat -L -c %i /proc/self/ns/pid)
no_instances() {
	local left="" name pidns pid start now
	tracing=${tracing:-$(awk '$3 == "tracefs" { print $2; exit }' /proc/mounts)}
	[ -n "$tracing" ] || return 0
	for name in $(ls "$tracing/instances" 2>/dev/null | grep '^seamstress-'); do
		IFS=- read -r _ _ pidns pid start <<<"$name"
		if [ "$pidns" = "$mypidns" ] && [ -r "/proc/$pid/stat" ]; then
			now=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $20 }')
			[ "$now" = "$start" ] && continue
		fi
		[ "$pidns" = "$mypidns" ] || continue
		left="$left $name"
	done
	[ -z "$left" ] || { echo "tracefs instances left behind:$left"; return 1; }
}

# run FLAVOR WANT_RC JSON ARGS... (TEST=binary, default concurrent_fault).
# WANT_RC "clean" is a kernel verdict: exit 0, or 2 with every finding
# a known issue of this host.
run() {
	local flavor=$1 want=$2 json=$3 rc bin=$build/tests/${TEST:-concurrent_fault}
	shift 3
	"$bin" -f "$flavor" -j "$json" "$@" >"$json.out" 2>&1; rc=$?
	if [ "$want" = clean ]; then
		[ $rc -eq 0 ] || [ $rc -eq 2 ] || { echo "exit $rc, want 0 or 2 (known issues only)"; tail -20 "$json.out"; return 1; }
		known_only "$json" || return 1
	else
		[ $rc -eq "$want" ] || { echo "exit $rc, want $want"; tail -20 "$json.out"; return 1; }
	fi
	jq -e --argjson k "$keys" '. as $r | all($k[]; in($r))' "$json" >/dev/null ||
		{ echo "report lacks a key: $(cat "$json")"; return 1; }
	no_instances
}

# A kernel verdict: nothing found but known issues, each marked with
# its entry (XFAIL); a known issue is reported, never hidden.
known_only() {
	jq -e '(.result == "pass" and (.findings | length) == 0) or
		(.result == "xfail" and (.findings | length) > 0 and
		 all(.findings[]; .known_issue.id != null))' "$1" >/dev/null ||
		{ echo "findings that are not known issues:"; jq -c '[.result, .findings]' "$1"; return 1; }
	jq -r '.findings[] | "known issue \(.known_issue.id): \(.message)"' "$1" | head -3 >&2
}

# wait_worker PID N: the supervised worker child of PID, once it runs N threads.
wait_worker() {
	local pid=$1 want=$2 i child threads
	for i in $(seq 200); do
		child=$(pgrep -P "$pid" | head -1)
		threads=$(ls /proc/$child/task 2>/dev/null | wc -l)
		[ -n "$child" ] && [ "$threads" -ge "$want" ] && { echo "$child"; return 0; }
		sleep 0.05
	done
	return 1
}

# The runner: one TAP stream, a report per run, suite.json, and JUnit
# XML that a real consumer (python3-junitparser) reads.
# junit_check FILE TESTS FAILURES SKIPPED: valid junit-10, and those counts.
junit_check() {
	scripts/junit10-check.py "$1" || return 1
	/usr/bin/python3 - "$1" "$2" "$3" "$4" <<-'PY'
	import sys
	from junitparser import JUnitXml, Failure, Skipped
	path, tests, failures, skipped = sys.argv[1], *map(int, sys.argv[2:])
	suites = list(JUnitXml.fromfile(path))
	cases = [c for s in suites for c in s]
	got = (len(cases), sum(any(isinstance(r, Failure) for r in c.result) for c in cases),
	       sum(any(isinstance(r, Skipped) for r in c.result) for c in cases))
	assert got == (tests, failures, skipped), f"junit {got} != {(tests, failures, skipped)}"
	assert all(c.classname.startswith("seamstress.") and c.time >= 0 for c in cases)
	PY
}
