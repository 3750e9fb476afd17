# The tracker: coordinates peers and files over HTTP, /ws and /relay.
#   docker build -f docker/tracker.Dockerfile -t p2p-tracker .
#   docker run -p 8080:8080/tcp -p 8080-8081:8080-8081/udp -v tracker-data:/data p2p-tracker
# The tracker keeps its state in memory: run exactly one per network (see docs/deployment.md).
# SDK_IMAGE and BASE_IMAGE can be replaced by local images where Microsoft's registry is out of reach.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0

FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/P2PShare.Core/P2PShare.Core.csproj src/P2PShare.Core/
COPY src/P2PShare.Tracker/P2PShare.Tracker.csproj src/P2PShare.Tracker/
RUN dotnet restore --disable-build-servers src/P2PShare.Tracker --use-current-runtime -p:PublishReadyToRun=true -p:SelfContained=true
COPY src/P2PShare.Core/ src/P2PShare.Core/
COPY src/P2PShare.Tracker/ src/P2PShare.Tracker/
# Self-contained, so the runtime image needs only the native libraries of runtime-deps; ReadyToRun for a fast start.
RUN dotnet publish --disable-build-servers src/P2PShare.Tracker -c Release --no-restore --use-current-runtime --self-contained true \
      -p:PublishReadyToRun=true --nologo -o /app

FROM ${BASE_IMAGE}
COPY --from=build /app /app
COPY docker/healthcheck.sh /usr/local/bin/healthcheck
# UID 1654 is the "app" user of Microsoft's images; a number works in any base image and satisfies runAsNonRoot.
RUN mkdir -p /data && chown 1654:1654 /data && chmod 0700 /data
ENV TRACKER_ADDR=:8080 \
    TRACKER_KEY_FILE=/data/tracker.key \
    TMPDIR=/tmp \
    DOTNET_EnableDiagnostics=0
# The HTTP port, the same number over UDP for the hole-punch rendezvous, and the next number over UDP: the second
# rendezvous port, from which a peer learns whether its NAT maps endpoint-independently.
EXPOSE 8080/tcp 8080/udp 8081/udp
VOLUME /data
WORKDIR /data
USER 1654:1654
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/bin/bash", "-c", "if [ -n \"${TLS_CERT:-}\" ]; then exec healthcheck tcp \"${TRACKER_ADDR##*:}\"; else exec healthcheck http \"${TRACKER_ADDR##*:}\" /health; fi"]
ENTRYPOINT ["/app/tracker"]
