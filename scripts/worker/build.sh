#!/usr/bin/env bash
# Builds mediasoup's C++ worker (mediasoup-worker) from the sources inside an installed
# mediasoup npm package, on a Debian bookworm machine that reaches only the npm registry and
# Debian's apt mirror, and caches the binary outside the repo.
#
#   bash scripts/worker/build.sh <dir-of-installed-mediasoup-package>
#
# Prints only the absolute path of the binary on stdout (all progress goes to stderr), so a
# caller can do: MEDIASOUP_WORKER_BIN="$(bash scripts/worker/build.sh node_modules/mediasoup)".
#
# Why this exists: mediasoup's own install downloads a prebuilt worker from GitHub and, failing
# that, builds with tasks.py, whose meson subprojects download libuv, OpenSSL, libsrtp3,
# flatbuffers, abseil and unordered_dense from GitHub/wrapdb/openssl.org. None of that is
# reachable here. So this script builds a temporary copy of <dir>/worker with each of those
# subprojects replaced by a folder from scripts/worker/subprojects/ backed by Debian packages
# (plus a libsrtp3 API layer over libsrtp2 and an unordered_dense stand-in), using Debian's
# meson and ninja with the meson options tasks.py uses for a Release build.
#
# Environment:
#   MEDIASOUP_BUILTIN_BWE=1   build with -Dms_use_builtin_bwe=true (default false, as upstream;
#                             false needs libabsl-dev for deps/libwebrtc).
#   DIEMCAU_CACHE_DIR         cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/diemcau).
#
# Cache: <root>/mediasoup-worker/<version>-<key>/mediasoup-worker, where <key> hashes the meson
# options and every file under scripts/worker/, so editing the compat layer forces a rebuild.
# A cached binary is trusted only if `env -i <bin>` exits 41 (main.cpp's "no
# MEDIASOUP_VERSION" exit), which also proves its shared libraries still load.
set -euo pipefail

log() { printf '[mediasoup-worker] %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

[ "$#" -eq 1 ] || die "usage: bash scripts/worker/build.sh <dir-of-installed-mediasoup-package>"
[ -f "$1/package.json" ] && [ -d "$1/worker" ] ||
  die "'$1' is not a mediasoup package (expected package.json and worker/ in it)"

pkg_dir="$(cd "$1" && pwd -P)"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"

# --- What to build -----------------------------------------------------------------------------

# The version names the cache entry; read it with the same parser npm uses.
version="$(node -p 'require(process.argv[1]).version' "$pkg_dir/package.json")" ||
  die "cannot read the version from $pkg_dir/package.json"
[[ "$version" =~ ^[0-9A-Za-z.+-]+$ ]] || die "unexpected mediasoup version '$version'"

case "${MEDIASOUP_BUILTIN_BWE:-}" in
  1 | true) builtin_bwe=true ;;
  '' | 0 | false) builtin_bwe=false ;;
  *) die "MEDIASOUP_BUILTIN_BWE must be 1 or 0 (got '${MEDIASOUP_BUILTIN_BWE}')" ;;
esac

# The meson options tasks.py passes for MEDIASOUP_BUILDTYPE=Release: release build type,
# NDEBUG, and every option of meson_options.txt at its default value, except the one this
# script sets (meson rejects an option given twice).
meson_args=(--buildtype release -Db_ndebug=true)
while IFS= read -r default_option; do
  [[ "$default_option" == ms_use_builtin_bwe=* ]] || meson_args+=("-D$default_option")
done < <(sed -n "s/^[[:space:]]*option('\([^']*\)'.*value:[[:space:]]*'\{0,1\}\([^,)']*\)'\{0,1\}.*/\1=\2/p" \
  "$pkg_dir/worker/meson_options.txt")
meson_args+=("-Dms_use_builtin_bwe=$builtin_bwe")

# Cache key: the meson options plus the name and content of every file of scripts/worker/.
key="$(
  {
    printf '%s\n' "${meson_args[@]}"
    cd "$script_dir" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-16
)"

cache_root="${DIEMCAU_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/diemcau}/mediasoup-worker"
out_dir="$cache_root/$version-$key"
bin="$out_dir/mediasoup-worker"

