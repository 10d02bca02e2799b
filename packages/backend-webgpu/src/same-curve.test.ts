import { createWasmBackend, initKernels } from '@wattformer/backend-wasm/internal';
import { createCpuBackend } from '@wattformer/core';
import { afterAll, describe, expect, it } from 'vitest';
import { disposeSoftwareBackends, softwareWebGpuBackend } from '../test/software-backend';
import { runLeakCheck } from '@wattformer/backend-conformance';

afterAll(disposeSoftwareBackends);

const STEPS = 30;
/** Stated tolerance: per-step losses agree within this relative error over 30 AdamW steps. */
const RELATIVE = 1e-4;

describe('the same seed gives the same loss curve', () => {
  it(`on webgpu, wasm and cpu within ${RELATIVE} relative over ${STEPS} steps`, async () => {
    const { kernels, memory } = await initKernels();
    const curves = {
      cpu: (await runLeakCheck(createCpuBackend(), STEPS)).losses,
      wasm: (await runLeakCheck(createWasmBackend(kernels, memory), STEPS)).losses,
      webgpu: (await runLeakCheck(await softwareWebGpuBackend(), STEPS)).losses,
    };
    const worst = (a: number[], b: number[]): number => Math.max(...a.map((x, i) => Math.abs(x - b[i]!) / Math.abs(b[i]!)));
    const report = `webgpu vs wasm ${worst(curves.webgpu, curves.wasm)}, webgpu vs cpu ${worst(curves.webgpu, curves.cpu)}`;
    expect(worst(curves.webgpu, curves.wasm), report).toBeLessThanOrEqual(RELATIVE);
    expect(worst(curves.webgpu, curves.cpu), report).toBeLessThanOrEqual(RELATIVE);
    expect(curves.webgpu[STEPS - 1]!).toBeLessThan(curves.webgpu[0]!);
    console.log(report);
  });
});
