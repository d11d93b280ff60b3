#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/check-schema.sh BUILD: reports of real runs validate against
# docs/report.schema.json (JSON Schema 2020-12, python3-jsonschema): a
# clean run and one with an injected finding on anon (/dev/kvm), a SKIP
# (tdx here), and a tdx_model run.  A schema that stopped describing the
# report, or a report that stopped following it, fails naming the report,
# the key path and the rule.  Exits 0, or 1.  Run from the repository root.
set -u

build=$1
tmp=$(mktemp -d /tmp/seamstress-schema.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
t=$build/tests

"$t/accept_race" -f anon -v 2 -n 64 -d 1 -j "$tmp/clean.json" >/dev/null 2>&1
"$t/concurrent_fault" -f anon -v 2 -n 64 -d 1 --inject-corruption -j "$tmp/finding.json" >/dev/null 2>&1
"$t/concurrent_fault" -f tdx -d 1 -j "$tmp/skip.json" >/dev/null 2>&1
"$t/remove_vs_enter" -f tdx_model --sched seeded -s 3 -d 1 -j "$tmp/model.json" >/dev/null 2>&1
for r in clean finding skip model; do
	[ -s "$tmp/$r.json" ] || { echo "no report from the $r run"; exit 1; }
done
jq -e '.result == "fail" and (.findings | length) > 0' "$tmp/finding.json" >/dev/null &&
	jq -e '.result == "skip"' "$tmp/skip.json" >/dev/null ||
	{ echo "the runs were not the pass, fail and skip this check needs"; exit 1; }

/usr/bin/python3 - docs/report.schema.json "$tmp"/*.json <<'PY'
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
v = Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    for e in v.iter_errors(json.load(open(path))):
        print(f"{path.rsplit('/', 1)[1]}: /{'/'.join(map(str, e.absolute_path))}: {e.message}")
        bad = 1
sys.exit(bad)
PY