# A usable worker exits 41 when started without MEDIASOUP_VERSION (see worker/src/main.cpp).
# Any other status (127: a shared library is gone; a crash; a truncated file) means rebuild.
is_valid_worker() {
  local status=0
  [ -f "$1" ] && [ -x "$1" ] || return 1
  timeout 10 env -i "$1" </dev/null >/dev/null 2>&1 || status=$?
  [ "$status" -eq 41 ]
}

# --- Fast path: already built ------------------------------------------------------------------

if is_valid_worker "$bin"; then
  printf '%s\n' "$bin"
  exit 0
fi

# --- One build per cache entry at a time -------------------------------------------------------

mkdir -p "$cache_root"
# Two setups running at once (or a re-run while a build goes on) wait here for each other
# instead of building twice; the lock is released when this process exits, however it exits.
exec 9>"$cache_root/.lock-$version-$key"
if ! flock -n 9; then
  log "another build of mediasoup-worker $version ($key) is running; waiting for it"
  flock 9
fi
if is_valid_worker "$bin"; then
  printf '%s\n' "$bin"
  exit 0
fi
if [ -e "$bin" ]; then
  log "cached $bin does not run correctly; rebuilding it"
  rm -f "$bin"
fi

# --- Debian packages ---------------------------------------------------------------------------

# Toolchain, plus the -dev packages that back scripts/worker/subprojects/*.
packages=(g++ pkg-config meson ninja-build python3 libuv1-dev libssl-dev libsrtp2-dev
  libflatbuffers-dev flatbuffers-compiler)
# abseil is only needed by deps/libwebrtc, which is built when the built-in BWE is off.
[ "$builtin_bwe" = true ] || packages+=(libabsl-dev)

missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    die "missing Debian packages; install them with: sudo apt-get install -y ${missing[*]}"
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The package lists may be absent or stale (fresh machine): refresh them only then.
  # Wait (rather than fail) if another apt/dpkg run holds the lock, e.g. a parallel setup step.
  apt_install=(apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}")
  if ! "${apt_install[@]}" >&2; then
    log "apt-get install failed; running apt-get update and retrying"
    apt-get -o DPkg::Lock::Timeout=300 update >&2
    "${apt_install[@]}" >&2 ||
      die "could not install: ${missing[*]}"
  fi
fi

# --- Build in a scratch copy -------------------------------------------------------------------

# The scratch directory lives next to the cache entry (same filesystem, so the final mv is an
# atomic rename). Leftovers of an interrupted build of this same entry are removed first; the
# lock above guarantees none of them is in use.
rm -rf "$cache_root/.build-$version-$key-"*
work="$(mktemp -d "$cache_root/.build-$version-$key-XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Long steps run as a child this shell waits for: bash runs a signal trap only between
# commands, so `wait` (unlike a foreground command) lets an INT/TERM sent to this script stop
# the build at once. The trap passes the signal on (ninja then stops its compilers), waits for
# the child to end, and exits, which removes the scratch directory.
child=
run() {
  local status=0
  "$@" >&2 &
  child=$!
  wait "$child" || status=$?
  child=
  return "$status"
}
on_signal() {
  trap - INT TERM
  if [ -n "$child" ]; then
    kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  exit "$1"
}
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

log "building mediasoup-worker $version (ms_use_builtin_bwe=$builtin_bwe) in $work"
started=$SECONDS

# Copy the worker sources; never touch the installed package. worker/out (from an earlier npm
# build attempt) is skipped: it can be large and is not a source.
tar -C "$pkg_dir" --exclude=worker/out -cf - worker | tar -C "$work" -xf -
chmod -R u+w "$work/worker"
src="$work/worker"

# Put our subproject folders where meson looks before downloading: the "directory" named in
# each subprojects/<name>.wrap. Reading it from the wrap keeps this working when mediasoup bumps
# a dependency's version (which renames that directory).
for folder in "$script_dir"/subprojects/*/; do
  name="$(basename "$folder")"
  wrap="$src/subprojects/$name.wrap"
  [ -f "$wrap" ] || die "mediasoup $version has no subprojects/$name.wrap; scripts/worker/subprojects/$name needs updating"
  directory="$(sed -n 's/^directory[[:space:]]*=[[:space:]]*//p' "$wrap" | tr -d '[:space:]')"
  [ -n "$directory" ] || die "no 'directory =' in $wrap"
  rm -rf "${src:?}/subprojects/$directory"
  cp -R "$folder" "$src/subprojects/$directory"
