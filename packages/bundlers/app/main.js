// The app every bundler builds: a matmul on the wasm backend, an encode, a carbon estimate,
// printed into the page (#result, JSON) for the test to read in headless Chromium.
import { getBackendName, matmul, setBackend, tensor } from '@wattformer/core';
import { env } from '@wattformer/backend-wasm';
import { getEncoding } from '@wattformer/tokenizer';
import { estimateTraining } from '@wattformer/carbon-estimator/browser';

export const TEXT = 'Hello, world! 你好，世界';
export const ESTIMATE_INPUT = { params: 124e6, tokens: 2.5e9, hardware: 'a100-80gb', devices: 1, region: 'FR' };

/**
 * Runs the three checks. `wasmPaths` is the app's `env.wasm.wasmPaths` (undefined: the bundler
 * emitted the .wasm itself); a `?wasmPaths=` query overrides it (the test's 404 / MIME cases).
 */
export async function run(wasmPaths) {
  const query = new URLSearchParams(globalThis.location?.search ?? '').get('wasmPaths');
  const paths = query ?? wasmPaths;
  if (paths !== undefined) env.wasm.wasmPaths = paths;
  await setBackend('wasm');
  const product = await matmul(
    tensor([
      [1, 2],
      [3, 4],
    ]),
    tensor([
      [5, 6],
      [7, 8],
    ]),
  ).data();
  const ids = (await getEncoding('r50k_base')).encode(TEXT); // a lazily loaded chunk
  const report = estimateTraining(ESTIMATE_INPUT);
  return { backend: getBackendName(), product: Array.from(product), ids: Array.from(ids), co2eKg: report.figures.co2eKg.value };
}

/** Runs the app and writes its result (or its error) into `element` as JSON. */
export async function render(element, wasmPaths) {
  let result;
  try {
    result = await run(wasmPaths);
  } catch (error) {
    result = { error: String(error?.message ?? error) };
  }
  element.textContent = JSON.stringify(result);
  element.setAttribute('data-done', 'true');
}
