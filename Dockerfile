# syntax=docker/dockerfile:1
# The Spotalis operator image: the NativeAOT `spotalis` executable (no .NET runtime, no JIT) on the distroless
# ("chiseled") Ubuntu runtime-deps base, running as the non-root user `app` (uid 1654). Build from the repository root:
#
#   docker build --build-arg SOURCE_REVISION=$(git rev-parse HEAD) -t ghcr.io/spotalis/spotalis:0.1.0 .
#
# Multi-arch: docker buildx build --platform linux/amd64,linux/arm64 --build-arg SOURCE_REVISION=$(git rev-parse HEAD) \
#   -t <registry>/spotalis:0.1.0 --push .
# NativeAOT compiles for the platform it builds on, so each platform's stage runs on that platform (emulated for a
# foreign one). The binary carries the container's commands (run, status, explain, version); the simulator's
# commands (demo, simulate, sim, migrate) are JIT-only: docs/how-to/native-aot.md. The same publish as CI's
# scripts/publish-aot.sh, which is what was tested (no container engine exists on the build machine).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
ARG SOURCE_REVISION=unknown
# The NativeAOT linker: clang and zlib.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# Restore first, from the project files only, so that the package layer is cached across source changes.
COPY .editorconfig Directory.Build.props Directory.Packages.props ./
COPY src/Spotalis/Spotalis.csproj src/Spotalis/
COPY src/Spotalis.Core/Spotalis.Core.csproj src/Spotalis.Core/
COPY src/Spotalis.Operator/Spotalis.Operator.csproj src/Spotalis.Operator/
# Not in the NativeAOT build (JIT-only simulator), copied so that every project restores the same in both builds.
COPY src/Spotalis.Simulator/Spotalis.Simulator.csproj src/Spotalis.Simulator/
RUN rid="linux-$([ "$TARGETARCH" = amd64 ] && echo x64 || echo "$TARGETARCH")" \
 && dotnet restore src/Spotalis/Spotalis.csproj -r "$rid" -p:SpotalisAot=true

COPY src/ src/
# .git is not in the build context: the commit comes from the SOURCE_REVISION build argument instead.
RUN rid="linux-$([ "$TARGETARCH" = amd64 ] && echo x64 || echo "$TARGETARCH")" \
 && dotnet publish src/Spotalis/Spotalis.csproj -c Release -r "$rid" -p:SpotalisAot=true --no-restore \
      -p:TrimmerSingleWarn=false -p:DebugType=none -p:StripSymbols=true \
      -p:EnableSourceControlManagerQueries=false -p:SourceRevisionId="$SOURCE_REVISION" \
      -o /app

# glibc, OpenSSL (TLS to the API server and for the webhook) and CA certificates; no shell, no package manager.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app/spotalis ./
# The chiseled images already default to this user; stating it keeps runAsNonRoot checks explicit.
USER 1654:1654
# webhook (HTTPS), metrics (/metrics), health (/healthz, /readyz)
EXPOSE 9443 8080 8081
ENTRYPOINT ["/app/spotalis"]
CMD ["run", "--config", "/etc/spotalis/config.yaml"]
