import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles `entry` (an ES module for the browser) with esbuild into a fresh temporary folder
 * beside an `index.html` that loads it, and returns the folder. Packages resolve through the
 * workspace's node_modules, so `@wattformer/core` is its built `dist` and appears once.
 */
export async function bundlePage(entry: string, title: string): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'wattformer-webgpu-page-'));
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    outfile: join(folder, 'page.js'),
    logLevel: 'error',
  });
  writeFileSync(
    join(folder, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><pre id="out">running…</pre><script type="module" src="./page.js"></script></body></html>`,
  );
  return folder;
}
