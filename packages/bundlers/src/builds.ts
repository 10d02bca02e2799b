// Builds app/ with each bundler through its own API (Next.js through its CLI), exactly as the
// backend-wasm README's "Bundlers" section tells users to. Each returns the output folder and
// every warning the bundler printed, so the test can refuse Node built-ins and externals.
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(here, '../..');
/**
 * The builds run in dist/stage: a copy of app/ and next-app/ beside a node_modules holding each
 * public @wattformer package as its tarball has it (package.json + its `files`), so bundlers see
 * what users install, not the workspace's sources and tsconfig `paths`. Everything else (the
 * bundlers, React) resolves from the workspace's node_modules further up.
 */
const stage = join(here, 'dist', 'stage');
const app = join(stage, 'app');
const require = createRequire(join(stage, 'app', 'noop.js'));

interface Manifest {
  name: string;
  files?: string[];
  dependencies?: Record<string, string>;
}

/** Copies app/, next-app/ (sources only) and the packages the app uses into dist/stage. */
export function prepareStage(): void {
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'node_modules', '@wattformer'), { recursive: true });
  cpSync(join(here, 'app'), app, { recursive: true });
  cpSync(join(here, 'next-app'), join(stage, 'next-app'), {
    recursive: true,
    filter: (source) => !/[\\/](\.next|out|node_modules)$/.test(source),
  });
  // This workspace's @wattformer dependencies and theirs, found by name among packages/*.
  const folders = new Map<string, string>();
  for (const name of readdirSync(join(repoRoot, 'packages'))) {
    const manifestPath = join(repoRoot, 'packages', name, 'package.json');
    if (existsSync(manifestPath)) folders.set((JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string }).name, join(repoRoot, 'packages', name));
  }
  const ownManifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')) as Manifest;
  const pending = Object.keys(ownManifest.dependencies ?? {}).filter((name) => name.startsWith('@wattformer/'));
  const staged = new Set<string>();
  while (pending.length) {
    const name = pending.pop()!;
    if (staged.has(name)) continue;
    staged.add(name);
    const folder = folders.get(name);
    if (!folder) throw new Error(`bundlers test: expected ${name} under packages/, got nothing`);
    const manifestPath = join(folder, 'package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    pending.push(...Object.keys(manifest.dependencies ?? {}).filter((dep) => dep.startsWith('@wattformer/')));
    const target = join(stage, 'node_modules', name);
    mkdirSync(target, { recursive: true });
    copyFileSync(manifestPath, join(target, 'package.json'));
    for (const entry of manifest.files ?? []) {
      const source = join(folder, entry);
      if (!existsSync(source)) throw new Error(`bundlers test: expected ${name}'s ${entry} built, got nothing\nhelp: run \`npm run build\` first`);
      cpSync(source, join(target, entry), { recursive: true });
    }
  }
}

export interface BuildResult {
  /** Folder to serve: index.html and everything it loads. */
  readonly outDir: string;
  /** Warnings (and errors) the bundler reported, as text. */
  readonly warnings: string[];
}

/** The kernels' .wasm through the package's public subpath, as an app would resolve it. */
function kernelsWasm(): string {
  return require.resolve('@wattformer/backend-wasm/kernels.wasm');
}

/** index.html for bundlers that do not write one (webpack, esbuild, Rollup). */
function writePage(outDir: string, script: string): void {
  writeFileSync(
    join(outDir, 'index.html'),
    `<!doctype html>\n<html><head><meta charset="utf-8" /><title>wattformer</title></head>\n<body><pre id="result"></pre><script type="module" src="./${script}"></script></body></html>\n`,
  );
}

function fresh(name: string): string {
  const outDir = join(here, 'dist', 'builds', name);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  return outDir;
}

export async function buildVite(): Promise<BuildResult> {
  const { build, createLogger } = await import('vite');
  const outDir = fresh('vite');
  const warnings: string[] = [];
  const logger = createLogger('warn', { allowClearScreen: false });
  logger.warn = (message) => void warnings.push(message);
  logger.warnOnce = (message) => void warnings.push(message);
  logger.error = (message) => void warnings.push(message);
  await build({
    root: app,
    base: './',
    configFile: false,
    logLevel: 'warn',
    customLogger: logger,
    build: {
      outDir,
      emptyOutDir: true,
      chunkSizeWarningLimit: 4096, // the r50k_base ranks are one ~1 MB chunk on purpose
      rollupOptions: { onwarn: (warning) => void warnings.push(String(warning.message ?? warning)) },
    },
  });
  return { outDir, warnings };
}

