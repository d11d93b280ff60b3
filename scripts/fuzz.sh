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

# A dictionary of the real keys, from the help text, so that the fuzzer
# builds sections with many valid keys (the merge overflow needed 49).
dict=$out/scenario.dict
{
	printf '"[global]"\n"test = "\n"timeout = "\n" = 1\\x0a"\n'
	"$build/tests/concurrent_fault" -h | grep -o -- '--[a-z0-9-]*' | sort -u |
		sed -n 's/^--\(..*\)$/"\1 = "/p'
} >"$dict"

clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
	-Iinclude -I"$build/gen" -isystem "$hdr/include" -I"$ksrc/tools/testing/selftests" \
	tests/fuzz/fuzz_scenario.c lib/util/scenario.c lib/util/options.c lib/flavor/flavor.c lib/detectors/detectors.c lib/util/ini_text.c \
	-o "$out/fuzz_scenario"
"$out/fuzz_scenario" -max_total_time="$secs" -timeout=5 -max_len=4096 -dict="$dict" \
	-print_final_stats=1 "$corpus" 2>&1 | tail -20
