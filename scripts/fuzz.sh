#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make fuzz: the scenario parser under libFuzzer (clang, Debian's
# libclang-rt-14-dev) with AddressSanitizer, for a bounded time, from the
# corpus kept in tests/fuzz/corpus (new inputs found are added to it).
set -euo pipefail

build=$1 hdr=$2 ksrc=$3 secs=${4:-60}
out=$build/fuzz
mkdir -p "$out"
corpus=tests/fuzz/corpus

# Seed the corpus with every scenario we have, good and bad.
for f in configs/*.conf tests/fixtures/scenarios/*.conf; do
	cp -n "$f" "$corpus/seed-$(basename "$f")"
done

clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
	-Iinclude -isystem "$hdr/include" -I"$ksrc/tools/testing/selftests" \
	tests/fuzz/fuzz_scenario.c lib/scenario.c lib/options.c lib/flavor.c lib/detectors.c lib/ini_text.c \
	-o "$out/fuzz_scenario"
"$out/fuzz_scenario" -max_total_time="$secs" -timeout=5 -max_len=4096 \
	-print_final_stats=1 "$corpus" 2>&1 | tail -20
