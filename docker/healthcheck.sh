#!/bin/bash
# Container health check without curl or wget (Microsoft's runtime-deps image has neither): bash's /dev/tcp.
#   healthcheck.sh http PORT PATH   GET http://127.0.0.1:PORT/PATH and require status 200
#   healthcheck.sh tcp PORT         require that something accepts TCP connections on 127.0.0.1:PORT
# A tracker serving HTTPS (TLS_CERT and TLS_KEY set) is checked with tcp: bash cannot speak TLS.
set -u
mode=${1:?mode} port=${2:?port} path=${3:-/health}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
[ "$mode" = tcp ] && exit 0
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS=' ' read -r -t 5 _ status _ <&3 || exit 1
[ "$status" = 200 ]
