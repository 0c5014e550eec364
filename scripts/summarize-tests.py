#!/usr/bin/env python3
"""Prints per-project test counts from TRX files, coverage per assembly from cobertura, and a total line."""
import glob
import os
import sys
import xml.etree.ElementTree as ET

results = sys.argv[1] if len(sys.argv) > 1 else "TestResults"
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for trx in sorted(glob.glob(os.path.join(results, "*.trx"))):
    root = ET.parse(trx).getroot()
    counters = root.find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    p = int(counters.get("passed", 0))
    f = int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    s = int(counters.get("notExecuted", 0))
    storage = root.find("t:TestDefinitions/t:UnitTest", ns)
    name = os.path.basename(storage.get("storage")) if storage is not None else os.path.basename(trx)
    print(f"  {name}: {p} passed, {f} failed, {s} skipped")
    passed, failed, skipped = passed + p, failed + f, skipped + s

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
print(f"{passed} passed, {failed} failed, {skipped} skipped")
if total == 0:
    print("no test ran")
    sys.exit(1)
sys.exit(1 if failed else 0)
