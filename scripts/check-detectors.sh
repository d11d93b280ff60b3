#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The detector table (lib/detectors.c) is the one list of detectors: the
# README's findings table documents exactly its entries, and every detector
# the code raises (report_add_finding, kvm_model_die, the kernel-log
# classes) is one of them.  Prints what disagrees and exits 1; prints
# nothing and exits 0 when all agree.
export LC_ALL=C
cd "$(dirname "$0")/.." || exit 1

table=$(grep -oE '^	\{ "[a-z_]+"' lib/detectors.c | grep -oE '[a-z_]+' | sort -u)
readme=$(awk '/^### Findings/ { p = 1; next } p && /^#/ { p = 0 } p && /^\| `/ { print $2 }' README.md |
	tr -d '`' | sort -u)
raised=$( { grep -rhoE '(report_add_finding|kvm_model_die)\([^,]+, "[a-z_]+"' lib tools |
		grep -oE '"[a-z_]+"$'
	    sed -n '/^const char \*kmsg_class_detector/,/^}/p' lib/kmsg.c | grep -oE 'return "[a-z_]+"' |
		grep -oE '"[a-z_]+"'; } | tr -d '"' | sort -u)

bad=0
for d in $(comm -23 <(echo "$table") <(echo "$readme")); do
	echo "README.md: detector '$d' of lib/detectors.c is not in the findings table"; bad=1
done
for d in $(comm -13 <(echo "$table") <(echo "$readme")); do
	echo "README.md: findings table row '$d' is not a detector of lib/detectors.c"; bad=1
done
for d in $(comm -13 <(echo "$table") <(echo "$raised")); do
	echo "lib/: the code raises '$d', which lib/detectors.c does not list"; bad=1
done
for d in $(comm -23 <(echo "$table") <(echo "$raised")); do
	echo "lib/detectors.c: '$d' is listed but nothing raises it"; bad=1
done
exit $bad
