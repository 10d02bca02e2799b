import { wasm } from './wasm-module';

/** Current size of the kernels' linear memory in bytes. */
export function memoryBytes(): number {
  return wasm('memoryBytes').memory.buffer.byteLength;
}

/** Whether the loaded kernels were compiled with WebAssembly simd128. */
export function simd128Enabled(): boolean {
  return wasm('simd128Enabled').kernels.simd128Enabled();
}

/** Which kernel build is loaded: `'relaxed'` (relaxed-SIMD fused multiply-add) or `'simd128'`. */
export function wasmBuild(): 'simd128' | 'relaxed' {
  return wasm('wasmBuild').build;
}
