import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveStatic } from '@wattformer/backend-conformance/browser-harness';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface BrowserResult {
  error?: string;
  userAgent: string;
  simd128: boolean;
  build: string;
  cases: { name: string; error: number }[];
  growth: { grew: boolean; a: number[]; c: number[] };
}

describe('backend-wasm in headless Chromium (built package, no bundler)', () => {
  let result: BrowserResult;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    for (const built of ['packages/core/dist/index.js', 'packages/backend-wasm/dist/browser.js', 'packages/backend-wasm/wasm/kernels_bg.wasm']) {
      if (!existsSync(resolve(repoRoot, built))) throw new Error(`browser test: expected ${built}, got nothing\nhelp: run \`npm run build\` first`);
    }
    const server = await serveStatic(repoRoot);
    const browser = await launchChromium();
    stop = async () => {
      await browser.close();
      await server.close();
    };
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${server.url}/packages/backend-wasm/test/browser/index.html`);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, { timeout: 60_000 });
    result = await page.evaluate(() => (window as unknown as { __result: BrowserResult }).__result);
    if (errors.length) result.error = `${result.error ?? ''}${errors.join('\n')}`;
  }, 120_000);

  afterAll(async () => {
    await stop?.();
  });

  it('loads the simd128 kernels in Chromium', () => {
    expect(result.error).toBeUndefined();
    expect(result.userAgent).toMatch(/Chrome\/\d+/);
    expect(result.simd128).toBe(true);
  });

  it('picks the relaxed-SIMD build by feature detection (current Chromium has relaxed SIMD)', () => {
    expect(result.build).toBe('relaxed');
  });

  it('agrees with the JS reference on every shape (rel. error ≤ 1e-5)', () => {
    expect(result.cases.length).toBe(52);
    expect(result.cases.filter((row) => !(row.error <= 1e-5))).toEqual([]);
  });

  it('keeps live tensors intact across memory growth', () => {
    expect(result.growth).toEqual({ grew: true, a: [1, 2, 3, 4], c: [19, 22, 43, 50] });
  });
});
