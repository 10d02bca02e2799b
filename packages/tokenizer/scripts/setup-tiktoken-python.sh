#!/usr/bin/env bash
# Installs native tiktoken (Rust core, Python API) from PyPI, pinned, into a git-ignored venv
# at <repo>/.tmp/tiktoken-venv, for the Chinese encode bench (bench/chinese-encode.ts) and the
# optional ids test. Not part of CI. Idempotent. tiktoken cannot download its ranks here; the
# bench builds tiktoken.Encoding from the .tiktoken files shipped in the gpt-tokenizer package.
set -euo pipefail
TIKTOKEN_VERSION=0.12.0
root="$(cd "$(dirname "$0")/../../.." && pwd)"
venv="$root/.tmp/tiktoken-venv"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import tiktoken, sys; sys.exit(0 if tiktoken.__version__ == '$TIKTOKEN_VERSION' else 1)" 2>/dev/null; then
  echo "tiktoken $TIKTOKEN_VERSION already in $venv"
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "tiktoken==$TIKTOKEN_VERSION"
"$venv/bin/python" -c "import tiktoken; print('tiktoken', tiktoken.__version__, 'in $venv')"
