#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/check-readme.sh [BUILD]: README.md is the front door, at most 250
# lines, and every command of its ```sh blocks exists as written: a make
# target of the Makefile, a binary of BUILD whose -h (a seamstress
# command's own -h) lists each option the line gives, a script of scripts/
# that mentions each option, a configs/ file that exists.  `git bisect
# run CMD` is checked as CMD.  A command of another kind is an error: give
# it a rule here.  Prints README.md:LINE and what is wrong, exits 1; exits
# 0 silently.  Run from the repository root.
set -u

build=${1:-build}
bad=0
err() { echo "README.md:$1: $2"; bad=1; }

n=$(wc -l <README.md)
[ "$n" -le 250 ] || err "$n" "$n lines: the README is at most 250 (deep-dives go to docs/)"

# options_in HELP WORD...: each option word (--x, --x=V, -x) must be in HELP.
options_in() {
	local help=$1 w o
	shift
	for w in "$@"; do
		case $w in
		--) break ;;
		--*) o=${w%%=*} ;;
		-[a-zA-Z]) o=$w ;;
		*) continue ;;
		esac
		grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" <<<"$help" || echo "$o"
	done
}

# check_words LINE WORD...: one command.
check_words() {
	local ln=$1 cmd help missing w t
	shift
	# Leading NAME=VALUE words are its environment.
	while [ $# -gt 0 ] && [[ $1 =~ ^[A-Z_]+= ]]; do shift; done
	[ $# -gt 0 ] || return
	cmd=$1
	shift
	case $cmd in
	make)
		for t in "$@"; do
			[[ $t =~ ^[A-Z_]+= ]] && continue
			grep -qE "^$t:" Makefile || err "$ln" "make $t: no such target in the Makefile"
		done ;;
	git)
		[ "${1:-}" = bisect ] && [ "${2:-}" = run ] || { err "$ln" "git $*: only 'git bisect run CMD' has a rule"; return; }
		shift 2
		check_words "$ln" "$@" ;;
	build/seamstress)
		[ -x "$build/seamstress" ] || { err "$ln" "$build/seamstress: not built"; return; }
		case ${1:-} in
		run|compare) help=$("$build/seamstress" "$1" -h 2>&1) ;;
		bisect-run) help="$("$build/seamstress" bisect-run -h 2>&1) $("$build/seamstress" run -h 2>&1)" ;;
		*) err "$ln" "seamstress ${1:-}: not a command"; return ;;
		esac
		shift
		missing=$(options_in "$help" "$@")
		[ -z "$missing" ] || err "$ln" "seamstress options not in its -h: $(echo $missing)" ;;
	build/*)
		w=$build/${cmd#build/}
		[ -x "$w" ] || { err "$ln" "$w: not built"; return; }
		help=$("$w" -h 2>&1)
		missing=$(options_in "$help" "$@")
		[ -z "$missing" ] || err "$ln" "$cmd: options not in its -h: $(echo $missing)" ;;
	scripts/*)
		[ -x "$cmd" ] || { err "$ln" "$cmd: no such executable script"; return; }
		missing=$(options_in "$(cat "$cmd")" "$@")
		[ -z "$missing" ] || err "$ln" "$cmd: options it does not know: $(echo $missing)" ;;
	*)
		err "$ln" "'$cmd': no rule checks this command" ;;
	esac
	for w in "$@"; do
		case $w in configs/*) [ -e "$w" ] || err "$ln" "$w: no such file" ;; esac
	done
}

while IFS= read -r entry; do
	ln=${entry%%:*} line=${entry#*:}
	line=${line%%  #*}
	line=${line%% # *}
	# shellcheck disable=SC2086 # the words of the line, on purpose
	read -ra words <<<"$line"
	check_words "$ln" "${words[@]}"
done < <(awk '/^```sh$/ { on = 1; next } /^```/ { on = 0 } on && NF { print NR ":" $0 }' README.md)
exit $bad