done

# Replace exactly one occurrence of $2 by $3 in file $1; fail loudly if $2 is not there exactly
# once (mediasoup changed that code, so the edit must be re-checked by a person).
occurrences() { # <file> <literal text>
  TEXT="$2" perl -0ne '$n += () = /\Q$ENV{TEXT}\E/g; END { print $n + 0 }' "$1"
}
replace_once() {
  local file="$1" old="$2" new="$3" count
  count="$(occurrences "$file" "$old")"
  [ "$count" -eq 1 ] ||
    die "expected '$old' exactly once in ${file#"$src"/}, found $count; mediasoup $version changed this code, re-check the fix in scripts/worker/build.sh"
  OLD="$old" NEW="$new" perl -0pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/' "$file"
  [ "$(occurrences "$file" "$new")" -eq 1 ] || die "could not patch ${file#"$src"/}"
}

# DTLS fix. In onSslBioOut(), mediasoup compares `operationType == BIO_CB_RETURN`, but OpenSSL
# calls back after an operation with BIO_CB_RETURN | <operation>, so the comparison is never
# true and the callback returns 1 for every BIO query. With Debian's libssl (built with kernel
# TLS) OpenSSL then believes kTLS is active, skips its write buffer, and the worker dies with
# SIGSEGV on the first DTLS handshake. Testing the bit is what the code means. (The prebuilt
# worker bundles an OpenSSL without kTLS, which hides the bug upstream.)
replace_once "$src/src/RTC/DtlsTransport.cpp" \
  '(operationType == BIO_CB_RETURN)' '((operationType & BIO_CB_RETURN) != 0)'

# Debian's meson and ninja, by full path: the ones the package check above vouches for, whatever
# else may be on PATH.
meson=/usr/bin/meson
ninja=/usr/bin/ninja

# mediasoup asks for meson >= 1.1.0; bookworm ships 1.0.1, which builds this tree fine. Lower
# the floor to the meson in use rather than install another meson.
meson_version="$("$meson" --version)"
required="$(sed -n "s/^[[:space:]]*meson_version:[[:space:]]*'\([^']*\)'.*/\1/p" "$src/meson.build")"
if [ -n "$required" ] && [ "$required" != ">= $meson_version" ]; then
  log "meson.build wants meson $required; building with Debian's meson $meson_version"
  replace_once "$src/meson.build" "meson_version: '$required'" "meson_version: '>= $meson_version'"
fi

# Configure as tasks.py's setup task does for Release (prefix/bindir/libdir only matter for
# `meson install`, which is not used: the binary is taken from the build directory).
# --wrap-mode=nodownload: if a subproject folder were missing, fail at once rather than try
# an unreachable host.
log "meson setup: ${meson_args[*]}"
run "$meson" setup --wrap-mode=nodownload --prefix "$work/install" --bindir "" --libdir "" \
  "${meson_args[@]}" "$work/build" "$src"

cores="$(nproc)"
log "compiling with ninja -j$cores (about 5 minutes on 2 cores)"
run "$ninja" -C "$work/build" -j "$cores" mediasoup-worker

built="$work/build/mediasoup-worker"
is_valid_worker "$built" || die "the built $built does not start correctly (env -i should exit 41)"

# Publish: copy into the entry's directory under a temporary name, then rename over the final
# name, so no reader ever sees a partial binary.
mkdir -p "$out_dir"
{
  echo "mediasoup $version built $(date -u +%Y-%m-%dT%H:%M:%SZ) by scripts/worker/build.sh"
  echo "meson $meson_version, ninja $("$ninja" --version), $(g++ --version | head -n1)"
  echo "meson options: ${meson_args[*]}"
} >"$out_dir/build-info.txt"
cp "$built" "$out_dir/.mediasoup-worker.partial"
chmod 755 "$out_dir/.mediasoup-worker.partial"
mv -f "$out_dir/.mediasoup-worker.partial" "$bin"

log "built in $((SECONDS - started)) s: $bin"
printf '%s\n' "$bin"
