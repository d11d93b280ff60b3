#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kselftest-install.sh BUILD KSRC INSTALL_PATH SCENARIO (make install):
# the kselftest layout that the kernel's run_kselftest.sh runs, as
# `make -C tools/testing/selftests install` makes it:
#   INSTALL_PATH/run_kselftest.sh, kselftest/   the runner, from KSRC's tree
#   INSTALL_PATH/kselftest-list.txt              kvm:seamstress_SECTION lines
#   INSTALL_PATH/kvm/seamstress, tests/          the binaries
#   INSTALL_PATH/kvm/scenario.conf               SCENARIO
#   INSTALL_PATH/kvm/known-issues                configs/known-issues
#   INSTALL_PATH/kvm/config                      configs/kernel.config
#   INSTALL_PATH/kvm/settings                    timeout= above every section's
#   INSTALL_PATH/kvm/seamstress_SECTION          one entry per section
# An entry runs `seamstress run --section SECTION` under the section's own
# timeout (its duration, deadline and room to report, or `timeout =`), so
# settings' one timeout is only the backstop: the longest section's plus 60
# s.  runner.sh reads exit 4 as SKIP and anything but 0 as "not ok"; an
# entry maps run's 2 (known issues only, kselftest's XFAIL, which 6.12's
# runner.sh would print as "not ok ... exit=2") to 0 with a "# XFAIL" line,
# as CI reads it everywhere else.  Reports go to $SEAM_KSFT_OUT/SECTION
# (default /tmp/seamstress-kselftest).
set -euo pipefail

build=${1:?usage: kselftest-install.sh BUILD KSRC INSTALL_PATH SCENARIO}
ksrc=${2:?} dest=${3:?} scenario=${4:?}
st=$ksrc/tools/testing/selftests
die() { echo "kselftest-install.sh: $*" >&2; exit 1; }

[ -x "$build/seamstress" ] || die "$build/seamstress: build first (make)"
[ -r "$st/run_kselftest.sh" ] && [ -d "$st/kselftest" ] || die "$st: no run_kselftest.sh or kselftest/"
[ -f "$scenario" ] || die "SCENARIO $scenario: no such file"
[ -L "$dest" ] && die "INSTALL_PATH $dest is a symbolic link"

# Sections and their timeouts, as the runner will give them.
list=$("$build/seamstress" run --list "$scenario") || die "$scenario: seamstress run --list failed"
mkdir -p "$dest/kselftest" "$dest/kvm/tests"
install -m 755 "$st/run_kselftest.sh" "$dest/"
for f in runner.sh module.sh prefix.pl ktap_helpers.sh ksft.py; do
	[ -e "$st/kselftest/$f" ] && install -m 744 "$st/kselftest/$f" "$dest/kselftest/"
done
install -m 755 "$build/seamstress" "$dest/kvm/"
for t in "$build"/tests/*; do
	[ -f "$t" ] && [ -x "$t" ] && install -m 755 "$t" "$dest/kvm/tests/"
done
install -m 644 "$scenario" "$dest/kvm/scenario.conf"
install -m 644 configs/known-issues "$dest/kvm/known-issues"
install -m 644 configs/kernel.config "$dest/kvm/config"

: >"$dest/kselftest-list.txt"
max=0
while IFS=$'\t' read -r _file section _test timeout; do
	# A section name becomes a file name and a word of a fixed script.
	[[ $section =~ ^[A-Za-z0-9_.-]+$ ]] || die "$scenario: section '$section': only letters, digits and _.- install"
	entry=$dest/kvm/seamstress_$section
	cat >"$entry" <<-ENTRY
	#!/bin/sh
	# SPDX-License-Identifier: GPL-2.0
	# kselftest entry for section [$section] of scenario.conf (seamstress run).
	cd "\$(dirname "\$0")" || exit 1
	out=\${SEAM_KSFT_OUT:-/tmp/seamstress-kselftest}/$section
	./seamstress run --known-issues known-issues --section $section --out "\$out" scenario.conf
	rc=\$?
	if [ \$rc -eq 2 ]; then
	    echo "# XFAIL $section: known issues only (known-issues), report in \$out"
	    exit 0
	fi
	exit \$rc
	ENTRY
	chmod 755 "$entry"
	echo "kvm:seamstress_$section" >>"$dest/kselftest-list.txt"
	[ "$timeout" -gt "$max" ] && max=$timeout
done <<<"$list"
echo "timeout=$((max + 60))" >"$dest/kvm/settings"
echo "installed $(wc -l <"$dest/kselftest-list.txt") kselftest entries of $scenario into $dest (timeout=$((max + 60)))"
