#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the nested KVM's VM, chrooted into the host's root (started
# by scripts/vm-init; docs/nested-kvm.md §2).  Loads KVM, runs the command
# of $seam_out/argv (NUL-separated words, never evaluated by a shell) in
# the checkout with a deadline, and leaves in $seam_out: output.log (its
# output), rc (its exit status), dmesg.log, and kvm.env (the kernel and the
# KVM module parameters it ran with).
set -u
out=$seam_out
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
rc_file=$out/rc

finish() { trap - EXIT; echo "$1" >"$rc_file"; dmesg >"$out/dmesg.log" 2>&1; exit 0; }
# A mistake of this script's own is the harness's, never the command's.
trap 'finish 125' EXIT
kvm_args=${seam_kvm_args:-} kvm_amd_args=${seam_kvm_amd_args:-}
kvm_args=${kvm_args//,/ } kvm_amd_args=${kvm_amd_args//,/ }

# KVM: the rebuilt modules of vm-kernel.sh (seam_kvm, a directory) after
# their stock dependencies from the unpacked tree (seam_modroot), or, with
# MODULES= of the user's kernel, kvm_amd from that tree by modprobe.  A
# kernel with KVM built in loads nothing.  seam_kvm_args and
# seam_kvm_amd_args are module parameters, comma-separated.
load_kvm() {
	[ -d /sys/module/kvm_amd ] && return 0
	local d
	if [ -n "${seam_kvm:-}" ]; then
		for d in $(modinfo -F depends "$seam_kvm/kvm.ko" "$seam_kvm/kvm-amd.ko" | tr ',' ' '); do
			case $d in kvm|kvm_amd) continue ;; esac
			modprobe -d "$seam_modroot" "$d" || return 1
		done
		# shellcheck disable=SC2086 # the parameters are words on purpose
		insmod "$seam_kvm/kvm.ko" $kvm_args &&
			insmod "$seam_kvm/kvm-amd.ko" $kvm_amd_args
	else
		modprobe -d "$seam_modroot" kvm_amd $kvm_amd_args
	fi
}
if ! load_kvm >"$out/kvm-load.log" 2>&1; then
	cat "$out/kvm-load.log"
	echo "vm-inner: loading KVM failed (log above)"
	finish 125
fi
{
	echo "kernel=$(uname -r)"
	for p in /sys/module/kvm/parameters/tdp_mmu /sys/module/kvm_amd/parameters/npt; do
		[ -r "$p" ] && echo "$(basename "$(dirname "$(dirname "$p")")").$(basename "$p")=$(cat "$p")"
	done
} >"$out/kvm.env"

mapfile -d '' argv <"$out/argv"
[ ${#argv[@]} -gt 0 ] || { echo "vm-inner: $out/argv is empty"; finish 125; }
cd "$seam_repo" || finish 125
timeout -k 5 "${seam_timeout:-600}" "${argv[@]}" </dev/null 2>&1 | tee "$out/output.log"
finish "${PIPESTATUS[0]}"
