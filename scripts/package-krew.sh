#!/usr/bin/env bash
# Builds the kubectl plugin archives for krew (framework-dependent: the machine needs the .NET 10 runtime) and writes
# dist/krew/spotalis.yaml, deploy/krew/spotalis.yaml with each archive's sha256 filled in.
# Usage: bash scripts/package-krew.sh   (then see the comment at the top of deploy/krew/spotalis.yaml)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=dist/krew
rm -rf "$out"
mkdir -p "$out"
manifest=$(cat deploy/krew/spotalis.yaml)
for platform in linux-amd64:linux-x64 linux-arm64:linux-arm64; do
  name=${platform%%:*}
  rid=${platform#*:}
  stage="$out/stage-$name"
  dotnet publish src/Spotalis -c Release -r "$rid" --self-contained false -p:DebugType=none -o "$stage" -v quiet
  # krew links `bin`; the apphost finds spotalis.dll next to its real path, whatever the link is called.
  cp "$stage/spotalis" "$stage/kubectl-spotalis"
  tar -czf "$out/kubectl-spotalis-$name.tar.gz" -C "$stage" .
  rm -rf "$stage"
  sum=$(sha256sum "$out/kubectl-spotalis-$name.tar.gz" | cut -d' ' -f1)
  key=SHA256_$(echo "$name" | tr 'a-z-' 'A-Z_')
  manifest=${manifest//$key/$sum}
  echo "$out/kubectl-spotalis-$name.tar.gz  sha256 $sum"
done
printf '%s\n' "$manifest" > "$out/spotalis.yaml"
echo "wrote $out/spotalis.yaml"
