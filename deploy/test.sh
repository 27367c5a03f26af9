#!/usr/bin/env bash
# README command two: on a fresh machine, install everything (Python deps, the Kafka jars,
# FerretDB), start the real servers on loopback, check style and types, run every test.
# Extra arguments go to pytest.
set -euo pipefail
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/uv.sh"
cd "$BOYIN_ROOT"
sync_workspace
bash deploy/kafka/kafka.sh start
bash deploy/ferretdb/ferretdb.sh start
uv run --frozen ruff format --check .
uv run --frozen ruff check .
uv run --frozen mypy
uv run --frozen lint-imports
uv run --frozen pytest "$@"
