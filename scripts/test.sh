#!/usr/bin/env bash
# The whole test suite, as CI runs it: type check, lint, then every unit and integration test,
# with each database test on both PostgreSQL 15 and SQLite. Called through `npm test`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$repo_root"

source "$(dirname "${BASH_SOURCE[0]}")/postgres.sh"

step() {
  local name="$1"
  shift
  local started=$SECONDS
  log "$name"
  "$@"
  log "$name: done in $((SECONDS - started)) s"
}

ensure_postgres
results="$repo_root/test-results/jest.json"
mkdir -p "$(dirname "$results")"
rm -f "$results"

step "Type check (tsc)" tsc
step "Lint" backstage-cli repo lint
step "Software templates" node scripts/check-templates.js
jest_status=0
step "Unit and integration tests" env CI=true backstage-cli repo test --json --outputFile="$results" || jest_status=$?
node scripts/test-summary.js "$results"
exit "$jest_status"
