// Writes the glue of every fused kernel from the `crate::fused_abi!` declaration in its Rust file
// (crates/kernels/src/<snake_name>.rs; grammar in crates/kernels/src/fused_abi.rs):
//   crates/kernels/src/fused_mods.generated.rs            `#[path] pub mod` of each kernel file
//   crates/kernels-wasm/src/fused.generated.rs            one #[wasm_bindgen] function per entry
//   packages/backend-wasm/src/wasm-fused.generated.ts     the FusedKernels entries calling them
//   packages/backend-webgpu/src/kernels/fused.generated.ts          index of kernels/<kebab>.ts
//   packages/backend-conformance/src/fused-reference/fused.generated.ts  index of <kebab>.ts
// These five are build outputs, git-ignored, never committed: scripts/build.sh and scripts/test.sh
// run this first, and so do the build, typecheck and test scripts of backend-wasm (build-wasm.mjs),
// backend-webgpu and backend-conformance, and scripts/fuzz.mjs; by hand: `node scripts/gen-kernels.mjs`.
// Each file is written only when its text changes (so cargo and tsup see no spurious edits), via a
// temporary file and a rename, so builds that run this concurrently never read a half-written file.
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const KERNELS = 'crates/kernels/src';
export const OUTPUTS = {
  mods: 'crates/kernels/src/fused_mods.generated.rs',
  bindings: 'crates/kernels-wasm/src/fused.generated.rs',
  wasm: 'packages/backend-wasm/src/wasm-fused.generated.ts',
  webgpu: 'packages/backend-webgpu/src/kernels/fused.generated.ts',
  reference: 'packages/backend-conformance/src/fused-reference/fused.generated.ts',
};
const SCALARS = new Set(['usize', 'f32', 'i32', 'u32']);
const fail = (expected, got, help) => {
  throw new Error(`gen-kernels: ${expected}, got ${got}${help ? `\nhelp: ${help}` : ''}`);
};
const snake = (camel) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const kebab = (camel) => camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const pascal = (s) => s[0].toUpperCase() + s.slice(1);

/** The text inside `crate::fused_abi! { … }` (balanced braces), or null when the file has none. */
function manifestBlock(source, file) {
  const start = source.search(/crate::fused_abi!\s*\{/);
  if (start < 0) return null;
  let i = source.indexOf('{', start);
  const open = i;
  for (let depth = 0; i < source.length; i++) {
    if (source[i] === '{') depth++;
    else if (source[i] === '}' && --depth === 0) return source.slice(open + 1, i);
  }
  return fail(`a closing brace for crate::fused_abi! in ${file}`, 'end of file');
}

function parseField(text, where, allowScalar) {
  const m = /^\s*([a-z_]\w*)\s*:\s*(?:f32\s*\[([^\]]+)\]|(\w+))\s*$/i.exec(text);
  if (!m) return fail(`\`name: f32[len]\`${allowScalar ? ' or `name: usize|f32|i32|u32`' : ''} in ${where}`, `\`${text.trim()}\``);
  if (m[3] !== undefined) {
    if (!allowScalar || !SCALARS.has(m[3])) return fail(`a tensor f32[len]${allowScalar ? ' or a scalar usize, f32, i32, u32' : ''} in ${where}`, m[3]);
    return { name: m[1], scalar: m[3] };
  }
  const len = m[2].trim();
  if (!/^[\w\s*+()-]+$/.test(len)) return fail(`a length made of names, numbers, + - * ( ) in ${where}`, len);
  return { name: m[1], len };
}

/** The entries `key.method(params) -> outputs;` of one manifest. */
export function parseManifest(block, file) {
  const entries = [];
  for (const raw of block
    .split(';')
    .map((s) => s.replace(/\/\/[^\n]*/g, '').trim())
    .filter(Boolean)) {
    const m = /^(\w+)\.(\w+)\s*\(([^)]*)\)\s*->\s*([\s\S]+)$/.exec(raw);
    if (!m) fail(`\`key.method(params) -> outputs;\` in ${file}`, `\`${raw}\``, 'see crates/kernels/src/fused_abi.rs');
    const [, key, method, paramText, outText] = m;
    const where = `${file} ${key}.${method}`;
    const params = paramText
      .split(',')
      .filter((s) => s.trim())
      .map((p) => parseField(p, where, true));
    const object = outText.trim().startsWith('{');
    const inner = object ? outText.trim().replace(/^\{|\}$/g, '') : outText;
    const outputs = inner
      .split(',')
      .filter((s) => s.trim())
      .map((o) => parseField(o, where, false));
    if (outputs.length === 0) fail(`at least one output in ${where}`, 'none');
    const scalars = new Set(params.filter((p) => p.scalar).map((p) => p.name));
    for (const t of [...params, ...outputs].filter((p) => p.len)) {
      for (const name of t.len.match(/[a-z_]\w*/gi) ?? []) {
        if (!scalars.has(name)) fail(`lengths naming scalar parameters of ${where}`, `${name} in ${t.name}: f32[${t.len}]`);
      }
    }
    entries.push({ key, method, params, outputs, object });
  }
  return entries;
}

