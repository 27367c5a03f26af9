# Sourced by the deploy scripts: make `uv` available (pinned, installed from PyPI if missing)
# and the workspace synced from the lockfile.
UV_VERSION="0.13.8"
BOYIN_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"
BOYIN_CACHE="${BOYIN_CACHE:-$BOYIN_ROOT/.cache}"

ensure_uv() {
	if command -v uv >/dev/null 2>&1 && [[ "$(uv --version | cut -d' ' -f2)" == "$UV_VERSION" ]]; then
		return
	fi
	local tools="$BOYIN_CACHE/tools"
	if [[ ! -x "$tools/bin/uv" ]]; then
		echo "installing uv $UV_VERSION into $tools" >&2
		python3 -m venv "$tools"
		"$tools/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"
	fi
	export PATH="$tools/bin:$PATH"
}

sync_workspace() {
	ensure_uv
	(cd "$BOYIN_ROOT" && uv sync --frozen --all-packages --quiet)
}
