#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every citation of the form "docs/NAME.md §N" or "§N.M" (also a list or a
# range after it: "§3.5-§3.6, §8.3") in lib/ include/ tests/ tools/
# scripts/ configs/ README.md and docs/ names a file of docs/ that exists
# and a section of it: a heading whose number is exactly N or N.M
# ("## 3. Creation flow", "### 3.6 KVM_TDX_INIT_VM").  The short forms
# left in printed messages ("abi §N" for docs/tdx-kvm-abi.md, "module §N"
# and "kvm §N" for docs/tdx-module-and-kvm.md) are held to the same rule.
# Nothing may point at the notes outside the repository this documentation
# replaced: no path into the sibling "shared" directory, outside .git and
# build/.
#
# Prints file:line and the citation for each failure and exits 1; prints
# nothing and exits 0 when everything resolves.

export LC_ALL=C
cd "$(dirname "$0")/.." || exit 1

paths=(lib include tests tools scripts configs README.md docs)
sec='§[0-9]+(\.[0-9]+)*'
list="($sec)((-|–|, | and )$sec)*"
bad=0

# has_heading DOC NUM: DOC has a markdown heading numbered exactly NUM.
has_heading() {
	local num=${2//./\\.}
	grep -qE "^#+ $num\\.?( |\$)" "$1"
}

# check_one WHERE DOC CITATION
check_one() {
	local where=$1 doc=$2 cite=$3 n
	if [ ! -f "$doc" ]; then
		echo "$where: $cite: $doc does not exist"
		bad=1
		return
	fi
	for n in $(grep -oE "$sec" <<<"$cite" | sed 's/^§//'); do
		if ! has_heading "$doc" "$n"; then
			echo "$where: $cite: $doc has no section $n"
			bad=1
		fi
	done
}

while IFS= read -r hit; do
	where=${hit%%:docs/*}
	cite=${hit#"$where":}
	check_one "$where" "${cite%% *}" "$cite"
done < <(grep -rnoE "docs/[A-Za-z0-9_.-]+\\.md $list" "${paths[@]}" 2>/dev/null)

while IFS= read -r hit; do
	where=${hit%:*}
	cite=${hit#"$where":}
	case $cite in
	abi*)	doc=docs/tdx-kvm-abi.md ;;
	*)	doc=docs/tdx-module-and-kvm.md ;;
	esac
	check_one "$where" "$doc" "$cite"
done < <(grep -rnoE "\\b(abi|module|kvm) $list" "${paths[@]}" 2>/dev/null)

if out=$(grep -rn '\.\./shared' --exclude-dir=.git --exclude-dir=build . 2>/dev/null); then
	printf '%s\n' "$out"
	bad=1
fi

exit $bad
