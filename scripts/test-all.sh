#!/usr/bin/env bash
# The whole suite, in the order a failure is cheapest to find: format, lint, unused code, types, build,
# package + verification scan, then unit and engine tests, real-n8n e2e tests, queue mode.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
step() { printf '\n\033[1m› %s\033[0m\n' "$*"; }
# Every jest run goes through scripts/run-jest.sh: one that has not exited a minute after writing
# its results, leaves a process behind, or still runs at this deadline is killed and fails, naming
# what was left. CI allows 90 minutes, installs included; a quiet run here takes about 13.
export ESIGN_TESTS_DEADLINE="${ESIGN_TESTS_DEADLINE:-$(($(date +%s) + 75 * 60))}"

# The embedded-signing browser test needs Debian's Chromium. CI machines (root, CI=true) install it;
# elsewhere the test fails with the install command rather than skipping in silence.
if ! command -v chromium >/dev/null 2>&1 && [ "${CI:-}" = "true" ] && [ "$(id -u)" = "0" ]; then
	step "installing Debian's chromium for the browser test (CI only)"
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "chromium could not be installed" >&2
fi

step "format (prettier --check)"
npx prettier --check . >/dev/null
step "lint (n8n community-node rules)"
npx n8n-node lint
step "unused files, exports and dependencies (knip, knip.jsonc)"
npx knip --no-progress
step "typecheck (sources and tests)"
npm run --silent typecheck
step "build"
npm run --silent build >/dev/null
step "package: tarball contents + verification scanner on sources and tarball"
export ESIGN_TARBALL="$(node scripts/check-package.mjs | tail -1)"
step "package: n8n's newer community-node rules on the build (scripts/check-rules.mjs)"
node scripts/check-rules.mjs
n8n_version="$(node scripts/lib/n8n-install.mjs version)"
oldest="$(node scripts/lib/n8n-install.mjs oldest)"
status=0
if [ $# -gt 0 ]; then
	# Arguments select tests (e.g. a file): one jest run on n8n $n8n_version.
	step "tests: $* (e2e on n8n $n8n_version)"
	bash scripts/run-jest.sh .ci/out/jest-selected.json "$@" || status=$?
	exit $status
fi
step "tests: unit, engine (n8n-core WorkflowExecute)"
bash scripts/run-jest.sh .ci/out/jest.json --selectProjects unit engine || status=$?
[ -f .ci/out/jest.json ] && node -e '
const r = require("./.ci/out/jest.json");
const failed = r.numFailedTests + r.testResults.filter((s) => s.status === "failed" && !s.assertionResults.length).length;
console.log(`\ntests: ${r.numPassedTests} passed, ${failed} failed`);
'
# The e2e suite on the pinned n8n, then on the oldest supported line (README → Compatibility).
for version in "$n8n_version" "$oldest"; do
	step "tests: e2e in a real n8n $version"
	N8N_VERSION="$version" node scripts/compat.mjs run || status=$?
done
# n8n's SSRF protection on (as users harden n8n; 3.0 widens its default block list), the sandbox's
# loopback address allowed (scripts/lib/n8n.mjs): the vendor and example files, and the SSRF checks.
step "tests: e2e with n8n's SSRF protection on, in a real n8n $n8n_version"
N8N_VERSION="$n8n_version" N8N_SSRF_PROTECTION_ENABLED=true \
	bash scripts/run-jest.sh .ci/out/jest-ssrf.json test/e2e/ssrf test/e2e/dokobit test/e2e/okdokument \
	test/e2e/documentolog test/e2e/examples --selectProjects e2e || status=$?
# n8n's queue mode on the pinned n8n: Redis and PostgreSQL from Debian (installed when missing, as
# root), main + two webhook processes behind a round-robin balancer + two workers. Trigger dedupe
# across processes and restarts, triggers under load, a manual run on a worker, send and wait.
step "tests: queue mode in a real n8n $n8n_version"
node test/queue/run-queue.mjs || status=$?
step "compatibility"
node scripts/compat.mjs table
exit $status
