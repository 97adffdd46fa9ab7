#!/usr/bin/env bash
# Installs the n8n that N8N_VERSION names (default: the pin in scripts/lib/n8n-install.mjs) into
# .cache/n8n-<version> once, built for the Node major its engines ask for; prints the folder.
# Later runs reuse it. Progress goes to stderr, npm's output to .cache/n8n-<version>/install.log.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
exec node "$ESIGN_ROOT/scripts/lib/n8n-install.mjs" install
