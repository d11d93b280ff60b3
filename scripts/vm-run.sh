#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-run.sh [OPTIONS] OUTDIR -- CMD [ARG...]: run CMD in this checkout on an
# upstream KVM nested under QEMU's software emulation (docs/nested-kvm.md).
#
# The VM boots Debian's 6.12 kernel with KVM rebuilt for
# KVM_X86_SW_PROTECTED_VM (scripts/vm-kernel.sh, cached under build/vm), or
# the user's --kernel, sees this machine's root read-only over 9p and
# OUTDIR read-write at its own path, loads KVM and runs CMD there.  OUTDIR
# (made anew; it must not exist or be a directory of ours) gets
# console.log, output.log (CMD's output, also printed), dmesg.log, kvm.env
# and whatever CMD writes into it.  Exit status: CMD's; 123 when the
# guest's kernel crashed (an oops panics it: oops=panic; the excerpt is in
# OUTDIR/crash.txt, its first line printed): the kernel's finding; 124 when
# the deadline killed the VM (console.log kept); 125 when the VM gave no
# result.
#
#   --kernel FILE    boot this bzImage instead (the patch-validation path)
#   --modules DIR    with --kernel: its modules, installed with
#                    INSTALL_MOD_PATH=DIR (KVM and 9p from there if modular)
#   --patch FILE     rebuild the default KVM modules with FILE applied
#   --kvm LIST       kvm.ko parameters, comma-separated (e.g. tdp_mmu=0)
#   --kvm-amd LIST   kvm-amd.ko parameters (e.g. npt=1)
#   --timeout SECS   the deadline of the whole VM (default 900)
#   --vmdir DIR      where the default kernel is cached (default build/vm)
# KERNEL=, MODULES= and KVM_PATCH= in the environment are --kernel,
# --modules and --patch.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# make vm-check / vm-run pass KERNEL=, MODULES= and KVM_PATCH= through the
# environment; an option wins.
kernel=${KERNEL:-} modules=${MODULES:-} patch=${KVM_PATCH:-}
kvm_args= kvm_amd_args= timeout=900 vmdir=$repo/build/vm
usage() { sed -n '4,26p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 125; }
die() { echo "vm-run.sh: $*" >&2; exit 125; }

while [ $# -gt 0 ]; do
	case $1 in
	--kernel)  kernel=${2:?}; shift 2 ;;
	--modules) modules=${2:?}; shift 2 ;;
	--patch)   patch=${2:?}; shift 2 ;;
	--kvm)     kvm_args=${2?}; shift 2 ;;
	--kvm-amd) kvm_amd_args=${2?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--vmdir)   vmdir=${2:?}; shift 2 ;;
	-h|--help) usage ;;
	--)        break ;;
	-*)        die "unknown option $1" ;;
	*)         [ -z "${out:-}" ] || die "one OUTDIR, then -- CMD"; out=$1; shift ;;
	esac