export async function buildWebpack(): Promise<BuildResult> {
  const { default: webpack } = await import('webpack');
  const outDir = fresh('webpack');
  const stats = await new Promise<import('webpack').Stats>((done, fail) => {
    webpack(
      {
        mode: 'production',
        target: 'web',
        context: app,
        entry: './entry-emitted.js',
        output: { path: outDir, filename: 'main.js', publicPath: 'auto', clean: true },
        performance: { hints: false }, // the ~1 MB ranks chunk is expected
        infrastructureLogging: { level: 'none' },
      },
      (error, result) => (error || !result ? fail(error ?? new Error('webpack: no stats')) : done(result)),
    );
  });
  const info = stats.toJson({ all: false, warnings: true, errors: true });
  const warnings = [...(info.errors ?? []), ...(info.warnings ?? [])].map((entry) => entry.message);
  writePage(outDir, 'main.js');
  return { outDir, warnings };
}

export async function buildEsbuild(): Promise<BuildResult> {
  const esbuild = await import('esbuild');
  const outDir = fresh('esbuild');
  const result = await esbuild.build({
    entryPoints: { main: join(app, 'entry-copied.js') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    outdir: outDir,
    logLevel: 'silent',
  });
  copyFileSync(kernelsWasm(), join(outDir, 'kernels_bg.wasm'));
  writePage(outDir, 'main.js');
  const warnings = result.warnings.map((warning) => warning.text);
  return { outDir, warnings };
}

export async function buildRollup(): Promise<BuildResult> {
  const { rollup } = await import('rollup');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const outDir = fresh('rollup');
  const warnings: string[] = [];
  const bundle = await rollup({
    input: { main: join(app, 'entry-copied.js') },
    plugins: [nodeResolve({ browser: true })],
    onwarn: (warning) => void warnings.push(warning.message),
  });
  await bundle.write({ dir: outDir, format: 'es' });
  await bundle.close();
  copyFileSync(kernelsWasm(), join(outDir, 'kernels_bg.wasm'));
  writePage(outDir, 'main.js');
  return { outDir, warnings };
}

/** `next build` with `output: 'export'`: static files in next-app/out. */
export async function buildNext(): Promise<BuildResult> {
  const project = join(stage, 'next-app');
  const outDir = join(project, 'out');
  rmSync(outDir, { recursive: true, force: true });
  rmSync(join(project, '.next'), { recursive: true, force: true });
  const bin = join(dirname(require.resolve('next/package.json')), 'dist/bin/next');
  // Under CI=true Next adds "⚠ No build cache found" (advice about caching .next between CI
  // runs, not about the bundle; each build here starts from an empty .next on purpose): build as
  // a developer would, so every remaining warning line is about the app.
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', WATTFORMER_REPO_ROOT: repoRoot };
  delete env.CI;
  const output = await new Promise<string>((done, fail) => {
    const child = spawn(process.execPath, [bin, 'build'], {
      cwd: project,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.stderr.on('data', (chunk) => (text += chunk));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(text) : fail(new Error(`next build exited ${code}:\n${text}`))));
  });
  if (!existsSync(join(outDir, 'index.html'))) throw new Error(`next build: expected out/index.html, got none:\n${output}`);
  // Next prints warnings as lines starting with "⚠" or "warn"; keep them all.
  const warnings = output.split('\n').filter((line) => /⚠|\bwarn(ing)?\b|Module not found|externali[sz]ed/i.test(line));
  return { outDir, warnings };
}

/** Node built-in module names (bare and `node:`), as they would appear in a browser bundle's imports. */
const BUILTINS = [
  'fs',
  'fs/promises',
  'url',
  'path',
  'os',
  'crypto',
  'worker_threads',
  'child_process',
  'module',
  'http',
  'https',
  'stream',
  'util',
  'events',
  'buffer',
  'zlib',
  'net',
  'perf_hooks',
];
const IMPORT_OF_BUILTIN = new RegExp(
  String.raw`(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)["'](?:node:)?(?:${BUILTINS.join('|').replace(/\//g, '\\/')})["']|__vite-browser-external|has been externalized for browser compatibility|node:(?:${BUILTINS.join('|')})\b`,
);

/**
 * Every import of a Node built-in left in the emitted JavaScript (file: match), including Vite's
 * silent stand-in module for one (`Module "url" has been externalized for browser compatibility`).
 */
export function builtinImports(files: { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const match = IMPORT_OF_BUILTIN.exec(file.text);
    if (match) found.push(`${file.path}: ${match[0]}`);
  }
  return found;
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
