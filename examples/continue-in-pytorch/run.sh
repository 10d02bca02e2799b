#!/usr/bin/env bash
# Continue a `wattformer train` run folder in PyTorch, then read the result back with wattformer.
#
#   bash examples/continue-in-pytorch/run.sh RUN_DIR TEXT_FILE [OUT_DIR] [-- extra continue_training.py flags]
#
# Uses $PYTHON if set (a Python with requirements.txt installed), else makes a virtual environment
# in examples/continue-in-pytorch/.venv and installs requirements.txt into it (pinned versions).
# On several GPUs replace `"$PYTHON" continue_training.py` below by `accelerate launch continue_training.py`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
run="${1:?usage: run.sh RUN_DIR TEXT_FILE [OUT_DIR] [-- flags]}"
data="${2:?usage: run.sh RUN_DIR TEXT_FILE [OUT_DIR] [-- flags]}"
out="${3:-${run%/}-continued}"
shift $(( $# < 3 ? $# : 3 ))
[ "${1:-}" = "--" ] && shift
if [ -z "${PYTHON:-}" ]; then
  if [ ! -x "$here/.venv/bin/python" ]; then
    python3 -m venv "$here/.venv"
    "$here/.venv/bin/pip" install --quiet -r "$here/requirements.txt"
  fi
  PYTHON="$here/.venv/bin/python"
fi
"$PYTHON" "$here/continue_training.py" --model "$run" --data "$data" --out "$out" "$@"
node "$here/read-back.mjs" "$out"
