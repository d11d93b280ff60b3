#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/e2e/build.sh [BUILD]: the build against both selftests library layouts, and
# the sanitizer build's smoke run.
# Part of make check (scripts/check.sh); alone it prints its own TAP.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# 6.16 renamed lib/x86_64 and include/x86_64 to x86 (and LIBKVM_x86_64 to
# LIBKVM_x86).  Build against a copy of the 6.12 tree renamed that way.
layout_x86() {
	local src=$tree/linux-source-6.12 t=$tmp/x86tree kvm
	cp -a "$src" "$t"
	kvm=$t/tools/testing/selftests/kvm
	mv "$kvm/lib/x86_64" "$kvm/lib/x86" && mv "$kvm/include/x86_64" "$kvm/include/x86" &&
		mv "$kvm/x86_64" "$kvm/x86" &&
		sed -i 's|^LIBKVM_x86_64 += lib/x86_64/|LIBKVM_x86 += lib/x86/|' "$kvm/Makefile" || return 1
	make -s -j"$(nproc)" BUILD="$tmp/x86build" KDIR="$t" >"$tmp/x86build.log" 2>&1 ||
		{ tail -20 "$tmp/x86build.log"; return 1; }
	[ -x "$tmp/x86build/tests/concurrent_fault" ] && [ -x "$tmp/x86build/tests/contract/td_contract" ] &&
		[ -e "$tmp/x86build/libkvm/lib/x86/processor.o" ] || { echo "no x86-layout objects"; return 1; }
	rm -rf "$t"
}
if [ -d "$tree/linux-source-6.12/tools/testing/selftests/kvm/lib/x86_64" ]; then
	check "build/selftests_layout_x86" layout_x86
else
	skip "build/selftests_layout_x86" "needs the unpacked linux-source-6.12 tree in $tree"
fi

# --- the sanitizer build ----------------------------------------------------
# ASan+UBSan host code (make SANITIZE=1, built here from scratch): the unit
# and contract tests, one stress run and the runner, with no sanitizer
# report.  The full suite under it is make SANITIZE=1 check.
san_report() { grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$@"; }
sanitizer_smoke() {
	local san=$tmp/san t out conf=$tmp/san.conf rc
	export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
	make -s -j"$(nproc)" SANITIZE=1 BUILD="$san" all >"$tmp/san.log" 2>&1 ||
		{ tail -20 "$tmp/san.log"; return 1; }
	for t in "$san"/tests/unit/* "$san"/tests/contract/td_contract; do
		"$t" >"$tmp/san-unit.out" 2>&1 || { echo "$t failed:"; tail -20 "$tmp/san-unit.out"; return 1; }
		! san_report "$tmp/san-unit.out" || { echo "$t"; return 1; }
	done
	[ -w /dev/kvm ] || return 0
	"$san/tests/concurrent_fault" -f anon -v 2 -n 64 -p 1 -d 1 -W 60 -j "$tmp/san.json" \
		>"$tmp/san-run.out" 2>&1; rc=$?
	{ [ $rc -eq 0 ] || [ $rc -eq 2 ]; } && ! san_report "$tmp/san-run.out" ||
		{ echo "stress run: exit $rc"; tail -20 "$tmp/san-run.out"; return 1; }
	printf '[one]\ntest = remove_vs_enter\nflavor = anon\npages = 64\nduration = 1\ndeadline = 60\n' >"$conf"
	"$san/seamstress" run --out "$tmp/san-suite" "$conf" >"$tmp/san-suite.out" 2>&1; rc=$?
	{ [ $rc -eq 0 ] || [ $rc -eq 2 ]; } && ! san_report "$tmp/san-suite.out" "$tmp"/san-suite/*.log ||
		{ echo "runner: exit $rc"; tail -20 "$tmp/san-suite.out"; return 1; }
}
if [ -n "${LSAN_OPTIONS:-}" ]; then
	skip "build/sanitizer_smoke" "this is the sanitizer build's own make check"
elif [ "$tree" != build ] || [ ! -d build/usr ]; then
	skip "build/sanitizer_smoke" "needs the default tree in build/ (make SANITIZE=1 shares it)"
else
	check "build/sanitizer_smoke" sanitizer_smoke
fi

e2e_done
