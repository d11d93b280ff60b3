#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# junit10-check.py FILE: FILE is valid JUnit XML as Jenkins' junit-10.xsd
# (jenkinsci/xunit-plugin) defines it, the form `seamstress run --junit`
# promises.  The schema's rules, restated here rather than copied:
# each element's allowed children, its required and allowed attributes,
# the time pattern of testsuites and testsuite, and text-only outcomes.
# Prints each violation with its element path and exits 1; exits 0.
import re
import sys
import xml.etree.ElementTree as ET

OUTCOME = {"children": set(), "required": set(), "allowed": {"type", "message"}}
RERUN = {"children": {"stackTrace", "system-out", "system-err"}, "required": {"type"},
         "allowed": {"type", "message"}}
TEXT = {"children": set(), "required": set(), "allowed": set()}
RULES = {
    "testsuites": {"children": {"testsuite"}, "required": set(),
                   "allowed": {"name", "time", "tests", "failures", "errors"}},
    "testsuite": {"children": {"testsuite", "properties", "testcase", "system-out", "system-err"},
                  "required": {"name", "tests", "failures", "errors"},
                  "allowed": {"name", "tests", "failures", "errors", "group", "time", "skipped",
                              "timestamp", "hostname", "id", "package", "file", "log", "url"}},
    "testcase": {"children": {"skipped", "error", "failure", "rerunFailure", "rerunError",
                              "flakyFailure", "flakyError", "system-out", "system-err"},
                 "required": {"name"}, "allowed": {"name", "time", "classname", "group"}},
    "properties": {"children": {"property"}, "required": set(), "allowed": set()},
    "property": {"children": set(), "required": {"name", "value"}, "allowed": {"name", "value"}},
    "failure": OUTCOME, "error": OUTCOME, "skipped": OUTCOME,
    "rerunFailure": RERUN, "rerunError": RERUN, "flakyFailure": RERUN, "flakyError": RERUN,
    "system-out": TEXT, "system-err": TEXT, "stackTrace": TEXT,
}
# The schema's SUREFIRE_TIME, for the time of testsuites and testsuite.
TIME = re.compile(r"(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?")
errors = []


def check(el, path):
    rule = RULES.get(el.tag)
    here = f"{path}/{el.tag}"
    if rule is None:
        errors.append(f"{here}: no such element in junit-10")
        return
    for a in rule["required"] - el.attrib.keys():
        errors.append(f"{here}: required attribute '{a}' missing")
    for a in el.attrib.keys() - rule["allowed"]:
        errors.append(f"{here}: attribute '{a}' not allowed")
    if el.tag in ("testsuites", "testsuite") and "time" in el.attrib and \
            not TIME.fullmatch(el.attrib["time"]):
        errors.append(f"{here}: time '{el.attrib['time']}' does not match SUREFIRE_TIME")
    for child in el:
        if child.tag not in rule["children"]:
            errors.append(f"{here}: child <{child.tag}> not allowed")
        check(child, here)


root = ET.parse(sys.argv[1]).getroot()
if root.tag not in ("testsuites", "testsuite"):
    errors.append(f"/{root.tag}: the root must be testsuites or testsuite")
check(root, "")
for e in errors:
    print(f"{sys.argv[1]}: {e}")
sys.exit(1 if errors else 0)