/** Every kernel file with a manifest, in file order: { file, module, key, entries }. */
export function readKernels(root = ROOT) {
  const kernels = [];
  for (const name of readdirSync(resolve(root, KERNELS))
    .filter((f) => f.endsWith('.rs'))
    .sort()) {
    const file = `${KERNELS}/${name}`;
    const block = manifestBlock(readFileSync(resolve(root, file), 'utf8'), file);
    if (block === null) continue;
    const entries = parseManifest(block, file);
    const module = name.replace(/\.rs$/, '');
    const keys = [...new Set(entries.map((e) => e.key))];
    if (keys.length !== 1 || snake(keys[0]) !== module) {
      fail(
        `one FusedKernels key per kernel file, named like the file (${module}.rs ↔ the camelCase key)`,
        `${keys.join(', ')} in ${file}`,
        'one name per kernel in every layer: rename the file or the key',
      );
    }
    kernels.push({ file, module, key: keys[0], entries });
  }
  return kernels;
}

const HEADER = (comment) =>
  `${comment} Generated by scripts/gen-kernels.mjs from the fused_abi! declarations in crates/kernels/src.\n${comment} Do not edit: change the declaration and run \`node scripts/gen-kernels.mjs\` (the builds run it).\n`;

/**
 * The `pub mod` line of each kernel file, included by lib.rs (`#[path = "fused_mods.generated.rs"]
 * mod fused_mods; pub use fused_mods::*;`). A `#[path]` in this file resolves against its folder
 * (crates/kernels/src), and cargo fmt follows `#[path]` modules, so it checks the kernel files.
 */
function modsFile(kernels) {
  return [HEADER('//'), ...kernels.map((k) => `#[path = "${k.module}.rs"]\npub mod ${k.module};\n`)].join('\n');
}

function bindingsFile(kernels) {
  const lines = [HEADER('//'), 'use wasm_bindgen::prelude::*;', '', 'use crate::slices::{f32s, f32s_mut};', ''];
  for (const k of kernels) {
    for (const e of k.entries) {
      const fn = `${k.module}_${e.method}`;
      const args = [...e.params, ...e.outputs].map((p) => `${p.name}: ${p.scalar ?? 'usize'}`);
      const call = [...e.params.map((p) => (p.scalar ? p.name : `f32s(${p.name}, ${p.len})`)), ...e.outputs.map((o) => `f32s_mut(${o.name}, ${o.len})`)];
      lines.push(
        `/// \`${k.key}.${e.method}\` (${k.file}); tensors are byte offsets from \`allocF32\`.`,
        `#[wasm_bindgen(js_name = ${k.key}${pascal(e.method)})]`,
        '#[allow(clippy::too_many_arguments)]',
        `pub fn ${fn}(${args.join(', ')}) {`,
        `    wattformer_kernels::${k.module}::${fn}(${call.join(', ')});`,
        '}',
        '',
      );
    }
  }
  return lines.join('\n');
}

