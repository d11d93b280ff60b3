#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/e2e/nested.sh [BUILD]: the tests on an upstream KVM nested under QEMU
# (docs/nested-kvm.md §3), folded into this TAP.
# Part of make check (scripts/check.sh); alone it prints its own TAP.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# sw_protected, conversions, the TDP MMU and the kvm tracepoints for real,
# which this host's KVM cannot show.  Its checks are folded into this TAP.
# SEAM_VM_CHECK=0 leaves it out (a SKIP saying so), for quick local runs.
if [ "${SEAM_VM_CHECK:-1}" = 0 ]; then
	skip "vm/check" "SEAM_VM_CHECK=0"
elif [ -n "${LSAN_OPTIONS:-}" ]; then
	skip "vm/check" "the sanitizer build: the nested KVM runs the plain build (make vm-check)"
else
	while IFS= read -r line; do
		if [[ $line =~ ^ok\ [0-9]+\ (.*)\ \#\ SKIP\ (.*)$ ]]; then
			skip "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
		elif [[ $line =~ ^ok\ [0-9]+\ (.*)$ ]]; then
			ok "${BASH_REMATCH[1]}"
		elif [[ $line =~ ^not\ ok\ [0-9]+\ (.*)$ ]]; then
			n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n ${BASH_REMATCH[1]}"
		elif [[ $line =~ ^# ]]; then
			echo "$line"
		fi
	done < <(scripts/vm-check.sh "$build" 2>&1)
fi

e2e_done
