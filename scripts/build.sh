#!/usr/bin/env bash
# Builds every package (Rust -> wasm first, via turbo's dependency order).
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
# The fused-kernel glue (git-ignored build outputs) first: cargo, tsc and every package read it.
node scripts/gen-kernels.mjs
npx turbo run build --output-logs=errors-only
