#!/usr/bin/env bash
# Runs the whole test suite in Release, collects line coverage, and prints one summary line per project
# plus a total line 'N passed, N failed, N skipped'.
set -euo pipefail
cd "$(dirname "$0")/.."
results=TestResults
rm -rf "$results"
dotnet build Spotalis.sln -c Release

# The projects whose tests mostly wait on processes and conditions start together in the background; every other
# test project runs meanwhile, one after the other. (`dotnet test -m:4` on the solution gave the same four slots, but
# MSBuild could leave one of the long projects queued behind another for minutes while a slot was free.)
long=(Spotalis.Tests Spotalis.EndToEnd.Tests Spotalis.Resilience.Tests)
# One named TRX per project: runs that finish in the same second would otherwise write the same default file name.
run() {
  dotnet test "$1" -c Release --no-build --logger "trx;LogFileName=$(basename "$1" .csproj).trx" --results-directory "$results" \
    --collect:"XPlat Code Coverage" --settings scripts/coverage.runsettings
}

status=0
pids=()
for project in "${long[@]}"; do
  run "tests/$project/$project.csproj" &
  pids+=("$!")
done
for csproj in tests/*/*.Tests.csproj; do
  name=$(basename "$csproj" .csproj)
  [[ " ${long[*]} " == *" $name "* ]] || run "$csproj" || status=1
done
for pid in "${pids[@]}"; do
  wait "$pid" || status=1
done

python3 scripts/summarize-tests.py "$results" || status=1
exit "$status"
