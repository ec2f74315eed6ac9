#!/usr/bin/env bash
# Entry point of the npm scripts: `run.sh start`, `run.sh test`, or `run.sh exec <command...>`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$repo_root"

ensure_node
ensure_dependencies

case "${1:-}" in
  start)
    mkdir -p data
    exec backstage-cli repo start
    ;;
  test)
    exec bash scripts/test.sh
    ;;
  exec)
    shift
    exec "$@"
    ;;
  *)
    log "usage: run.sh start | test | exec <command...>"
    exit 2
    ;;
esac
