#!/usr/bin/env bash
# Builds every package (Rust -> wasm first, via turbo's dependency order).
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
npx turbo run build --output-logs=errors-only
