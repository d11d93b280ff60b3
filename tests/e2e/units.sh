#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/e2e/units.sh [BUILD]: the unit and contract tests, one check each, and the
# layout asserts of include/tdx_abi.h.
# Part of make check (scripts/check.sh); alone it prints its own TAP.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

for t in "$build"/tests/unit/* "$build"/tests/contract/*; do
	[ -x "$t" ] || continue
	# A real run on /dev/kvm: the KVM section runs it with its options.
	[ "$(basename "$t")" = kick_before_threads ] && continue
	out=$("$t" 2>&1); rc=$?
	if [ $rc -eq 0 ] && ! grep -q '^not ok' <<<"$out"; then
		ok "$(basename "$(dirname "$t")")/$(basename "$t") ($(grep -c '^ok' <<<"$out") cases)"
	else
		nok "$(basename "$(dirname "$t")")/$(basename "$t")" "$(grep -v '^ok' <<<"$out" | tail -30)"
	fi
done

# The layout asserts of include/tdx_abi.h are live: breaking one struct must
# stop the build with the reference's size in the message.
abi_breaks() {
	local out
	out=$(echo '#include "tdx_abi.h"' | ${CC:-gcc} -fsyntax-only -x c - -Iinclude \
		-isystem "$build/usr/include" '-Dhw_error=hw_error; __u32 broken' 2>&1) && return 1
	grep -q 'struct kvm_tdx_cmd must be 24 bytes' <<<"$out"
}
check "abi/static_asserts_catch_a_changed_struct" abi_breaks

e2e_done
