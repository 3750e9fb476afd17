# A peer node in daemon mode: shares everything in /data and serves other peers on PEER_PORT.
#   docker build -f docker/peer.Dockerfile -t p2p-peer .
#   docker run -p 6881:6881/tcp -p 6881:6881/udp -v peer-data:/data -e TRACKER_URL=http://tracker:8080 p2p-peer
# The one-shot verbs run in the same image: docker exec CONTAINER /app/peer status (or list, download HASH, ...).
# SDK_IMAGE and BASE_IMAGE can be replaced by local images where Microsoft's registry is out of reach.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0

FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/P2PShare.Core/P2PShare.Core.csproj src/P2PShare.Core/
COPY src/P2PShare.Net/P2PShare.Net.csproj src/P2PShare.Net/
COPY src/P2PShare.Peer/P2PShare.Peer.csproj src/P2PShare.Peer/
RUN dotnet restore --disable-build-servers src/P2PShare.Peer --use-current-runtime -p:PublishReadyToRun=true -p:SelfContained=true
COPY src/P2PShare.Core/ src/P2PShare.Core/
COPY src/P2PShare.Net/ src/P2PShare.Net/
COPY src/P2PShare.Peer/ src/P2PShare.Peer/
# The same build as `make build`: one self-contained composite ReadyToRun image, tiered re-compilation off.
RUN dotnet publish --disable-build-servers src/P2PShare.Peer -c Release --no-restore --use-current-runtime --self-contained true \
      -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -p:TieredCompilation=false --nologo -o /app

FROM ${BASE_IMAGE}
COPY --from=build /app /app
COPY docker/healthcheck.sh /usr/local/bin/healthcheck
# UID 1654 is the "app" user of Microsoft's images; a number works in any base image and satisfies runAsNonRoot.
RUN mkdir -p /data && chown 1654:1654 /data && chmod 0700 /data
ENV PEER_PORT=6881 \
    DATA_DIR=/data \
    TRACKER_URL=http://tracker:8080 \
    DAEMON=1 \
    BANDWIDTH_LIMIT=0 \
    TMPDIR=/tmp \
    DOTNET_EnableDiagnostics=0
# Peers connect over TCP; the UDP port is the hole-punch path on the same number.
EXPOSE 6881/tcp 6881/udp
VOLUME /data
WORKDIR /data
USER 1654:1654
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/bin/bash", "-c", "exec healthcheck tcp \"${PEER_PORT}\""]
ENTRYPOINT ["/app/peer"]
