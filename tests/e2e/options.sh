#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/e2e/options.sh [BUILD]: bad input is exit 125 with one line naming the
# option, no VM and no report.
# Part of make check (scripts/check.sh); alone it prints its own TAP.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

bad_option() {
	local want=$1 err rc
	shift
	err=$("$cf" -j "$tmp/bad.json" "$@" 2>&1 >/dev/null); rc=$?
	[ $rc -eq 125 ] || { echo "exit $rc, want 125 (harness error)"; return 1; }
	[ "$(wc -l <<<"$err")" -eq 1 ] || { echo "not one line: $err"; return 1; }
	grep -qF -- "$want" <<<"$err" || { echo "'$err' lacks '$want'"; return 1; }
	[ ! -e "$tmp/bad.json" ] || { echo "a report was written"; return 1; }
}
check "options/vcpus_out_of_range" bad_option "-v/--vcpus: 0 is out of range; allowed: 1..64" -v 0
check "options/unknown_flavor" bad_option "-f/--flavor: 'sev' is unknown; allowed:" -f sev
check "options/bad_punch_size" bad_option "-b/--punch-size: 3K is not allowed" -b 3K
check "options/bad_cpu_list" bad_option "--cpus: 'x' is not a list of possible CPUs" --cpus x
check "options/help" bash -c "'$cf' -h | grep -q -- '--inject-corruption'"
# Root writes no report through a link, over a device, or where it cannot.
json_target_refused() {
	local err rc
	ln -sf "$tmp/victim" "$tmp/planted.json"
	echo precious >"$tmp/victim"
	for target in /dev/null "$tmp/planted.json" /nonexistent/dir/r.json; do
		err=$("$cf" -f anon -d 1 -j "$target" 2>&1 >/dev/null); rc=$?
		[ $rc -eq 125 ] || { echo "-j $target: exit $rc, want 125"; return 1; }
		grep -q -- "-j/--json: $target" <<<"$err" || { echo "-j $target: '$err'"; return 1; }
	done
	[ -c /dev/null ] || { echo "/dev/null is no longer a device"; return 1; }
	[ "$(cat "$tmp/victim")" = precious ] || { echo "the link's target was written"; return 1; }
}
check "options/json_target_refused" json_target_refused
check "options/bad_access_width" bad_option "--access-width: '3' is not an access width; allowed: 8, 4, 2" \
	--access-width 3
check "options/model_refuses_access_width" bad_option \
	"--access-width: flavor tdx_model does not honour it" -f tdx_model --access-width 4
# An injector the model cannot honour must not let a must-fail run pass.
check "options/model_refuses_inject_corruption" bad_option \
	"--inject-corruption: flavor tdx_model does not honour it" -f tdx_model --inject-corruption
check "options/widen_needs_chase" bad_option "--widen: needs -P/--pattern chase" --widen
check "options/model_refuses_widen" bad_option "--widen: flavor tdx_model does not honour it" \
	-f tdx_model -P chase --widen
check "options/version" bash -c \
	"'$cf' --version | grep -qxE 'concurrent_fault \(seamstress [[:alnum:]._-]+\)' &&
	 '$build/seamstress' --version | grep -qxE 'seamstress [[:alnum:]._-]+'"
check "options/help_shows_test_defaults" bash -c \
	"'$build/tests/remove_vs_enter' -h | grep -qx \"this test's defaults: --burst 8 --kick-rate 1000\""
check "options/bad_expect_class" bad_option "--expect: 'integrity:smeared' is not allowed" --expect integrity:smeared
check "options/known_issues_bad_key" bad_option \
	"tests/fixtures/known-issues/bad-key:5: key 'klass' is unknown" --known-issues tests/fixtures/known-issues/bad-key
check "options/known_issues_missing_file" bad_option \
	"tests/fixtures/known-issues/absent: cannot open the known-issues file" --known-issues tests/fixtures/known-issues/absent

e2e_done