function wasmFile(kernels) {
  const keys = kernels.map((k) => `'${k.key}'`).join(' | ') || 'never';
  const lines = [
    HEADER('//'),
    "import type { FusedKernels } from '@wattformer/core';",
    "import type { Kernels } from './wasm-module';",
    "import type { WasmHeap, WasmStorage } from './wasm-storage';",
    '',
    `export type GeneratedFusedKernels = Pick<Required<FusedKernels<WasmStorage>>, ${keys}>;`,
    '',
    '/** The kernels declared with fused_abi!: each entry allocates its outputs and calls its Rust export. */',
    'export function generatedFusedKernels(kernels: Kernels, heap: WasmHeap): GeneratedFusedKernels {',
    '  /** Every output or none: a failed allocation frees the ones before it. */',
    '  const outputs = (op: string, lengths: readonly number[]): WasmStorage[] => {',
    '    const made: WasmStorage[] = [];',
    '    try {',
    "      for (const length of lengths) made.push(heap.allocate(length, 'f32', op));",
    '    } catch (error) {',
    '      for (const storage of made) heap.free(storage);',
    '      throw error;',
    '    }',
    '    return made;',
    '  };',
    '  return {',
  ];
  for (const k of kernels) {
    lines.push(`    ${k.key}: {`);
    for (const e of k.entries) {
      const names = e.outputs.map((o) => o.name);
      const call = [...e.params.map((p) => (p.scalar ? p.name : `${p.name}.ptr`)), ...names.map((n) => `${n}.ptr`)];
      lines.push(
        `      ${e.method}(${e.params.map((p) => p.name).join(', ')}) {`,
        `        const [${names.join(', ')}] = outputs('${k.key}', [${e.outputs.map((o) => o.len).join(', ')}]) as [${names.map(() => 'WasmStorage').join(', ')}];`,
        `        kernels.${k.key}${pascal(e.method)}(${call.join(', ')});`,
        `        return ${e.object ? `{ ${names.join(', ')} }` : names[0]};`,
        '      },',
      );
    }
    lines.push('    },');
  }
  lines.push('  };', '}', '');
  return lines.join('\n');
}

function indexFile(kernels, layer, root) {
  const { dir, storage, arg, argType, imports } = layer;
  const keys = kernels.map((k) => `'${k.key}'`).join(' | ') || 'never';
  for (const k of kernels) {
    const path = `${dir}/${kebab(k.key)}.ts`;
    if (!existsSync(resolve(root, path))) {
      fail(`${path} (the ${layer.name} of ${k.key}, exporting \`fused\`)`, 'no such file', `add it: docs/contributing/adding-a-kernel.md`);
    }
  }
  return [
    HEADER('//'),
    ...imports,
    ...kernels.map((k) => `import { fused as ${k.key} } from './${kebab(k.key)}';`),
    '',
    `export type GeneratedFusedKernels = Pick<Required<FusedKernels<${storage}>>, ${keys}>;`,
    '',
    `/** Each kernel file's \`fused\` entry, by FusedKernels key. */`,
    `export function generatedFusedKernels(${arg}: ${argType}): GeneratedFusedKernels {`,
    `  return { ${kernels.map((k) => `${k.key}: ${k.key}(${arg})`).join(', ')} };`,
    '}',
    '',
  ].join('\n');
}

/** Path (relative to the repo) → text, for the current Rust sources. */
export function generateAll(root = ROOT) {
  const kernels = readKernels(root);
  return {
    [OUTPUTS.mods]: modsFile(kernels),
    [OUTPUTS.bindings]: bindingsFile(kernels),
    [OUTPUTS.wasm]: wasmFile(kernels),
    [OUTPUTS.webgpu]: indexFile(
      kernels,
      {
        name: 'WGSL and dispatch',
        dir: 'packages/backend-webgpu/src/kernels',
        storage: 'WebGpuStorage',
        arg: 'gpu',
        argType: 'GpuRuntime',
        imports: ["import type { FusedKernels } from '@wattformer/core';", "import type { GpuRuntime, WebGpuStorage } from '../gpu-runtime';"],
      },
      root,
    ),
    [OUTPUTS.reference]: indexFile(
      kernels,
      {
        name: 'plain-TypeScript reference',
        dir: 'packages/backend-conformance/src/fused-reference',
        storage: 'CpuStorage',
        arg: 'output',
        argType: 'Output',
        imports: ["import type { CpuStorage, FusedKernels } from '@wattformer/core';", "import type { Output } from './output';"],
      },
      root,
    ),
  };
}

/** Writes the files whose text changed; returns their paths. */
export function writeAll(root = ROOT) {
  const written = [];
  for (const [path, text] of Object.entries(generateAll(root))) {
    const file = resolve(root, path);
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, file);
    written.push(path);
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const written = writeAll();
  console.log(written.length === 0 ? 'gen-kernels: up to date' : `gen-kernels: wrote ${written.join(', ')}`);
}
