#!/usr/bin/env bash
set -euo pipefail
echo "make demo: the end-to-end demo (tracker + two peers) is not yet available; try ./bin/peer manifest <file>."
