#!/usr/bin/env bash
# Runs the whole test suite in Release, collects line coverage, and prints one summary line per project
# plus a total line 'N passed, N failed, N skipped'.
set -euo pipefail
cd "$(dirname "$0")/.."
results=TestResults
rm -rf "$results"
status=0
# -m:4: the seven test projects mostly wait on processes and conditions, so four at a time (not one per core) keeps
# the slowest ones (CLI, EndToEnd, Resilience) from queuing behind each other.
dotnet test Spotalis.sln -c Release -m:4 --logger "trx" --results-directory "$results" \
  --collect:"XPlat Code Coverage" --settings scripts/coverage.runsettings || status=$?
python3 scripts/summarize-tests.py "$results" || status=1
exit "$status"
