import { launchChromium, serveStatic } from '@wattformer/backend-conformance/browser-harness';
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('./browser', import.meta.url));
const wasm = fileURLToPath(new URL('../../backend-wasm/wasm/kernels_bg.wasm', import.meta.url));

interface PageResult {
  error?: string;
  isolated: boolean;
  sharedArrayBuffer: boolean;
  replicas?: number;
  losses?: [number, number][];
  worstParameterDifference?: number;
  autoReplicas?: number;
  refusal?: string;
  loss?: number;
}

describe('ParallelGptGradients + trainLoop in headless Chromium (module workers, bundled as an app would be)', () => {
  let site: string;
  const results: Record<'isolated' | 'plain', PageResult> = {} as never;

  beforeAll(async () => {
    if (!existsSync(wasm)) throw new Error('trainer browser test: expected the built kernels .wasm\nhelp: run `npm run build` first');
    site = mkdtempSync(join(tmpdir(), 'wattformer-dp-'));
    mkdirSync(join(site, 'wasm'));
    cpSync(wasm, join(site, 'wasm/kernels_bg.wasm')); // backend-wasm loads ../wasm/kernels_bg.wasm relative to itself
    cpSync(join(here, 'index.html'), join(site, 'index.html'));
    await build({
      entryPoints: { coordinator: join(here, 'coordinator.ts'), replica: join(here, 'replica.ts') },
      outdir: join(site, 'bundle'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      // Node-only branches (dynamic imports behind runtime checks); tsup drops the node: prefix.
      external: ['node:*', 'worker_threads', 'os', 'fs', 'fs/promises', 'url', 'path', 'module'],
      logLevel: 'error',
    });
    const browser = await launchChromium();
    try {
      for (const mode of ['isolated', 'plain'] as const) {
        const server = await serveStatic(site, { isolated: mode === 'isolated' });
        try {
          const page = await browser.context.newPage();
          await page.goto(`${server.url}/index.html`);
          await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, { timeout: 90_000 });
          results[mode] = await page.evaluate(() => (window as unknown as { __result: PageResult }).__result);
          await page.close();
        } finally {
          await server.close();
        }
      }
    } finally {
      await browser.close();
    }
  }, 180_000);

  afterAll(() => {
    if (site) rmSync(site, { recursive: true, force: true });
  });

  it('trains on two replicas when the page is cross-origin isolated, like one replica', () => {
    const r = results.isolated;
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ isolated: true, sharedArrayBuffer: true, replicas: 2 });
    for (const [single, parallel] of r.losses!) expect(Math.abs(single - parallel)).toBeLessThan(1e-5);
    expect(r.worstParameterDifference!).toBeLessThan(1e-4);
  });

  it('falls back to one replica, and refuses two clearly, when the page is not isolated', () => {
    const r = results.plain;
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ isolated: false, sharedArrayBuffer: false, autoReplicas: 1 });
    expect(r.refusal).toMatch(
      /^trainer: parallelGradients: expected SharedArrayBuffer for more than one replica, got none \(the page is not cross-origin isolated\)\nhelp: serve with COOP\/COEP headers/,
    );
    expect(Number.isFinite(r.loss)).toBe(true);
  });
});
