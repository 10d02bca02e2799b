// Builds crates/kernels-wasm with wasm-pack (no-install mode, +simd128) into ./wasm.
// The toolchain comes from scripts/setup.sh; `.rust-route` says whether Debian's rustc
// (std built from source) must come first on PATH, as wasm-pack spawns `cargo` by bare name.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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

execFileSync(
  'wasm-pack',
  [
    'build', join(root, 'crates/kernels-wasm'),
    '--release', '--target', 'web', '--mode', 'no-install', '--no-pack',
    '--out-dir', outDir, '--out-name', 'kernels',
    '--', '--target-dir', join(root, 'target/wasm-simd128'),
  ],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      PATH: path,
      // 4 GiB is wasm32's ceiling; saying so lets the engine refuse growth cleanly.
      RUSTFLAGS: '-C target-feature=+simd128 -C link-arg=--max-memory=4294967296',
    },
  },
);
// wasm-pack leaves a .gitignore that would hide the build from `npm pack`.
rmSync(join(outDir, '.gitignore'), { force: true });
// wasm-bindgen's own loader defaults to `new URL('kernels_bg.wasm', import.meta.url)`, which is
// wrong once tsup inlines kernels.js into dist/ (and bundlers warn about the missing file).
// initWasm() always passes the compiled module, so the default is cut out.
const gluePath = join(outDir, 'kernels.js');
const glue = readFileSync(gluePath, 'utf8');
const defaultUrl = "module_or_path = new URL('kernels_bg.wasm', import.meta.url);";
if (!glue.includes(defaultUrl)) {
  console.error(`backend-wasm: build: expected wasm-bindgen's default URL line in kernels.js, got none\nhelp: update scripts/build-wasm.mjs for this wasm-bindgen version`);
  process.exit(1);
}
writeFileSync(gluePath, glue.replace(defaultUrl, "throw new Error('backend-wasm: init: expected a module from initWasm(), got none');"));
