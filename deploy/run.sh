#!/usr/bin/env bash
# README command one: the whole platform in one process on the embedded defaults
# (in-process bus, SQLite files in ./data), with the web portal at / (built first when its
# build is missing or stale). Options: --demo, --data DIR, --port N.
set -euo pipefail
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/uv.sh"
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/portal.sh"
sync_workspace
build_portal
cd "$BOYIN_ROOT"
exec uv run --frozen python -m boyin_platform "$@"
