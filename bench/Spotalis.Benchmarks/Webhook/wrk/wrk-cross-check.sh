#!/bin/bash
# Independent closed-loop cross-check of webhook-latency: starts `webhook-serve` (the same servers, workstation
# concurrent GC) and drives both endpoints with wrk (apt-get install -y wrk), 2 threads x 32 connections, HTTP/1.1 over
# TLS, after a 3 s warm-up each. Run from the repository root after a Release build of bench/Spotalis.Benchmarks.
set -euo pipefail
dll=bench/Spotalis.Benchmarks/bin/Release/net10.0/Spotalis.Benchmarks.dll
lua=bench/Spotalis.Benchmarks/Webhook/wrk/post-review.lua
seconds=${1:-10}
echo "# before: $(uptime)"
coproc SERVE { DOTNET_gcServer=0 DOTNET_gcConcurrent=1 dotnet "$dll" webhook-serve 2>/dev/null; }
ready=""
while read -r line <&"${SERVE[0]}"; do
  case "$line" in "webhook-serve ready "*) ready="${line#webhook-serve ready }"; break ;; esac
done
field() { echo "$ready" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
plain=$(field PlainUri); webhook=$(field WebhookUri); export REVIEW; REVIEW=$(field SampleReviewPath)
for uri in "$plain" "$webhook"; do wrk -t2 -c32 -d3s -s "$lua" "$uri" > /dev/null; done
for uri in "$plain" "$webhook"; do echo "## $uri"; wrk -t2 -c32 -d"${seconds}s" --latency -s "$lua" "$uri"; done
exec {SERVE[1]}>&-
wait
echo "# after: $(uptime)"
