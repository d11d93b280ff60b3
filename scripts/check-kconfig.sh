#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/check-kconfig.sh BUILD: configs/kernel.config does what it says on
# Debian's 6.12 tree: x86_64_defconfig, the fragment merged with
# scripts/kconfig/merge_config.sh -m, make olddefconfig, and then every
# line of the fragment ("CONFIG_X=v" or "# CONFIG_X is not set") must be
# in the .config exactly, as merge_config.sh's own check compares them,
# except options this tree's Kconfig does not have (KVM_INTEL_TDX: 6.16+),
# which are listed.  What kconfig reads of the tree is unpacked once into
# BUILD/kconfig (about 20 s).
# Exits 0, or 1 naming each line that did not stick.
set -u

build=${1:-build}
tarball=/usr/src/linux-source-6.12.tar.xz
tree=$build/kconfig/linux-source-6.12
frag=$(pwd)/configs/kernel.config
[ -r "$tarball" ] || { echo "$tarball missing (package linux-source-6.12)"; exit 1; }
# What kconfig reads: the Makefiles it runs, scripts/, every Kconfig file
# (about 25 MB of the tree's 1.5 GB).
parts=('linux-source-6.12/Makefile' 'linux-source-6.12/scripts/*' '*Kconfig*'
       'linux-source-6.12/arch/x86/Makefile*' 'linux-source-6.12/arch/x86/configs/*')
if [ ! -f "$build/kconfig/.unpacked" ]; then
	rm -rf "$build/kconfig" && mkdir -p "$build/kconfig" &&
		tar -C "$build/kconfig" -xf "$tarball" --wildcards "${parts[@]}" && touch "$build/kconfig/.unpacked" ||
		{ echo "cannot unpack $tarball into $build/kconfig"; exit 1; }
fi
tree=$(cd "$tree" && pwd)
out=$build/kconfig/out
rm -rf "$out" && mkdir -p "$out" && out=$(cd "$out" && pwd)
make -s -C "$tree" O="$out" x86_64_defconfig >"$out/make.log" 2>&1 &&
	(cd "$out" && "$tree/scripts/kconfig/merge_config.sh" -m .config "$frag") >>"$out/make.log" 2>&1 &&
	make -s -C "$tree" O="$out" olddefconfig >>"$out/make.log" 2>&1 ||
	{ echo "kconfig failed:"; tail -20 "$out/make.log"; exit 1; }

bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) opt=${line%%=*} ;;
	"# CONFIG_"*" is not set") opt=${line#\# }; opt=${opt%% *} ;;
	*) continue ;;
	esac
	if ! grep -rqsE "^(menu)?config ${opt#CONFIG_}\$" --include='Kconfig*' "$tree"; then
		echo "# $opt: not in 6.12's Kconfig (a later kernel's option)"
		continue
	fi
	actual=$(grep -E "^(# )?$opt[= ]" "$out/.config" || true)
	[ "$actual" = "$line" ] || { echo "configs/kernel.config: '$line' did not stick on 6.12: .config has '${actual:-nothing}'"; bad=1; }
done <"$frag"
exit $bad
