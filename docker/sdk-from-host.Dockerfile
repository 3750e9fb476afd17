# A .NET SDK image made from the SDK installed on this machine, for building the images where Microsoft's registry
# is out of reach (scripts/images.sh). The build context is the SDK's directory:
#   podman build -f docker/sdk-from-host.Dockerfile --build-arg BASE_IMAGE=localhost/p2pshare-base:bookworm \
#     -t localhost/p2pshare-sdk "$(dirname "$(readlink -f "$(command -v dotnet)")")"
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
COPY . /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_ROOT=/usr/share/dotnet \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1 \
    DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
    NUGET_CERT_REVOCATION_MODE=offline
