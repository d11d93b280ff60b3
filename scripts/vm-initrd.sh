#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-initrd.sh OUT [MODDIR]: the initramfs of the nested KVM (docs/nested-kvm.md
# §2): static busybox, scripts/vm-init as /init, and the modules that
# mounting the host's root over 9p needs, taken from MODDIR (a
# lib/modules/RELEASE directory) when the kernel has them as modules.
# Rebuilt when vm-init is newer than OUT or OUT's module list changed.
set -euo pipefail

out=${1:?usage: vm-initrd.sh OUT [MODDIR]}
moddir=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
bb=/bin/busybox

# ldd fails on a static executable: the initramfs has no libraries.
[ -x "$bb" ] && ! ldd "$bb" >/dev/null 2>&1 || {
	echo "vm-initrd.sh: $bb is not a static busybox (package busybox-static)" >&2
	exit 1
}

# In load order: 9p needs 9pnet and netfs, 9pnet_virtio needs 9pnet.
mods=(fs/netfs/netfs net/9p/9pnet net/9p/9pnet_virtio fs/9p/9p)
found=()
if [ -n "$moddir" ]; then
	for m in "${mods[@]}"; do
		for f in "$moddir/kernel/$m.ko" "$moddir/kernel/$m.ko.xz" "$moddir/kernel/$m.ko.zst"; do
			[ -f "$f" ] && { found+=("$f"); break; }
		done
	done
fi
list="${found[*]:-built-in}"
if [ -f "$out" ] && [ "$out" -nt "$here/vm-init" ] && [ "$(cat "$out.mods" 2>/dev/null)" = "$list" ]; then
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,dev,proc,sys,host,mods}
cp "$bb" "$tmp/bin/busybox"
cp "$here/vm-init" "$tmp/init"
chmod 755 "$tmp/init"
i=0
for f in "${found[@]}"; do
	# busybox insmod reads the file itself: store them uncompressed.
	name=$(printf '%d-%s.ko' "$i" "$(basename "${f%%.ko*}")")
	case $f in
	*.xz)  xz -dc "$f" >"$tmp/mods/$name" ;;
	*.zst) zstd -qdc "$f" >"$tmp/mods/$name" ;;
	*)     cp "$f" "$tmp/mods/$name" ;;
	esac
	i=$((i + 1))
done
echo "  INITRD  $out (9p: $list)" >&2
(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
echo "$list" >"$out.mods"
