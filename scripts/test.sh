#!/usr/bin/env bash
# The whole test suite, as CI runs it: type check, lint, then every unit and integration test,
# with each database test on both PostgreSQL 15 and SQLite. Called through `npm test`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$repo_root"

export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"

postgres_reachable() {
  node -e '
    const { Client } = require("pg");
    const client = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    client.connect().then(() => client.end()).then(() => process.exit(0), () => process.exit(1));
  ' "$BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING"
}

ensure_postgres() {
  postgres_reachable && return 0
  if command -v pg_ctlcluster >/dev/null && [[ -d /etc/postgresql ]]; then
    local version
    version="$(ls /etc/postgresql | sort -n | tail -n 1)"
    log "PostgreSQL is down; starting cluster $version/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do
      postgres_reachable && return 0
      sleep 1
    done
  fi
  log "PostgreSQL is not reachable through BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING."
  log "The database tests run on PostgreSQL and SQLite and do not skip either; start PostgreSQL 15 and retry."
  exit 1
}

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
jest_status=0
step "Unit and integration tests" env CI=true backstage-cli repo test --json --outputFile="$results" || jest_status=$?
node scripts/test-summary.js "$results"
exit "$jest_status"
