#!/usr/bin/env bash
# The main job. Sets up the machine (idempotent), builds, then runs the demo.
# Today: the Rust simd128 matmul kernel, checked against a JS reference and timed in Node.
# The trainer issue turns this into a short pretraining run with a carbon report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
node examples/matmul-node/main.mjs "$@"
