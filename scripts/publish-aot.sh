#!/usr/bin/env bash
# Publishes the NativeAOT `spotalis` (the container's commands: run, status, explain, version) for this machine's
# platform into the given folder (default artifacts/aot) and fails on any trim or AOT warning.
# Needs clang and zlib1g-dev. See docs/how-to/native-aot.md. Usage: bash scripts/publish-aot.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/aot}"
dotnet publish src/Spotalis/Spotalis.csproj -c Release --use-current-runtime -p:SpotalisAot=true \
  -p:TrimmerSingleWarn=false -p:DebugType=none -p:StripSymbols=true -o "$out"
echo "published $out/spotalis ($(du -h "$out/spotalis" | cut -f1)): $("$out/spotalis" version)"
