#!/usr/bin/env bash
# Extracts the tokenizer source of an earlier commit (default: 9095e21, main before the pair memo,
# rank filter and non-ASCII piece path; acba2d9 is main before the character-seeded merge) into
# <repo>/.tmp/tokenizer-baseline/<commit>/, with the generated
# rank modules copied in, so bench/chinese-encode.ts can A/B it against the working tree in one run.
set -euo pipefail
commit="${1:-9095e21}"
root="$(cd "$(dirname "$0")/../../.." && pwd)"
out="$root/.tmp/tokenizer-baseline/$commit"
rm -rf "$out"
mkdir -p "$out"
git -C "$root" archive "$commit" packages/tokenizer/src | tar -x -C "$out"
node "$root/packages/tokenizer/scripts/generate-encodings.mjs" >/dev/null
cp -r "$root/packages/tokenizer/src/generated" "$out/packages/tokenizer/src/generated"
echo "$out/packages/tokenizer/src"
