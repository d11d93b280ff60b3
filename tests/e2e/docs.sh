#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/e2e/docs.sh [BUILD]: the documents agree with the code: citations, the
# detector and option tables, the TAP, the kernel config, the README.
# Part of make check (scripts/check.sh); alone it prints its own TAP.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# Every citation in code and docs names a section of docs/ that exists.
check "docs/citations_resolve" scripts/check-citations.sh
# One detector table: docs/detectors.md documents it, the code raises only its names.
check "docs/detector_table_is_the_one_list" scripts/check-detectors.sh
# One option table: docs/tests.md's option block is -h's, verbatim.
check "docs/option_block_is_the_help" scripts/check-options.sh "$build"
# make check's own TAP: prove counts the checks, not the nested TAP of a failure.
check "harness/tap_stream_parses_under_prove" scripts/check-tap.sh
# configs/kernel.config sticks on the 6.12 tree (merge_config.sh, olddefconfig).
check "docs/kernel_config_fragment_sticks_on_6.12" scripts/check-kconfig.sh "$build"
# The README: at most 250 lines, and every command in it exists as written.
check "docs/readme_commands_exist" scripts/check-readme.sh "$build"

e2e_done
