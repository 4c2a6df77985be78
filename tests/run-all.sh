#!/usr/bin/env bash
# The README's test command (`npm test`): type-check, build, run every suite, print one closing
# line `N passed, N failed` that sums them. Exit code is non-zero if anything failed.
set -u
cd "$(dirname "$0")/.."
summary=$(mktemp)
failures=$(mktemp)
export TEST_SUMMARY_FILE="$summary" TEST_FAILURES_FILE="$failures"
status=0
step() { # name, command...: a step that is not a test suite counts as one test
    local name=$1; shift
    echo "== $name"
    if "$@"; then echo "1 0 0" >>"$summary"; else echo "!! $name failed"; echo "0 1 0" >>"$summary"; echo "✖ step: $name" >>"$failures"; status=1; fi
}

step "type-check (tsc --noEmit)" npm run --silent typecheck
step "build the bridge (tsc)" npm run --silent build:bridge

echo "== bridge, stand-in and integration tests (jest)"
npx jest --config jest.bridge.config.js --ci || status=1

echo "== app tests (d2-app-scripts test)"
CI=true npx d2-app-scripts test || status=1

if [ -d tests/e2e ] && ls tests/e2e/*.test.mjs >/dev/null 2>&1; then
    echo "== browser tests (headless Chromium)"
    if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
        step "build the app (d2-app-scripts build)" npx d2-app-scripts build
        node tests/e2e/run.mjs || status=1
    else
        echo "!! Chromium not found at ${CHROMIUM_PATH:-/usr/bin/chromium}: apt-get install -y chromium"
        echo "0 1 0" >>"$summary"; status=1
    fi
fi

read -r passed failed skipped < <(awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}' "$summary")
rm -f "$summary"
# What failed, repeated at the end: a CI log is often read from its tail.
if [ -s "$failures" ]; then echo; echo "failed:"; cat "$failures"; fi
rm -f "$failures"
echo
echo "($skipped skipped)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
