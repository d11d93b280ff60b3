#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The options are written once, in lib/util/options.c's table: docs/tests.md's
# option block is concurrent_fault's -h, option lines only, verbatim.
# Run from the repository root: scripts/check-options.sh [BUILD].
set -euo pipefail

build=${1:-build}
readme=$(awk '/^<!-- options: concurrent_fault -h -->$/ { on = 1; next }
	on && /^```$/ { if (fence++) exit; next } on && fence == 1' docs/tests.md)
help=$("$build/tests/concurrent_fault" -h 2>/dev/null | sed -n '/^usage:/,$p' | tail -n +2)
[ -n "$readme" ] || { echo "docs/tests.md: no block after '<!-- options: concurrent_fault -h -->'"; exit 1; }
if [ "$readme" != "$help" ]; then
	echo "docs/tests.md's option block differs from '$build/tests/concurrent_fault -h' (< docs/tests.md, > -h):"
	diff <(echo "$readme") <(echo "$help") || true
	exit 1
fi
