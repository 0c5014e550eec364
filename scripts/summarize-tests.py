#!/usr/bin/env python3
"""Prints per-project test counts from TRX files, coverage per assembly from cobertura, and a total line."""
import glob
import os
import sys
import xml.etree.ElementTree as ET

results = sys.argv[1] if len(sys.argv) > 1 else "TestResults"
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
# Outcomes as the VSTest TRX logger writes them. A skipped xunit test is "NotExecuted"; the Counters element does not
# always count it, so every number below comes from the UnitTestResult elements themselves.
PASSED = {"Passed", "PassedButRunAborted"}
SKIPPED = {"NotExecuted", "Inconclusive", "NotRunnable", "Pending", "Disconnected", "Warning"}
passed = failed = skipped = 0
skipped_tests = []
failed_tests = []
# Runs the runner itself stopped (session timeout, crashed test host): their trx lists only the tests that reported,
# so the tests still running when it stopped appear nowhere and the counts alone would read as a success.
aborted_runs = []


def reason_of(result):
    for path in ("t:Output/t:ErrorInfo/t:Message", "t:Output/t:StdOut"):
        node = result.find(path, ns)
        if node is not None and (node.text or "").strip():
            return " ".join(node.text.split())
    return ""


for trx in sorted(glob.glob(os.path.join(results, "*.trx"))):
    root = ET.parse(trx).getroot()
    storage = root.find("t:TestDefinitions/t:UnitTest", ns)
    name = os.path.basename(storage.get("storage")) if storage is not None else os.path.basename(trx)
    p = f = s = 0
    for result in root.iterfind("t:Results/t:UnitTestResult", ns):
        outcome = result.get("outcome", "")
        test = result.get("testName", "?")
        if outcome in PASSED:
            p += 1
        elif outcome in SKIPPED:
            s += 1
            skipped_tests.append((name, test, reason_of(result)))
        else:
            f += 1
            failed_tests.append((name, test, outcome))
    print(f"  {name}: {p} passed, {f} failed, {s} skipped")
    for info in root.iterfind("t:ResultSummary/t:RunInfos/t:RunInfo", ns):
        text = " ".join((info.findtext("t:Text", "", ns) or "").split())
        if info.get("outcome") == "Error" and text:
            aborted_runs.append((name, text))
    passed, failed, skipped = passed + p, failed + f, skipped + s

for project, test, reason in skipped_tests:
    print(f"  skipped: {test} ({project}){': ' + reason if reason else ''}")
for project, test, outcome in failed_tests:
    print(f"  failed: {test} ({project}): {outcome}")
for project, text in aborted_runs:
    print(f"  run error: {project}: {text}")

# Line coverage per assembly over all test projects together: a line counts as covered when any project's run hit it.
lines_by_assembly = {}
for cov in glob.glob(os.path.join(results, "**", "coverage.cobertura.xml"), recursive=True):
    root = ET.parse(cov).getroot()
    # Each report names files relative to its own source roots, which differ between test projects.
    sources = [s.text or "" for s in root.iter("source")]

    def absolute(filename):
        candidates = [os.path.join(source, filename) for source in sources] or [filename]
        return os.path.normpath(next((c for c in candidates if os.path.exists(c)), candidates[0]))

    for package in root.iter("package"):
        lines = lines_by_assembly.setdefault(package.get("name"), {})
        for cls in package.iter("class"):
            path = absolute(cls.get("filename"))
            for line in cls.iter("line"):
                key = (path, line.get("number"))
                lines[key] = lines.get(key, False) or int(line.get("hits", 0)) > 0
for name, lines in sorted(lines_by_assembly.items()):
    if lines:
        covered = sum(1 for hit in lines.values() if hit)
        print(f"  coverage {name}: {covered / len(lines) * 100:.1f}% of {len(lines)} lines (all test projects)")

total = passed + failed
aborted = f", {len(aborted_runs)} run error(s): tests still running then are in no count" if aborted_runs else ""
print(f"{passed} passed, {failed} failed, {skipped} skipped{aborted}")
if total == 0:
    print("no test ran")
    sys.exit(1)
sys.exit(1 if failed or aborted_runs else 0)
