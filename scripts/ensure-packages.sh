#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make sure every package of scripts/packages.txt is installed.  As root,
# install what is missing (apt-get update first, once); otherwise say in one
# line which packages are missing and fail.  Quiet when nothing is missing.
set -euo pipefail

list=$(dirname "$0")/packages.txt
mapfile -t pkgs < <(grep -v '^[[:space:]]*\(#\|$\)' "$list")

missing=()
for p in "${pkgs[@]}"; do
	# dpkg-query prints "install ok installed" only for a complete install.
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$st" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "seamstress: missing Debian packages: ${missing[*]} (as root: apt-get install ${missing[*]})" >&2
	exit 1
fi
echo "  APT     ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
