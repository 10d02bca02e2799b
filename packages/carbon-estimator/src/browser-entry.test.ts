/**
 * The browser entry: (1) its import graph in dist has no Node built-ins; (2) it loads and runs in
 * headless Chromium (Debian's /usr/bin/chromium via playwright-core), served from 127.0.0.1.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_DIR, requireDist } from './dist-path';

const entry = requireDist('browser.js');

async function importGraph(file: string, seen = new Set<string>()): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  const visit = async (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const text = await readFile(path, 'utf8');
    const specifiers = [
      ...text.matchAll(/(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
    graph.set(path, specifiers);
    for (const s of specifiers) if (s.startsWith('./')) await visit(join(DIST_DIR, s));
  };
  await visit(file);
  return graph;
}

describe('browser entry', () => {
  it('imports no Node built-ins and nothing outside its own chunks', async () => {
    const graph = await importGraph(entry);
    const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const all = [...graph.values()].flat();
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((s) => nodeBuiltins.has(s) || s.startsWith('node:'))).toEqual([]);
    expect(all.filter((s) => !s.startsWith('./'))).toEqual([]);
    for (const path of graph.keys()) expect(await readFile(path, 'utf8')).not.toMatch(/\bprocess\.(cpuUsage|versions|argv)\b/);
  });

  describe('in headless Chromium', () => {
    let server: Server;
    let origin: string;
    let profile: string;

    beforeAll(async () => {
      const page = `<!doctype html><meta charset="utf-8"><script type="module">
        try {
          const m = await import('./browser.js');
          const r = m.estimateTraining({ params: 69e9, tokens: 2e12, hardware: 'A100-80GB', region: 'US' });
          const tracker = new m.BrowserTracker({ region: 'FR', deviceMemoryGb: navigator.deviceMemory });
          tracker.start();
          await tracker.measure(() => { let x = 0; for (let i = 0; i < 2e6; i++) x += Math.sqrt(i); return x; });
          const measured = tracker.stop();
          let error = null;
          try { m.resolveHardware('h10'); } catch (e) { error = { code: e.code, message: e.message }; }
          window.__result = { json: m.toEstimateJson(r), html: m.renderHtml(r).length, csv: m.toEmissionsCsv([measured.record]), basis: measured.report.figures.co2eKg.basis, error };
        } catch (e) { window.__result = { failure: String(e && e.stack || e) }; }
      </script>`;
      server = createServer(async (request, response) => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        if (url.pathname === '/' || url.pathname === '/index.html') {
          response.writeHead(200, { 'content-type': 'text/html' }).end(page);
          return;
        }
        const path = normalize(join(DIST_DIR, url.pathname));
        if (!path.startsWith(DIST_DIR) || !path.endsWith('.js')) {
          response.writeHead(404).end();
          return;
        }
        try {
          response.writeHead(200, { 'content-type': 'text/javascript' }).end(await readFile(path));
        } catch {
          response.writeHead(404).end();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      profile = await mkdtemp(join(tmpdir(), 'wattformer-chromium-'));
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
      await rm(profile, { recursive: true, force: true });
    });

    it('loads the entry, projects, tracks (modelled) and renders', async () => {
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const page = context.pages()[0] ?? (await context.newPage());
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        await page.goto(`${origin}/`);
        await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, { timeout: 20_000 });
        const result = (await page.evaluate(() => (window as unknown as { __result: unknown }).__result)) as {
          failure?: string;
          json: { co2eKg: number; co2eKgLow: number; co2eKgHigh: number; hardware: string };
          html: number;
          csv: string;
          basis: string;
          error: { code: string; message: string };
        };
        expect(result.failure).toBeUndefined();
        expect(pageErrors).toEqual([]);
        // Llama 2 70B's published 291.42 t (Touvron 2023) lies inside the calibrated interval.
        expect(result.json.hardware).toBe('a100-80gb');
        expect(result.json.co2eKgLow).toBeLessThan(291_420);
        expect(result.json.co2eKgHigh).toBeGreaterThan(291_420);
        expect(result.html).toBeGreaterThan(1000);
        expect(result.csv.split('\n')[0]).toMatch(/^timestamp,project_name,run_id/);
        expect(result.basis).toBe('modelled');
        expect(result.error.code).toBe('E_UNKNOWN_CHOICE');
        expect(result.error.message).toMatch(/did you mean 'h100'/);
      } finally {
        await context.close();
      }
    }, 60_000);
  });
});
