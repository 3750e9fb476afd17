#!/usr/bin/env bash
# Self-contained single-file peer and tracker binaries for Linux x64 and macOS arm64 in bin/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bin
build() { # build PROJECT RID NAME
  local out="out/release/$3"
  dotnet publish "src/$1" -c Release -r "$2" --self-contained true -p:PublishSingleFile=true \
    -p:IncludeNativeLibrariesForSelfExtract=true -p:EnableCompressionInSingleFile=true -p:DebugType=none -o "$out" --nologo -v quiet
  local exe; exe=$(find "$out" -maxdepth 1 -type f \( -name peer -o -name tracker \) | head -1)
  cp "$exe" "bin/$3"
  echo "built bin/$3 ($(du -h "bin/$3" | cut -f1))"
}
build P2PShare.Peer linux-x64 peer-linux-amd64
build P2PShare.Peer osx-arm64 peer-darwin-arm64
build P2PShare.Tracker linux-x64 tracker-linux-amd64
build P2PShare.Tracker osx-arm64 tracker-darwin-arm64
