# Sourced by the test and benchmark scripts: the PostgreSQL 15 server they use, started with
# pg_ctlcluster when it is down. Needs toolchain.sh sourced first (log, node on PATH).

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
  log "The database tests and benchmarks need PostgreSQL 15; start it and retry."
  exit 1
}

