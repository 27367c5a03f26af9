#!/usr/bin/env bash
# Production-like, on this machine: Kafka and FerretDB started by the project's scripts,
# then every service and the gateway as its own OS process (matching as two workers of
# one consumer group). Ctrl-C stops the processes; the servers keep running
# (deploy/kafka/kafka.sh stop, deploy/ferretdb/ferretdb.sh stop).
set -euo pipefail
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/uv.sh"
cd "$BOYIN_ROOT"
sync_workspace
bash deploy/kafka/kafka.sh start
bash deploy/ferretdb/ferretdb.sh start
exec uv run --frozen python -m boyin_platform.local "$@"
