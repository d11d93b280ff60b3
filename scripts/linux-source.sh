#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Provide a kernel tree for the build when the user gave no KDIR: install
# Debian's linux-source-6.12 if it is missing and unpack only what the KVM
# selftests library and headers_install need into $1.  A second call with the
# tree already unpacked does nothing.
set -euo pipefail

dest=${1:?usage: linux-source.sh DEST_DIR}
ver=6.12
tarball=/usr/src/linux-source-$ver.tar.xz
stamp=$dest/.seamstress-unpacked

[ -f "$stamp" ] && exit 0

if [ ! -f "$tarball" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "linux-source.sh: $tarball is missing; run 'apt-get install linux-source-$ver' as root or pass KDIR=/path/to/linux" >&2
		exit 1
	fi
	echo "  APT     linux-source-$ver" >&2
	apt-get install -y -qq "linux-source-$ver" >/dev/null || {
		apt-get update -qq && apt-get install -y -qq "linux-source-$ver" >/dev/null
	}
fi

# Paths the selftests library build and 'make headers_install' read.
parts="Makefile scripts include/uapi arch/x86/include/uapi arch/x86/Makefile
       arch/x86/entry/syscalls arch/x86/tools lib/rbtree.c tools"
tmp=$dest.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
echo "  UNPACK  linux-source-$ver (selftests, uapi, scripts)" >&2
# shellcheck disable=SC2086
tar -xJf "$tarball" -C "$tmp" --strip-components=1 \
	$(for p in $parts; do echo "linux-source-$ver/$p"; done)
touch "$tmp/.seamstress-unpacked"
rm -rf "$dest"
mv "$tmp" "$dest"
