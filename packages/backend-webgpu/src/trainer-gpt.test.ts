import { createWasmBackend, initKernels } from '@wattformer/backend-wasm/internal';
import { memory, registerBackend, setBackend, tensor, type Backend } from '@wattformer/core';
import { gptLoss, initGptParameters, type GptConfig } from '@wattformer/model';
import { createOptimizer, TokenBatches, trainLoop, type TokenBatch } from '@wattformer/trainer';
import { afterAll, describe, expect, it } from 'vitest';
import { disposeSoftwareBackends, softwareWebGpuBackend } from '../test/software-backend';

afterAll(disposeSoftwareBackends);

/** A GPT small enough for a software adapter; the trainer and model code are the ones users run. */
const CONFIG: GptConfig = { vocabSize: 32, contextLength: 16, modelDim: 32, layers: 2, heads: 2, mlpDim: 64, tiedEmbeddings: true };
const STEPS = 6;
/** Stated tolerance: per-step losses on webgpu and wasm agree within this relative error. */
const RELATIVE = 1e-4;

const text = Int32Array.from({ length: 2000 }, (_, i) => (i * 7 + Math.floor(i / 5)) % CONFIG.vocabSize);

async function trainOn(name: string, backend: Backend): Promise<{ losses: number[]; bytesBefore: number; bytesAfter: number }> {
  registerBackend(name, () => backend);
  await setBackend(name);
  const parameters = initGptParameters(CONFIG, 7);
  const optimizer = createOptimizer(parameters, { kind: 'adamw', learningRate: 3e-3 });
  const batches = new TokenBatches(text, { batchSize: 4, contextLength: CONFIG.contextLength, seed: 11 });
  const model = {
    parameters,
    loss: (batch: TokenBatch) =>
      gptLoss(parameters, CONFIG, tensor(batch.tokens, [4, CONFIG.contextLength], 'i32'), tensor(batch.targets, [4, CONFIG.contextLength], 'i32')),
  };
  const bytesBefore = memory().backendBytes;
  const result = await trainLoop({ model, optimizer, batches, steps: STEPS, gradientClip: 1 });
  const bytesAfter = memory().backendBytes;
  await setBackend('cpu');
  return { losses: result.losses, bytesBefore, bytesAfter };
}

describe('the trainer runs unchanged on webgpu', () => {
  it(`trainLoop on a tiny GPT gives the wasm loss curve within ${RELATIVE} relative`, async () => {
    const { kernels, memory: wasmMemory } = await initKernels();
    const wasm = await trainOn('wasm-trainer-test', createWasmBackend(kernels, wasmMemory));
    const webgpu = await trainOn('webgpu-trainer-test', await softwareWebGpuBackend());
    const worst = Math.max(...webgpu.losses.map((loss, i) => Math.abs(loss - wasm.losses[i]!) / wasm.losses[i]!));
    expect(webgpu.losses).toHaveLength(STEPS);
    expect(worst, `webgpu ${webgpu.losses.join(', ')} vs wasm ${wasm.losses.join(', ')}`).toBeLessThanOrEqual(RELATIVE);
    expect(webgpu.losses[STEPS - 1]!).toBeLessThan(webgpu.losses[0]!);
    // Every step's tensors are freed: the backend holds the same bytes (parameters and optimizer
    // state) after the run as before it.
    expect(webgpu.bytesBefore).toBeGreaterThan(0);
    expect(webgpu.bytesAfter).toBe(webgpu.bytesBefore);
    expect(wasm.bytesAfter).toBe(wasm.bytesBefore);
  }, 240_000);
});
