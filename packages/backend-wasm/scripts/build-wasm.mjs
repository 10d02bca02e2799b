// Builds crates/kernels-wasm with wasm-pack (no-install mode) twice into ./wasm: +simd128 and
// +simd128,+relaxed-simd (kernels_relaxed_bg.wasm).
// The toolchain comes from scripts/setup.sh; `.rust-route` says whether Debian's rustc
// (std built from source) must come first on PATH, as wasm-pack spawns `cargo` by bare name.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOpCodes, OUTPUT as OP_CODES } from './gen-op-codes.mjs';
import { writeAll as writeKernelGlue } from '../../../scripts/gen-kernels.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const outDir = resolve(here, '../wasm');
const routeFile = join(root, '.rust-route');
if (!existsSync(routeFile)) {
  console.error('backend-wasm: build: expected the Rust toolchain set up, got no .rust-route file');
  console.error('help: run `bash scripts/setup.sh` from the repository root first');
  process.exit(1);
}
const route = readFileSync(routeFile, 'utf8').trim();
const cargoBin = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin');
const path = [route === 'debian' ? '/usr/bin' : null, cargoBin, process.env.PATH].filter(Boolean).join(':');

// The TypeScript op-code table comes from the same Rust enums the kernels decode with.
writeFileSync(OP_CODES, generateOpCodes());
// The bindings and TypeScript entries of the fused kernels come from their fused_abi! declarations.
writeKernelGlue();

/**
 * The two builds shipped (see src/wasm-build.ts, which picks one at run time): `simd128`, the
 * fallback every engine with SIMD runs, and `relaxed`, the same source with relaxed-simd on, so
 * `F32x4::mul_add` is one `f32x4.relaxed_madd`. Both have the same exports, so the one
 * wasm-bindgen glue (wasm/kernels.js) drives either; the build checks that it is identical.
 */
const DEFAULT_URL = "module_or_path = new URL('kernels_bg.wasm', import.meta.url);";
const builds = [
  { name: 'simd128', features: '+simd128', wasm: 'kernels_bg.wasm' },
  { name: 'relaxed', features: '+simd128,+relaxed-simd', wasm: 'kernels_relaxed_bg.wasm' },
];
const only = process.env.WATTFORMER_WASM_BUILD_ONLY; // e.g. `relaxed` while iterating on one
for (const build of builds) {
  if (only && only !== build.name) continue;
  const buildDir = build.name === 'simd128' ? outDir : join(root, 'target', `wasm-${build.name}-pkg`);
  execFileSync(
    'wasm-pack',
    [
      'build',
      join(root, 'crates/kernels-wasm'),
      '--release',
      '--target',
      'web',
      '--mode',
      'no-install',
      '--no-pack',
      '--out-dir',
      buildDir,
      '--out-name',
      'kernels',
      '--',
      '--target-dir',
      join(root, `target/wasm-${build.name}`),
    ],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        PATH: path,
        // 4 GiB is wasm32's ceiling; saying so lets the engine refuse growth cleanly.
        RUSTFLAGS: `-C target-feature=${build.features} -C link-arg=--max-memory=4294967296`,
      },
    },
  );
  // wasm-pack leaves a .gitignore that would hide the build from `npm pack`.
  rmSync(join(buildDir, '.gitignore'), { force: true });
  if (buildDir !== outDir) {
    const glue = (dir) => withoutDefaultUrl(readFileSync(join(dir, 'kernels.js'), 'utf8'));
    if (existsSync(join(outDir, 'kernels.js')) && glue(buildDir) !== glue(outDir)) {
      console.error(`backend-wasm: build: expected the ${build.name} build's JS glue to equal the simd128 build's, got a different wasm/kernels.js`);
      console.error('help: both builds must export the same functions; keep target-specific code inside the kernels crate');
      process.exit(1);
    }
    copyFileSync(join(buildDir, 'kernels_bg.wasm'), join(outDir, build.wasm));
  }
}

// wasm-bindgen's own loader defaults to `new URL('kernels_bg.wasm', import.meta.url)`, which is
// wrong once tsup inlines kernels.js into dist/ (and bundlers warn about the missing file).
// initWasm() always passes the compiled module, so the default is cut out.
function withoutDefaultUrl(text) {
  return text.replace(DEFAULT_URL, "throw new Error('backend-wasm: init: expected a module from initWasm(), got none');");
}
{
  const gluePath = join(outDir, 'kernels.js');
  const glue = readFileSync(gluePath, 'utf8');
  if (glue.includes(DEFAULT_URL)) writeFileSync(gluePath, withoutDefaultUrl(glue));
  else if (!glue.includes('expected a module from initWasm()')) {
    console.error(
      `backend-wasm: build: expected wasm-bindgen's default URL line in kernels.js, got none\nhelp: update scripts/build-wasm.mjs for this wasm-bindgen version`,
    );
    process.exit(1);
  }
}