done
[ -n "${out:-}" ] && [ "${1:-}" = -- ] && [ $# -ge 2 ] || usage
shift

# Everything below reaches the guest's kernel command line, which splits
# on blanks and has no quoting: refuse what it could not carry.
plain='^[A-Za-z0-9/._+-]+$'
params='^[A-Za-z0-9_.=,-]*$'
[[ $timeout =~ ^[0-9]+$ ]] && [ "$timeout" -ge 60 ] || die "--timeout $timeout: seconds, at least 60"
[[ $kvm_args =~ $params ]] || die "--kvm '$kvm_args': parameters are name=value[,name=value]"
[[ $kvm_amd_args =~ $params ]] || die "--kvm-amd '$kvm_amd_args': parameters are name=value[,name=value]"
[ -z "$modules" ] || [ -n "$kernel" ] || die "--modules needs --kernel"

# OUTDIR: made here, by us, so nothing in it is anyone else's link.
[ -L "$out" ] && die "OUTDIR $out is a symbolic link"
if [ -e "$out" ]; then
	[ -d "$out" ] && [ -O "$out" ] || die "OUTDIR $out exists and is not a directory of ours"
	rm -rf "$out"
fi
mkdir -p "$out"
chmod 700 "$out"
out=$(cd "$out" && pwd)
mkdir -p "$vmdir"
vmdir=$(cd "$vmdir" && pwd)
if [ -n "$modules" ]; then
	[ -d "$modules" ] || die "--modules $modules: no such directory"
	modules=$(cd "$modules" && pwd)
fi
# Every path the guest's command line carries, before any work: the
# checkout, OUTDIR, and the module trees (under --vmdir, or --modules).
for p in "$repo" "$out" "$vmdir" "$modules"; do
	[ -z "$p" ] || [[ $p =~ $plain ]] || die "path $p: only letters, digits and /._+- reach the guest"
done

command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (package qemu-system-x86)"
if [ -n "$kernel" ]; then
	[ -f "$kernel" ] || die "--kernel $kernel: no such file"
	[ -z "$patch" ] || die "--patch rebuilds the default kernel's KVM; with --kernel, patch your tree"
	kernel=$(cd "$(dirname "$kernel")" && pwd)/$(basename "$kernel")
	modroot= kvmdir= moddir=
	if [ -n "$modules" ]; then
		dirs=("$modules"/lib/modules/*/)
		[ -d "${dirs[0]}" ] && [ ${#dirs[@]} -eq 1 ] ||
			die "--modules $modules: expected one lib/modules/RELEASE inside"
		moddir=${dirs[0]%/}
		modroot=$modules
	fi
	initrd=$vmdir/initrd-user.gz
	"$repo/scripts/vm-initrd.sh" "$initrd" "$moddir"
else
	read -r kernel modroot kvmdir < <("$repo/scripts/vm-kernel.sh" "$vmdir" "$patch" | tail -1)
	initrd=$vmdir/initrd.gz
fi

printf '%s\0' "$@" >"$out/argv"
# oops=panic: an oops in a task that then exits again oopses in do_exit()
# ("Fixing recursive fault but reboot is needed!") and leaves it in D
# state for good, which no deadline inside can kill; a panic stops the VM
# at once (panic=-1 with -no-reboot) and names the crash.  WARNINGs (and
# so KVM_BUG_ON) stay the command's to report.
cmdline="console=ttyS0 quiet oops=panic panic=-1 seam_repo=$repo seam_out=$out seam_timeout=$((timeout - 30))"
[ -n "$modroot" ] && cmdline+=" seam_modroot=$modroot"
[ -n "$kvmdir" ] && cmdline+=" seam_kvm=$kvmdir"
[ -n "$kvm_args" ] && cmdline+=" seam_kvm_args=$kvm_args"
[ -n "$kvm_amd_args" ] && cmdline+=" seam_kvm_amd_args=$kvm_amd_args"

# thread=single: thread=multi hung or crashed in about one run in ten
# (QEMU 7.2); single is as fast with one vCPU thread per host core busy.
# phys-bits=48 (TCG's default is 40): the td_image flavor maps the TD's
# shared bit 47, which a guest MAXPHYADDR below 48 makes a reserved bit.
: >"$out/console.log"
timeout -k 10 "$timeout" qemu-system-x86_64 \
	-accel tcg,thread=single -cpu max,phys-bits=48 -smp 2 -m 2G \
	-nodefaults -display none -vga none -no-reboot -monitor none \
	-serial "file:$out/console.log" -nic none \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
	-virtfs "local,path=$out,mount_tag=out,security_model=none" \
	</dev/null >"$out/qemu.log" 2>&1 &
qemu=$!
tail -n +1 -f --pid=$qemu "$out/console.log" 2>/dev/null || true
wait $qemu && qrc=0 || qrc=$?

# The guest kernel's crash, whether or not CMD got to write its status:
# from the first oops line (BUG:, Oops:, general protection fault, ...) to
# the panic's, at most 60 lines.
if grep -q 'Kernel panic - not syncing' "$out/console.log"; then
	sed -n '/\(BUG: \|Oops: \|general protection fault\|Kernel panic - not syncing\)/,/Kernel panic - not syncing/p' \
		"$out/console.log" | head -60 >"$out/crash.txt"
	echo "vm-run.sh: the guest's kernel crashed: $(head -1 "$out/crash.txt" | sed 's/^\[[ 0-9.]*\] //')" >&2
	echo "vm-run.sh: the kernel's finding, not the command's; excerpt: $out/crash.txt, console: $out/console.log" >&2
	exit 123
fi
if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	echo "vm-run.sh: the VM passed its deadline of $timeout s and was killed; console: $out/console.log" >&2
	exit 124
fi
if [ ! -s "$out/rc" ]; then
	echo "vm-run.sh: the VM stopped without a result (QEMU exit $qrc); console: $out/console.log, QEMU: $out/qemu.log" >&2
	tail -5 "$out/qemu.log" >&2
	exit 125
fi
exit "$(cat "$out/rc")"
