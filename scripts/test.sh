#!/usr/bin/env bash
# Runs the whole test suite in Release, collects line coverage, and prints one summary line per project
# plus a total line 'N passed, N failed, N skipped'.
set -euo pipefail
cd "$(dirname "$0")/.."
results=TestResults
rm -rf "$results"
status=0
dotnet test Spotalis.sln -c Release --logger "trx" --results-directory "$results" \
  --collect:"XPlat Code Coverage" --settings scripts/coverage.runsettings || status=$?
python3 scripts/summarize-tests.py "$results" || status=1
exit "$status"
