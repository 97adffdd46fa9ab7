#!/usr/bin/env bash
# One jest run that cannot hang the suite (scripts/test-all.sh, scripts/compat.mjs):
#   bash scripts/run-jest.sh <results.json> [jest arguments…]
# Jest runs in a session of its own, with ESIGN_JEST_RUN=<id> in its environment, which every
# process it starts inherits, also those that leave its process group (Chromium, n8n). When jest
# has not exited ESIGN_JEST_EXIT_GRACE seconds (default 60) after writing its results, or runs past
# ESIGN_JEST_LIMIT seconds (default 1800; less when ESIGN_TESTS_DEADLINE, a Unix time, is nearer),
# it is killed with all it started. Whatever is left once jest is gone is named and killed, and the
# run fails: a test must never leave a process behind.
# Exit status: jest's, or 1 when it had to be killed or left processes behind.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
results="$1"
shift
grace="${ESIGN_JEST_EXIT_GRACE:-60}"
limit="${ESIGN_JEST_LIMIT:-1800}"
if [ -n "${ESIGN_TESTS_DEADLINE:-}" ]; then
	left=$((ESIGN_TESTS_DEADLINE - $(date +%s)))
	((left < limit)) && limit=$((left > 60 ? left : 60))
fi
run="$$-$(date +%s%N)"
mkdir -p "$(dirname "$results")"
rm -f "$results"

# The processes of this run: those with its variable, and every member of jest's session and of
# the sessions they lead (Chromium's zygote and renderers do not carry the variable).
leftovers() {
	local tagged
	tagged="$(grep -lsxzF "ESIGN_JEST_RUN=$run" /proc/[0-9]*/environ | cut -d/ -f3 | paste -sd' ')"
	# Zombies (state Z) are gone already, only not yet reaped by whoever inherited them.
	ps -eo pid=,sid=,stat= | awk -v sessions="$jest $tagged" -v self="$$" '
		BEGIN { n = split(sessions, s, " "); for (i = 1; i <= n; i++) lead[s[i]] = 1 }
		($1 in lead || $2 in lead) && $1 != self && $3 !~ /^Z/ { print $1 }'
}
name() {
	local pids
	pids="$(leftovers | paste -sd,)"
	[ -n "$pids" ] && ps -o pid=,etime=,args= -p "$pids" | cut -c1-240 | sed 's/^/    /' >&2
}
kill_all() {
	local pids
	kill -KILL -- "-$jest" 2>/dev/null
	pids="$(leftovers)"
	# shellcheck disable=SC2086 # one pid per word
	[ -n "$pids" ] && kill -KILL $pids 2>/dev/null
	return 0
}

# Polls (0.2 s) until jest has exited or $1 seconds passed.
exited_within() {
	local end=$((SECONDS + $1))
	while kill -0 "$jest" 2>/dev/null; do
		((SECONDS >= end)) && return 1
		sleep 0.2
	done
}
interrupted() {
	echo "run-jest: interrupted; stopping jest and all it started" >&2
	kill -INT -- "-$jest" 2>/dev/null
	exited_within 10
	kill_all
	exit 130
}

ESIGN_JEST_RUN="$run" setsid --wait node_modules/.bin/jest "$@" --json --outputFile="$results" &
jest=$!
# Jest is in its own session, out of reach of the terminal's Ctrl-C: pass it on, then make sure.
trap interrupted INT TERM HUP

verdict=""
started=$SECONDS
written=""
while kill -0 "$jest" 2>/dev/null; do
	if [ -z "$written" ] && [ -s "$results" ]; then written=$SECONDS; fi
	if [ -n "$written" ] && ((SECONDS - written > grace)); then
		verdict="jest had not exited ${grace}s after writing its results ($results)"
		break
	fi
	if ((SECONDS - started > limit)); then
		verdict="jest ran past its limit of ${limit}s"
		break
	fi
	sleep 1
done

if [ -n "$verdict" ]; then
	echo "✗ run-jest: $verdict; what it left running:" >&2
	name
	kill_all
	wait "$jest" 2>/dev/null
	status=1
else
	wait "$jest"
	status=$?
fi

# A moment for what is already on its way out (a sandbox whose stdin closed, Chromium's crash
# handler after Chromium), then whatever remains is a leak.
for _ in $(seq 50); do
	[ -z "$(leftovers)" ] && break
	sleep 0.2
done
if [ -n "$(leftovers)" ]; then
	echo "✗ run-jest: jest exited but left these processes behind (now killed):" >&2
	name
	kill_all
	status=1
fi
exit $status
