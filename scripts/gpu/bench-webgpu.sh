#!/usr/bin/env bash
# The webgpu bench (packages/benchmarks/src/webgpu.bench.ts) on a real GPU: Node + the npm
# `webgpu` package (Dawn) on the machine's Vulkan driver, wattformer webgpu vs wattformer wasm vs
# TF.js webgpu, interleaved. Run from the repository root of a built tree (`bash scripts/build.sh`
# first, or carry node_modules and every packages/*/dist). Prints the adapter first; exits 3 when
# the only adapter is a software one (SwiftShader, lavapipe, llvmpipe), whose timings mean nothing.
# Extra arguments go to the bench, e.g. --quick, --matmul-sizes 1024,4096, --batch 32,
# --only matmul|training, --no-wasm. Matmul 256–2048 by default; the training step also reports
# wattformer's dispatches and queue submits per step.
# Results: packages/benchmarks/bench-results/webgpu-hardware[-<only>].json, with the command.
set -euo pipefail
cd "$(dirname "$0")/../.."

for built in packages/core/dist/index.js packages/backend-webgpu/dist/index.js packages/backend-wasm/dist/index.js packages/model/dist/index.js node_modules/webgpu/package.json; do
  [ -e "$built" ] || { echo "bench-webgpu: expected $built, got nothing; help: run 'bash scripts/build.sh' (and npm ci) first" >&2; exit 2; }
done

echo "== machine"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "nvidia-smi: not available"
# Dawn needs a Vulkan ICD for the GPU (NVIDIA's ships with its driver as nvidia_icd.json).
icds=$(ls /usr/share/vulkan/icd.d/ /etc/vulkan/icd.d/ 2>/dev/null | tr '\n' ' ' || true)
echo "Vulkan ICDs: ${icds:-none found}${VK_ICD_FILENAMES:+ (VK_ICD_FILENAMES=$VK_ICD_FILENAMES)}"
node --version

echo "== adapter and bench (--hardware: no SwiftShader, a software adapter is an error)"
exec npx tsx packages/benchmarks/src/webgpu.bench.ts --hardware "$@"
