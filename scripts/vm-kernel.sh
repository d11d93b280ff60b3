#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-kernel.sh VMDIR [PATCH]: the default kernel of the nested upstream KVM
# (docs/nested-kvm.md §1), cached under VMDIR and rebuilt only when missing.
#
#   VMDIR/root/             Debian's linux-image and linux-headers of the
#                           same release as linux-source-6.12, unpacked (never
#                           installed: no postinst, nothing outside VMDIR)
#   VMDIR/kvm-ID/           kvm.ko and kvm-amd.ko rebuilt from linux-source
#                           with CONFIG_KVM_SW_PROTECTED_VM, ID "stock" or the
#                           first 12 hex digits of PATCH's sha256, with PATCH
#                           applied to the KVM sources (patch -p1 on the tree)
#   VMDIR/initrd.gz         busybox, the 9p modules and scripts/vm-init
#
# Prints "KERNEL MODROOT KVMDIR" on its last line for scripts/vm-run.sh.
set -euo pipefail

vmdir=${1:?usage: vm-kernel.sh VMDIR [PATCH]}
patch=${2:-}
here=$(cd "$(dirname "$0")" && pwd)

# The release of linux-source-6.12, which the rest of the build uses too:
# its image, headers and KVM sources must be one release.
srcpkg=linux-source-6.12
ver=$(dpkg-query -W -f='${Version}' "$srcpkg" 2>/dev/null) || {
	echo "vm-kernel.sh: $srcpkg is not installed (scripts/packages.txt lists it)" >&2
	exit 1
}
upstream=${ver%%-*}
kver=$upstream+deb12-amd64
pkgs=("linux-image-$kver-unsigned=$ver" "linux-headers-$kver=$ver"
      "linux-headers-$upstream+deb12-common=$ver" "linux-kbuild-$upstream+deb12=$ver")
root=$vmdir/root
hdr=$root/usr/src/linux-headers-$kver

mkdir -p "$vmdir"
vmdir=$(cd "$vmdir" && pwd)
root=$vmdir/root
hdr=$root/usr/src/linux-headers-$kver

if [ ! -f "$root/.seamstress-unpacked-$ver" ]; then
	rm -rf "$root" "$vmdir/debs"
	mkdir -p "$vmdir/debs" "$root"
	echo "  APT     download ${pkgs[*]}" >&2
	(cd "$vmdir/debs" && apt-get download -qq "${pkgs[@]}" 2>/dev/null) || {
		apt-get update -qq >/dev/null
		(cd "$vmdir/debs" && apt-get download -qq "${pkgs[@]}")
	}
	for d in "$vmdir"/debs/*.deb; do
		dpkg-deb -x "$d" "$root"
	done
	# The headers' Makefile includes the common headers by their installed
	# path; point it at the unpacked copy (a file of ours, not a link).
	echo "include $root/usr/src/linux-headers-$upstream+deb12-common/Makefile" >"$hdr/Makefile"
	echo "  DEPMOD  $kver" >&2
	depmod -b "$root" "$kver"
	rm -rf "$vmdir/debs"
	touch "$root/.seamstress-unpacked-$ver"
fi

id=stock
if [ -n "$patch" ]; then
	[ -f "$patch" ] || { echo "vm-kernel.sh: KVM_PATCH $patch: no such file" >&2; exit 1; }
	id=$(sha256sum "$patch" | cut -c1-12)
fi
kvm=$vmdir/kvm-$id
if [ ! -f "$kvm/kvm-amd.ko" ]; then
	src=$vmdir/kvm-src-$id
	rm -rf "$src" "$kvm"
	mkdir -p "$src/include/trace"
	echo "  UNPACK  $srcpkg arch/x86/kvm virt/kvm" >&2
	tar -xJf "/usr/src/$srcpkg.tar.xz" -C "$src" --strip-components=1 \
		"$srcpkg/arch/x86/kvm" "$srcpkg/virt/kvm"
	if [ -n "$patch" ]; then
		echo "  PATCH   $patch" >&2
		patch -d "$src" -p1 --no-backup-if-mismatch -s <"$patch" || {
			echo "vm-kernel.sh: $patch does not apply to $srcpkg $ver's KVM sources" >&2
			exit 1
		}
	fi
	# Out of tree, $(srctree) is the headers, which lack arch/x86/kvm and
	# virt/kvm: point the two references at the copy, and let trace.h's
	# TRACE_INCLUDE_PATH (../../arch/x86/kvm, from include/trace/) resolve
	# inside it.
	sed -i -e 's|-I \$(srctree)/arch/x86/kvm|-I $(src) -I $(src)/../../../include/trace|' \
	       -e 's|\$(srctree)/virt/kvm/Makefile.kvm|$(src)/../../../virt/kvm/Makefile.kvm|' \
		"$src/arch/x86/kvm/Makefile"
	echo "  KMOD    kvm.ko kvm-amd.ko (CONFIG_KVM_SW_PROTECTED_VM=y, $id)" >&2
	if ! make -C "$hdr" M="$src/arch/x86/kvm" -j"$(nproc)" \
		CONFIG_KVM_INTEL= CONFIG_KVM_SW_PROTECTED_VM=y \
		KCFLAGS=-DCONFIG_KVM_SW_PROTECTED_VM=1 CONFIG_DEBUG_INFO_BTF_MODULES= \
		modules >"$vmdir/kvm-$id.log" 2>&1; then
		tail -20 "$vmdir/kvm-$id.log" >&2
		echo "vm-kernel.sh: the KVM module build failed, see $vmdir/kvm-$id.log" >&2
		exit 1
	fi
	rm -rf "$kvm.tmp"
	mkdir -p "$kvm.tmp"
	cp "$src/arch/x86/kvm/kvm.ko" "$src/arch/x86/kvm/kvm-amd.ko" "$kvm.tmp/"
	mv "$kvm.tmp" "$kvm"
	rm -rf "$src"
fi

"$here/vm-initrd.sh" "$vmdir/initrd.gz" "$root/lib/modules/$kver"
echo "$root/boot/vmlinuz-$kver $root $kvm"
