#!/usr/bin/env bash
# Webhook off for a long while (issue 13): `spotalis sim serve` + `spotalis run` with SPOTALIS_WEBHOOK_ENABLED=false,
# one Deployment of 10 replicas at 70 % spot / floor 1, default operator settings (cooldown, futile-move limit and
# back-off as shipped). Nothing places the replacements, so most moves are futile: the operator must stop after a
# few evictions and say so with a PlacementNotSteered Warning. Prints the evictions over time, the Warning and the
# final split. Target: at most 3 evictions in 10 minutes, and the Warning.
#
#   bash bench/webhook-off.sh [MINUTES]        (default 10; build first: dotnet build src/Spotalis -c Release)
#
# SPOTALIS overrides the command that runs the CLI (default: dotnet src/Spotalis/bin/Release/net10.0/spotalis.dll).
set -euo pipefail

minutes=${1:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
spotalis=${SPOTALIS:-"dotnet $root/src/Spotalis/bin/Release/net10.0/spotalis.dll"}
work=$(mktemp -d /tmp/spotalis-webhook-off.XXXXXX)
kubeconfig=$work/kubeconfig
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
metrics_port=$(free_port)
health_port=$(free_port)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# One spot node and three on-demand nodes: the scheduler alone spreads the pods far from 7 spot / 3 on-demand.
$spotalis sim serve --kubeconfig "$kubeconfig" --spot-nodes 1 --on-demand-nodes 3 > "$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do grep -q "listening on" "$work/serve.log" && break; sleep 0.5; done
grep -q "listening on" "$work/serve.log" || { echo "sim serve did not start:"; cat "$work/serve.log"; exit 1; }

SPOTALIS_WEBHOOK_ENABLED=false SPOTALIS_LEADER_ELECTION_ENABLED=false SPOTALIS_LOG_FORMAT=text \
  SPOTALIS_METRICS_ADDRESS=127.0.0.1:$metrics_port SPOTALIS_HEALTH_ADDRESS=127.0.0.1:$health_port \
  $spotalis run --kubeconfig "$kubeconfig" > "$work/run.log" 2>&1 &
pids+=($!)

kubectl --kubeconfig "$kubeconfig" apply -f - > /dev/null <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: {spotalis.io/enabled: "true", app: api}
  annotations: {spotalis.io/spot-percentage: "70", spotalis.io/min-on-demand: "1"}
spec:
  replicas: 10
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api, spotalis.io/enabled: "true"}}
    spec: {containers: [{name: app, image: nginx, resources: {requests: {cpu: 100m}}}]}
EOF

evictions() {
  curl -s "http://127.0.0.1:$metrics_port/metrics" | awk '/^spotalis_evictions_total\{result="evicted"\}/ {print $2; found=1} END {if (!found) print 0}'
}
split() {
  local spot_nodes
  spot_nodes=$(kubectl --kubeconfig "$kubeconfig" get nodes -l karpenter.sh/capacity-type=spot -o jsonpath='{.items[*].metadata.name}')
  # Live pods only: a terminating pod has a deletionTimestamp (second field).
  kubectl --kubeconfig "$kubeconfig" get pods -l app=api -o jsonpath='{range .items[*]}{.spec.nodeName}{"|"}{.metadata.deletionTimestamp}{"\n"}{end}' |
    awk -F'|' -v spot="$spot_nodes" 'BEGIN {n = split(spot, s, " "); for (i = 1; i <= n; i++) isSpot[s[i]] = 1}
      $2 != "" {next} $1 == "" {p++; next} isSpot[$1] {sp++; next} {od++} END {printf "spot %d, on-demand %d, pending %d", sp, od, p}'
}

start=$(date +%s)
echo "$(date -u +%H:%M:%S) started: webhook off, 10 replicas at 70/1, ${minutes} min (logs in $work)"
end=$((start + minutes * 60))
while [ "$(date +%s)" -lt "$end" ]; do
  sleep 30
  echo "$(date -u +%H:%M:%S) +$(( $(date +%s) - start ))s evictions $(evictions); $(split)"
done

warnings=$(kubectl --kubeconfig "$kubeconfig" get events.events.k8s.io -o jsonpath='{range .items[?(@.reason=="PlacementNotSteered")]}{.type} {.reason} {.note}{"\n"}{end}')
echo
echo "evictions in ${minutes} min: $(evictions)"
echo "final split: $(split)"
if [ -n "$warnings" ]; then
  echo "PlacementNotSteered Warning: yes"
  echo "$warnings" | cut -c1-300
else
  echo "PlacementNotSteered Warning: NO"
fi
