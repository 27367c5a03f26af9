#!/usr/bin/env bash
# README command two: on a fresh machine, install everything (Python deps, the Kafka jars,
# FerretDB, the portal's packages and Debian's Chromium for its browser tests), build the
# portal, start the real servers on loopback, check style and types, run every test.
# Extra arguments go to pytest.
set -euo pipefail
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/uv.sh"
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/portal.sh"
cd "$BOYIN_ROOT"
sync_workspace
if [[ ! -x /usr/bin/chromium || ! -d /usr/share/fonts/opentype/noto ]]; then
	# the portal's browser tests drive Debian's Chromium (Playwright downloads no browser);
	# the Noto CJK fonts draw the Chinese of the screenshots
	as_root=()
	[[ "$(id -u)" == 0 ]] || as_root=(sudo)
	"${as_root[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
build_portal
bash deploy/kafka/kafka.sh start
bash deploy/ferretdb/ferretdb.sh start
uv run --frozen ruff format --check .
uv run --frozen ruff check .
uv run --frozen mypy
uv run --frozen lint-imports
uv run --frozen pytest "$@"
