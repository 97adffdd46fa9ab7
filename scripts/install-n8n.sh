#!/usr/bin/env bash
# Installs the pinned n8n into .cache/n8n-<version> once; later runs reuse it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
N8N_VERSION="${N8N_VERSION:-2.41.1}"
DIR="$ESIGN_CACHE/n8n-$N8N_VERSION"
if [ -f "$DIR/.installed" ]; then
	echo "$DIR"
	exit 0
fi
echo "› installing n8n@$N8N_VERSION into ${DIR#$ESIGN_ROOT/} (one time, ~5 min)" >&2
rm -rf "$DIR" && mkdir -p "$DIR"
cd "$DIR"
echo '{"name":"n8n-runtime","private":true}' > package.json
# --ignore-scripts: many install scripts fetch binaries from GitHub (unreachable here); only the
# two native modules n8n really needs are rebuilt, against Node 24's headers.
npm install --no-audit --no-fund --ignore-scripts "n8n@$N8N_VERSION" >&2
npm rebuild sqlite3 isolated-vm >&2
touch .installed
echo "$DIR"
