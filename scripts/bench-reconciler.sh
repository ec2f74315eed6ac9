#!/usr/bin/env bash
# The resource reconciler benchmark against PostgreSQL: `npm run bench:reconciler`. It creates a database of
# its own on the server (PAASPORT_BENCH_DATABASE, else the test server) and drops it afterwards.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$repo_root"
source scripts/postgres.sh
ensure_postgres
export PAASPORT_BENCH_DATABASE="${PAASPORT_BENCH_DATABASE:-$BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING}"
cd plugins/paas-backend
exec node --require @backstage/cli/config/nodeTransform.cjs bench/reconcilerBench.ts
