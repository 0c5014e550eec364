# syntax=docker/dockerfile:1
# The Spotalis operator image: the `spotalis` executable on a distroless ("chiseled") Ubuntu base, running as
# the non-root user `app` (uid 1654). Build from the repository root:
#
#   docker build --build-arg SOURCE_REVISION=$(git rev-parse HEAD) -t ghcr.io/spotalis/spotalis:0.1.0 .
#
# Multi-arch: docker buildx build --platform linux/amd64,linux/arm64 --build-arg SOURCE_REVISION=$(git rev-parse HEAD) \
#   -t <registry>/spotalis:0.1.0 --push .
# Why framework-dependent and not trimmed or NativeAOT: see docs/explanation/architecture.md ("The image").

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
ARG SOURCE_REVISION=unknown
WORKDIR /src

# Restore first, from the project files only, so that the package layer is cached across source changes.
COPY .editorconfig Directory.Build.props Directory.Packages.props ./
COPY src/Spotalis/Spotalis.csproj src/Spotalis/
COPY src/Spotalis.Core/Spotalis.Core.csproj src/Spotalis.Core/
COPY src/Spotalis.Operator/Spotalis.Operator.csproj src/Spotalis.Operator/
COPY src/Spotalis.Simulator/Spotalis.Simulator.csproj src/Spotalis.Simulator/
RUN dotnet restore src/Spotalis/Spotalis.csproj -a "$TARGETARCH"

COPY src/ src/
# .git is not in the build context: the commit comes from the SOURCE_REVISION build argument instead.
RUN dotnet publish src/Spotalis/Spotalis.csproj -c Release -a "$TARGETARCH" --no-restore --self-contained false \
      -p:DebugType=none -p:EnableSourceControlManagerQueries=false -p:SourceRevisionId="$SOURCE_REVISION" \
      -o /app

# ASP.NET Core runtime (Kestrel serves the webhook, metrics and health endpoints), no shell, no package manager.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app ./
# The chiseled images already default to this user; stating it keeps runAsNonRoot checks explicit.
USER 1654:1654
# webhook (HTTPS), metrics (/metrics), health (/healthz, /readyz)
EXPOSE 9443 8080 8081
ENTRYPOINT ["/app/spotalis"]
CMD ["run", "--config", "/etc/spotalis/config.yaml"]
