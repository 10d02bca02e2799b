// Packaging check: `npm pack` every public package, then for each one install its tarball
// (plus the tarballs of the @wattformer packages it depends on, nothing else from the repo)
// into an empty folder outside the repo and import every JS entry of its `exports` map from
// Node as ESM and as CJS. backend-wasm also runs a matmul from the installed copy, and
// @wattformer/cli runs `npx wattformer --help`, a tiny `train` and `generate` from the installed bin.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const packagesDir = join(root, 'packages');
const packages = readdirSync(packagesDir)
  .map((dir) => ({ dir: join(packagesDir, dir), json: JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) }))
  .filter((p) => !p.json.private && p.json.name.startsWith('@wattformer/'));
const byName = new Map(packages.map((p) => [p.json.name, p]));
const work = mkdtempSync(join(tmpdir(), 'wattformer-pack-'));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const SMOKE = {
  '@wattformer/backend-wasm': {
    esm: `const w = await import('@wattformer/backend-wasm'); await w.initWasm();
const a = w.WasmF32Buffer.from([1, 2, 3, 4]); const c = w.matmul({ buffer: a, shape: [2, 2] }, { buffer: a, shape: [2, 2] });
if (c.buffer.view().join() !== '7,10,15,22') throw new Error('matmul gave ' + c.buffer.view().join());`,
    cjs: `const w = require('@wattformer/backend-wasm'); w.initWasm().then(() => {
const a = w.WasmF32Buffer.from([1, 2, 3, 4]); const c = w.matmul({ buffer: a, shape: [2, 2] }, { buffer: a, shape: [2, 2] });
if (c.buffer.view().join() !== '7,10,15,22') { console.error('matmul gave ' + c.buffer.view().join()); process.exit(1); } });`,
    what: 'matmul runs',
  },
  '@wattformer/cli': {
    // The bin from the tarball, in an empty project (the local bin, so npx looks nothing up): help,
    // then a tiny run on 2 workers (the replica worker resolves from the installed package) and text out.
    files: { 'text.txt': 'To be, or not to be, that is the question. 春眠不覺曉，處處聞啼鳥。\n'.repeat(40) },
    bin: [
      { args: ['wattformer', '--help'], expect: /Usage: wattformer .*\n[\s\S]*\btrain\b[\s\S]*\bgenerate\b/ },
      {
        args: [
          'wattformer',
          'train',
          '--data',
          'text.txt',
          '--tokenizer',
          'bpe:300',
          '--steps',
          '2',
          '--workers',
          '2',
          '--layers',
          '1',
          '--d-model',
          '16',
          '--heads',
          '2',
          '--context',
          '16',
          '--batch',
          '4',
          '--out',
          'run',
        ],
        expect: /trained to step 2/,
      },
      { args: ['wattformer', 'generate', '--model', 'run', '--prompt', 'To be', '--max-new-tokens', '5'], expect: /^To be/ },
    ],
    what: '`npx wattformer --help`, `train` (2 workers) and `generate` run',
  },
};

let passed = 0;
let failed = 0;
const tarballs = new Map();
try {
  for (const p of packages) {
    const name = run('npm', ['pack', '--silent', '--pack-destination', work], p.dir).trim().split('\n').pop();
    tarballs.set(p.json.name, join(work, name));
    for (const hook of ['preinstall', 'install', 'postinstall']) {
      if (p.json.scripts?.[hook]) throw new Error(`${p.json.name} has a ${hook} script; packages must not run install-time code`);
    }
  }
  const closure = (name, seen = new Set()) => {
    if (seen.has(name)) return seen;
    seen.add(name);
    for (const dep of Object.keys(byName.get(name).json.dependencies ?? {})) if (byName.has(dep)) closure(dep, seen);
    return seen;
  };
  // `node scripts/pack-test.mjs @wattformer/cli …` checks only the packages named (all are packed).
  const only = process.argv.slice(2);
  for (const p of packages.filter((q) => only.length === 0 || only.includes(q.json.name))) {
    const name = p.json.name;
    const dir = mkdtempSync(join(work, 'consumer-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    const installs = [...closure(name)].map((n) => tarballs.get(n));
    try {
      run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...installs], dir);
      const entries = Object.entries(p.json.exports ?? { '.': {} })
        .filter(([key, target]) => key !== './package.json' && (typeof target !== 'string' || /\.[cm]?js$/.test(target)))
        .map(([key]) => (key === '.' ? name : `${name}/${key.slice(2)}`));
      for (const entry of entries) {
        const esm = `const m = await import(${JSON.stringify(entry)}); if (Object.keys(m).length === 0) throw new Error('no exports');`;
        const cjs = `const m = require(${JSON.stringify(entry)}); if (Object.keys(m).length === 0) throw new Error('no exports');`;
        run('node', ['--input-type=module', '-e', esm], dir);
        run('node', ['-e', cjs], dir);
      }
      const smoke = SMOKE[name];
      if (smoke?.esm) run('node', ['--input-type=module', '-e', smoke.esm], dir);
      if (smoke?.cjs) run('node', ['-e', smoke.cjs], dir);
      for (const [file, text] of Object.entries(smoke?.files ?? {})) writeFileSync(join(dir, file), text);
      for (const command of smoke?.bin ?? []) {
        const out = run('npx', command.args, dir);
        if (!command.expect.test(out)) throw new Error(`npx ${command.args.join(' ')} printed:\n${out}`);
      }
      console.log(`ok   ${name}: installed from ${installs.length} tarball(s); ${entries.join(', ')} import as ESM and CJS${smoke ? `; ${smoke.what}` : ''}`);
      passed++;
    } catch (error) {
      console.log(`FAIL ${name}: ${(error.stderr || error.message || String(error)).trim().split('\n').slice(0, 12).join('\n     ')}`);
      failed++;
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`pack-test: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
