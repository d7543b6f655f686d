#!/usr/bin/env bash
# Makes a fresh clone runnable, and does nothing that is already done (a second run takes seconds):
#   1. Debian packages the tests need (--test), installed with apt-get when running as root;
#   2. npm packages from package-lock.json, including Node 24 itself (the `node` package), which npm
#      scripts then run on instead of the system's Node;
#   3. the browser client, built with Vite into dist/client when its sources changed;
#   4. a mediasoup worker binary: mediasoup's own prebuilt download where GitHub is reachable, otherwise
#      a build from the sources inside the mediasoup package against Debian libraries
#      (scripts/worker/build.sh), cached outside the repo and linked where mediasoup looks for it.
# Usage: bash scripts/setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

with_test=0
[[ "${1:-}" == "--test" ]] && with_test=1

# --- 1. Debian packages -------------------------------------------------------------------------------
# The recorder (programme mix, recording, live output) runs Debian's ffmpeg and draws its texts in DejaVu.
apt_packages=(ffmpeg fonts-dejavu-core)
if ((with_test)); then apt_packages+=(chromium firefox-esr iproute2 gcc libc6-dev coturn xvfb nginx-light libnginx-mod-rtmp redis-server); fi
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    die "missing Debian packages; run: sudo apt-get install -y ${missing[*]}"
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # No service starts at install (nginx would take port 80; the RTMP and cascade tests start their own nginx and
  # redis-server): policy-rc.d says no.
  policy=/usr/sbin/policy-rc.d
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -qq "${missing[@]}" >&2 || { apt-get update -qq >&2 && apt-get install -y -qq "${missing[@]}" >&2; }
fi

# --- 2. npm packages ----------------------------------------------------------------------------------
ms_version=$(node -p "require('./package-lock.json').packages['node_modules/mediasoup'].version")
cache_dir="${DIEMCAU_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/diemcau}"
stamp=node_modules/.diemcau-setup
lock_hash=$(sha256sum package-lock.json | cut -c1-16)

# True when mediasoup's own postinstall could download its prebuilt worker for this machine.
prebuilt_reachable() {
  local kernel url
  kernel=$(uname -r | cut -d. -f1)
  url="https://github.com/versatica/mediasoup/releases/download/${ms_version}/mediasoup-worker-${ms_version}-linux-$(node -p process.arch)-kernel${kernel}.tgz"
  node -e "fetch(process.argv[1], { method: 'HEAD', signal: AbortSignal.timeout(8000) })
    .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "$url"
}

if [[ ! -f $stamp || "$(cat "$stamp")" != "$lock_hash" ]]; then
  log "installing npm packages (npm ci)"
  if [[ -n "${MEDIASOUP_WORKER_BIN:-}" ]]; then
    log "using MEDIASOUP_WORKER_BIN=${MEDIASOUP_WORKER_BIN}"
    npm ci --no-audit --no-fund --loglevel=error >&2
  elif [[ "${DIEMCAU_WORKER_BUILD:-}" != "1" ]] &&
    ! compgen -G "$cache_dir/mediasoup-worker/${ms_version}-*/mediasoup-worker" >/dev/null &&
    prebuilt_reachable; then
    # The ordinary path: mediasoup's postinstall downloads its prebuilt worker.
    npm ci --no-audit --no-fund --loglevel=error >&2
  else
    log "no prebuilt worker download (offline, forced, or already built here): the worker is built below"
    # Any value makes mediasoup's postinstall skip its download-or-build step.
    MEDIASOUP_WORKER_BIN=skip npm ci --no-audit --no-fund --loglevel=error >&2
  fi
  echo "$lock_hash" >"$stamp"
fi

node_bin=node_modules/.bin/node
[[ -x $node_bin ]] || die "node_modules/.bin/node is missing: the 'node' npm package did not install"
log "Node for npm scripts: $($node_bin --version) (node_modules/.bin/node)"

# --- 3. browser client ---------------------------------------------------------------------------------
# Rebuilt when any file under client/ (or the lock file) is newer than the last build.
client_stamp=dist/client/.built
if [[ -f client/vite.config.ts ]] &&
  { [[ ! -f $client_stamp ]] || [[ -n "$(find client package-lock.json -newer "$client_stamp" -type f -print -quit)" ]]; }; then
  log "building the browser client (vite)"
  node_modules/.bin/vite build --config client/vite.config.ts --logLevel warn >&2
  touch "$client_stamp"
fi

# --- 4. mediasoup worker -------------------------------------------------------------------------------
# A valid worker exits with status 41 when started without MEDIASOUP_VERSION (mediasoup's own check).
worker_ok() { local status=0; env -i "$1" >/dev/null 2>&1 || status=$?; [[ $status -eq 41 ]]; }

if [[ -z "${MEDIASOUP_WORKER_BIN:-}" ]]; then
  target=node_modules/mediasoup/worker/out/Release/mediasoup-worker
  if ! { [[ -x $target ]] && worker_ok "$target"; }; then
    bin=$(bash scripts/worker/build.sh node_modules/mediasoup)
    mkdir -p "$(dirname "$target")"
    ln -sfn "$bin" "$target"
  fi
  worker_ok "$target" || die "the mediasoup worker at $target does not run on this machine"
  log "mediasoup worker: $(readlink -f "$target")"
fi
