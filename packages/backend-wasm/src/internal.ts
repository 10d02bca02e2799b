/**
 * `@wattformer/backend-wasm/internal`: the raw kernels, for wattformer's own tests and tools
 * (build a wasm `Backend` object without registering it). No semver promise, no API reference.
 * @internal
 * @packageDocumentation
 */
import './node-file'; // Node only: initKernels() reads the packaged .wasm from disk

export { initKernels } from './wasm-module';
export type { Kernels, LoadedWasm } from './wasm-module';
export { createWasmBackend } from './wasm-backend';
export type { WasmStorage } from './wasm-storage';
