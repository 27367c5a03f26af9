#!/usr/bin/env bash
# README command one: the whole platform in one process on the embedded defaults
# (in-process bus, SQLite files in ./data). Options: --demo, --data DIR, --port N.
set -euo pipefail
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/uv.sh"
sync_workspace
cd "$BOYIN_ROOT"
exec uv run --frozen python -m boyin_platform "$@"
