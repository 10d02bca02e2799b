import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '@wattformer/backend-conformance/browser-harness';
import { createEncoding } from '@wattformer/tokenizer';
import r50k from '@wattformer/tokenizer/encodings/r50k_base';
import { estimateTraining } from '@wattformer/carbon-estimator';
import { ESTIMATE_INPUT, TEXT } from '../app/main.js';
import { prepareStage, buildEsbuild, buildNext, buildRollup, buildVite, buildWebpack, builtinImports, readText, type BuildResult } from '../src/builds';
import { serveFolder } from '../src/serve';

interface PageResult {
  backend?: string;
  product?: number[];
  ids?: number[];
  co2eKg?: number;
  error?: string;
}

type Browser = Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;

beforeAll(async () => {
  prepareStage();
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

function jsFiles(dir: string): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...jsFiles(path));
    else if (/\.(m?js|cjs)$/.test(name)) files.push({ path: relative(dir, path), text: readText(path) });
  }
  return files;
}

/** Opens the build's page and returns what the app printed into #result, plus page errors. */
async function runPage(build: BuildResult, query = '', options: { spaFallback?: boolean } = {}): Promise<PageResult> {
  const server = await serveFolder(build.outDir, options);
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  try {
    await page.goto(`${server.url}/${query}`);
    await page.waitForSelector('#result[data-done="true"]', { timeout: 60_000 });
    const result = JSON.parse((await page.textContent('#result')) ?? '{}') as PageResult;
    if (errors.length) result.error = `${result.error ?? ''}${errors.join('\n')}`;
    return result;
  } finally {
    await page.close();
    await server.close();
  }
}

const expected = {
  backend: 'wasm',
  product: [19, 22, 43, 50],
  ids: Array.from(createEncoding(r50k).encode(TEXT)),
  co2eKg: estimateTraining(ESTIMATE_INPUT).figures.co2eKg.value,
};

const bundlers: [string, () => Promise<BuildResult>, number][] = [
  ['Vite', buildVite, 120_000],
  ['webpack 5', buildWebpack, 180_000],
  ['esbuild', buildEsbuild, 60_000],
  ['Rollup', buildRollup, 120_000],
  ['Next.js (client component, static export)', buildNext, 300_000],
];

describe.each(bundlers)('%s', (name, build, timeout) => {
  let built: BuildResult;
  let result: PageResult;

  beforeAll(async () => {
    const started = performance.now();
    built = await build();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`${name}: built in ${seconds} s`);
    result = await runPage(built);
  }, timeout);

  it('builds without a warning and leaves no Node built-in in the browser bundle', () => {
    expect(built.warnings).toEqual([]);
    expect(builtinImports(jsFiles(built.outDir))).toEqual([]);
  });

  it('runs in Chromium: matmul on wasm, an encode, an estimate', () => {
    expect(result.error).toBeUndefined();
    // Chromium's V8 and Node's may differ in the last bit of Math.exp/log, which the estimate uses.
    const { co2eKg, ...rest } = expected;
    expect(result).toEqual({ ...rest, co2eKg: expect.closeTo(co2eKg, 12) });
  });
});

describe('a misplaced .wasm names env.wasm.wasmPaths', () => {
  let built: BuildResult;
  beforeAll(async () => {
    built = await buildEsbuild();
  }, 60_000);

  it('HTTP 404', async () => {
    const result = await runPage(built, '?wasmPaths=/nowhere/');
    expect(result.error).toMatch(
      /^backend-wasm: init: expected the kernels \.wasm at http:\/\/127\.0\.0\.1:\d+\/nowhere\/kernels_bg\.wasm \(env\.wasm\.wasmPaths\), got HTTP 404/,
    );
    expect(result.error).toMatch(/\nhelp: .*env\.wasm\.wasmPaths = '\/assets\/'.*initWasm\(\{ url \}\)/);
  }, 60_000);

  it('a page served instead of the .wasm (wrong MIME type)', async () => {
    const result = await runPage(built, '?wasmPaths=/nowhere/', { spaFallback: true });
    expect(result.error).toMatch(
      /^backend-wasm: init: expected the kernels \.wasm at .*\/nowhere\/kernels_bg\.wasm \(env\.wasm\.wasmPaths\) served as application\/wasm, got content-type text\/html/,
    );
    expect(result.error).toMatch(/\nhelp: .*env\.wasm\.wasmPaths/);
  }, 60_000);
});
