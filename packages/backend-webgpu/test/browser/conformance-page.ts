/// <reference types="@webgpu/types" />
/**
 * Bundled by `bundle.ts` into a page that runs in headless Chromium: the whole conformance suite
 * (every op, forward and gradient, plus the refusals) and the finite-difference gradient checks
 * on the WebGPU backend built from this package's source, on `navigator.gpu`. The outcome lands
 * on `window.__result` for the Node side.
 */
import { checkGradients, runConformance, type CheckResult } from '@wattformer/backend-conformance';
import { getBackendName, setBackend, tensor } from '@wattformer/core';
import { createDefaultWebGpuBackend } from '../../src/create-backend';
import '../../src/register';
import { webGpuDevice } from '../../src/webgpu-backend';

export interface BrowserConformanceResult {
  readonly userAgent: string;
  /** The adapter Chromium gave, or null when `requestAdapter()` returned none. */
  readonly adapter: { vendor: string; architecture: string; isFallbackAdapter: boolean; features: string[] } | null;
  /** The backend the checks ran on, as the suite's report names it. */
  readonly backend: string | null;
  readonly results: readonly Pick<CheckResult, 'case' | 'check' | 'input' | 'passed' | 'message'>[];
  readonly gradientResults: readonly Pick<CheckResult, 'case' | 'check' | 'input' | 'passed' | 'message'>[];
  /** `setBackend('auto')` in the page: the name it reports and the line it logged. */
  readonly auto?: { readonly name: string; readonly lines: readonly string[] };
  /** After `device.destroy()`: the error an op throws, and what the next `setBackend('webgpu')` computes. */
  readonly deviceLoss?: { readonly error: string; readonly newBackendIsFresh: boolean; readonly doubled: number[] };
  readonly elapsedMs: number;
  readonly error?: string;
}

/** `setBackend('auto')`, then a device loss and recovery through the registry, as an app sees them. */
async function autoAndDeviceLoss(): Promise<Pick<BrowserConformanceResult, 'auto' | 'deviceLoss'>> {
  const lines: string[] = [];
  const chosen = await setBackend('auto', { log: (line) => lines.push(line) });
  const auto = { name: getBackendName(), lines };
  const kept = tensor([1, 2]);
  const device = webGpuDevice(chosen)!;
  device.destroy();
  await device.lost;
  await new Promise((resolve) => setTimeout(resolve, 0));
  let error = 'no error';
  try {
    kept.mul(2);
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  const fresh = await setBackend('webgpu');
  const doubled = Array.from(await tensor([1, 2]).mul(2).data());
  fresh.dispose?.();
  await setBackend('cpu');
  return { auto, deviceLoss: { error, newBackendIsFresh: fresh !== chosen, doubled } };
}

async function describeAdapter(): Promise<BrowserConformanceResult['adapter']> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) return null;
  // `info` is newer than @webgpu/types 0.1.38; Chromium 156 has it.
  const info = (adapter as GPUAdapter & { info: { vendor: string; architecture: string; isFallbackAdapter?: boolean } }).info;
  return { vendor: info.vendor, architecture: info.architecture, isFallbackAdapter: info.isFallbackAdapter === true, features: [...adapter.features].sort() };
}

async function main(): Promise<BrowserConformanceResult> {
  const started = performance.now();
  const base = { userAgent: navigator.userAgent, adapter: await describeAdapter(), backend: null, results: [], gradientResults: [] };
  const brief = (results: readonly CheckResult[]) =>
    results.map(({ case: name, check, input, passed, message }) => ({ case: name, check, input, passed, message }));
  try {
    const backend = await createDefaultWebGpuBackend();
    try {
      const report = await runConformance(backend);
      const gradients = await checkGradients(backend);
      const lifecycle = await autoAndDeviceLoss();
      return {
        ...base,
        ...lifecycle,
        backend: report.backend,
        results: brief(report.results),
        gradientResults: brief(gradients.results),
        elapsedMs: performance.now() - started,
      };
    } finally {
      backend.dispose?.();
    }
  } catch (error) {
    return { ...base, elapsedMs: performance.now() - started, error: error instanceof Error ? error.message : String(error) };
  }
}

void main().then((result) => {
  (window as unknown as { __result: BrowserConformanceResult }).__result = result;
  document.getElementById('out')!.textContent = JSON.stringify(result, null, 1);
});
