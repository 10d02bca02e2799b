import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** TF.js on tfjs-backend-wasm (XNNPACK, SIMD) with one thread, as the anchor. */
export async function setUpTfjsWasm(): Promise<string> {
  const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  setThreadsCount(1);
  setWasmPaths(`${wasmDir}/dist/`);
  await tf.setBackend('wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return `@tensorflow/tfjs ${tf.version.tfjs}, tfjs-backend-wasm, SIMD ${simd}, 1 thread`;
}
