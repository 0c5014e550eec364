#!/usr/bin/env bash
# Installs the `spotalis` command from this checkout as a .NET global tool, and links it as the kubectl plugin
# `kubectl spotalis` (kubectl runs any `kubectl-<name>` executable on the PATH as `kubectl <name>`).
# Run it again to update. Needs the .NET 10 SDK (and kubectl for the plugin). Usage: bash scripts/install.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The tool package comes from this checkout only: a NuGet config with just the local folder, so that no package
# of the same name on a public feed can be picked instead.
dotnet pack src/Spotalis -c Release -o "$work/packages" -v quiet
package=$(basename "$(ls "$work"/packages/spotalis.*.nupkg)" .nupkg)
version=${package#spotalis.}
cat > "$work/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="spotalis-checkout" value="$work/packages" />
  </packageSources>
</configuration>
CONFIG

tools="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"
dotnet tool uninstall --global spotalis >/dev/null 2>&1 || true
dotnet tool install --global spotalis --version "$version" --configfile "$work/nuget.config"
ln -sf "$tools/spotalis" "$tools/kubectl-spotalis"
echo "installed: $tools/spotalis and the kubectl plugin $tools/kubectl-spotalis ($("$tools/spotalis" version))"

case ":$PATH:" in
  *":$tools:"*) ;;
  *) echo "note: $tools is not on your PATH; add it (e.g. in ~/.bashrc): export PATH=\"\$PATH:$tools\"" ;;
esac
