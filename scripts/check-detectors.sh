#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The detector table (lib/detectors/detectors.c) is the one list of detectors: the
# findings table of docs/detectors.md documents exactly its entries, and every detector
# the code raises (report_add_finding, kvm_model_die, the kernel-log
# classes) is one of them.  Prints what disagrees and exits 1; prints
# nothing and exits 0 when all agree.
export LC_ALL=C
cd "$(dirname "$0")/.." || exit 1

table=$(grep -oE '^	\{ "[a-z_]+"' lib/detectors/detectors.c | grep -oE '[a-z_]+' | sort -u)
readme=$(awk '/^## Findings/ { p = 1; next } p && /^#/ { p = 0 } p && /^\| `/ { print $2 }' docs/detectors.md |
	tr -d '`' | sort -u)
raised=$( { grep -rhoE '(report_add_finding|kvm_model_die)\([^,]+, "[a-z_]+"' lib tools |
		grep -oE '"[a-z_]+"$'
	    sed -n '/^const char \*kmsg_class_detector/,/^}/p' lib/detectors/kmsg.c | grep -oE 'return "[a-z_]+"' |
		grep -oE '"[a-z_]+"'; } | tr -d '"' | sort -u)

bad=0
# only_in A B MESSAGE: MESSAGE (with %s for the name) for each name in A not in B.
only_in() {
	local d
	for d in $(comm -23 <(echo "$1") <(echo "$2")); do
		printf "$3\n" "$d"
		bad=1
	done
}
only_in "$table" "$readme" "docs/detectors.md: detector '%s' of lib/detectors/detectors.c is not in the findings table"
only_in "$readme" "$table" "docs/detectors.md: findings table row '%s' is not a detector of lib/detectors/detectors.c"
only_in "$raised" "$table" "lib/: the code raises '%s', which lib/detectors/detectors.c does not list"
only_in "$table" "$raised" "lib/detectors/detectors.c: '%s' is listed but nothing raises it"
exit $bad
