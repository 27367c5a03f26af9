# Sourced by the deploy scripts: build the web portal (gateway/portal, Vite) when its build
# is missing or older than what it is built from; `npm ci` when the lockfile changed.
# Needs Node.js 20+ and npm (the npm registry for the first install).
PORTAL_DIR="$BOYIN_ROOT/gateway/portal"

build_portal() {
	if ! command -v npm >/dev/null 2>&1; then
		echo "The web portal needs Node.js 20+ and npm (e.g. apt-get install -y nodejs npm)" >&2
		return 1
	fi
	local built="$PORTAL_DIR/dist/index.html"
	local installed="$PORTAL_DIR/node_modules/.package-lock.json"
	if [[ ! -f "$installed" || "$PORTAL_DIR/package-lock.json" -nt "$installed" ]]; then
		echo "installing the portal's packages (npm ci)" >&2
		(cd "$PORTAL_DIR" && npm ci --no-audit --no-fund --loglevel=error)
	fi
	if [[ -f "$built" ]] && [[ -z "$(find "$PORTAL_DIR/src" "$PORTAL_DIR/public" "$PORTAL_DIR/index.html" \
		"$PORTAL_DIR/package-lock.json" "$PORTAL_DIR/vite.config.ts" "$PORTAL_DIR/codegen.ts" \
		"$PORTAL_DIR/tsconfig.json" "$BOYIN_ROOT/gateway/schema.graphql" \
		-newer "$built" -not -path "$PORTAL_DIR/src/gql/*" -print -quit)" ]]; then
		return 0
	fi
	echo "building the portal (npm run build)" >&2
	(cd "$PORTAL_DIR" && npm run --silent build >/dev/null) || {
		echo "the portal's build failed: run \`npm run build\` in gateway/portal to see why" >&2
		return 1
	}
}
