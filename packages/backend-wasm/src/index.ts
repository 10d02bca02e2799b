import './register';

export { initWasm } from './wasm-module';
export { defaultWasmUrl } from './wasm-source';
export type { WasmSource } from './wasm-source';
export { WasmF32Buffer } from './f32-buffer';
export { WASM_MAX_ALLOCATION_BYTES, WASM_MEMORY_LIMIT_BYTES } from './allocate';
export { matmul } from './matmul';
export type { WasmMatrix } from './matmul';
export { memoryBytes, simd128Enabled, wasmBuild } from './info';
export { relaxedSimdSupported, RELAXED_SIMD_PROBE } from './wasm-build';
export type { InitWasmOptions, WasmBuild } from './wasm-build';
export { createWasmBackend } from './wasm-backend';
export type { WasmStorage } from './wasm-storage';
