import { existsSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REFUSAL_NAMES, selectCases } from '@wattformer/backend-conformance';
import { launchChromium, serveStatic } from '@wattformer/backend-conformance/browser-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePage } from './browser/bundle';
import type { BrowserConformanceResult } from './browser/conformance-page';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
/** Chromium's WebGPU is behind this flag on Linux; its adapter here is SwiftShader (a CPU). */
const WEBGPU_ARGS = ['--enable-unsafe-webgpu'];

describe('backend-webgpu in headless Chromium: the conformance suite and gradient checks on navigator.gpu', () => {
  let result: BrowserConformanceResult;
  let stop: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    for (const built of ['packages/core/dist/index.js', 'packages/backend-conformance/dist/index.js']) {
      if (!existsSync(resolve(repoRoot, built))) throw new Error(`browser test: expected ${built}, got nothing\nhelp: run \`npm run build\` first`);
    }
    const folder = await bundlePage(resolve(here, 'browser/conformance-page.ts'), 'backend-webgpu conformance');
    const server = await serveStatic(folder);
    const browser = await launchChromium(WEBGPU_ARGS);
    stop = async () => {
      await browser.close();
      await server.close();
      rmSync(folder, { recursive: true, force: true });
    };
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, { timeout: 150_000, polling: 500 });
    result = await page.evaluate(() => (window as unknown as { __result: BrowserConformanceResult }).__result);
    if (errors.length) result = { ...result, error: `${result.error ?? ''}${errors.join('\n')}` };
    const adapter = result.adapter
      ? `${result.adapter.vendor}/${result.adapter.architecture}${result.adapter.isFallbackAdapter ? ' (fallback adapter)' : ''}`
      : 'none';
    console.log(
      `backend-webgpu in Chromium: adapter ${adapter}, ${result.results.length} conformance checks and ${result.gradientResults.length} finite-difference checks in ${(result.elapsedMs / 1000).toFixed(1)} s`,
    );
  }, 180_000);

  afterAll(async () => {
    await stop();
  });

  it('gets a WebGPU adapter from Chromium (no adapter fails here instead of skipping)', () => {
    expect(result.adapter, `Chromium gave no WebGPU adapter (${result.userAgent}); flags: ${WEBGPU_ARGS.join(' ')}`).not.toBeNull();
    expect(result.userAgent).toMatch(/Chrome\/\d+/);
    expect(result.error).toBeUndefined();
    expect(result.backend).toBe('webgpu');
  });

  it("setBackend('auto') picks webgpu in the browser and says so", () => {
    expect(result.auto).toEqual({ name: 'webgpu', lines: ["core: setBackend('auto'): using 'webgpu' (the first choice)"] });
  });

  it("a destroyed device makes ops throw an error naming the fallbacks; setBackend('webgpu') then gets a new device", () => {
    expect(result.deviceLoss?.error).toMatch(
      /^backend-webgpu: \w+: expected a live GPU device, got a lost device .*\nhelp: .*setBackend\('wasm'\), or setBackend\('auto'\)/,
    );
    expect(result.deviceLoss?.newBackendIsFresh).toBe(true);
    expect(result.deviceLoss?.doubled).toEqual([2, 4]);
  });

  for (const caseName of [...selectCases().map((c) => c.name), ...REFUSAL_NAMES]) {
    it(caseName, () => {
      const results = result.results.filter((r) => r.case === caseName);
      expect(results.length).toBeGreaterThan(0);
      const failed = results.filter((r) => !r.passed).map((r) => `${r.check}${r.input ? `(${r.input})` : ''}: ${r.message ?? 'failed'}`);
      expect(failed).toEqual([]);
    });
  }

  describe('finite-difference gradients', () => {
    for (const opCase of selectCases().filter((c) => c.gradient !== false)) {
      it(opCase.name, () => {
        const results = result.gradientResults.filter((r) => r.case === opCase.name);
        expect(results.length).toBeGreaterThan(0);
        const failed = results.filter((r) => !r.passed).map((r) => `${r.check}${r.input ? `(${r.input})` : ''}: ${r.message ?? 'failed'}`);
        expect(failed).toEqual([]);
      });
    }
  });
});
