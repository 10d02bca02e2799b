/**
 * Writes docs/images/browser-studio.png: the built studio trains the tiny model on Shakespeare
 * (wasm) for a few hundred steps in headless Chromium, generates from a prompt, and the page is
 * captured. Run after `npm run build`: `npm run screenshot -w examples/browser-studio`.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, serveStatic } from '@wattformer/backend-conformance/browser-harness';
import { generateText, openStudio, train } from '../test/studio-page';

const here = dirname(fileURLToPath(import.meta.url));
const output = resolve(here, '../../../docs/images/browser-studio.png');
const steps = Number(process.argv[2] ?? 1200);

const server = await serveStatic(resolve(here, '../dist'), { isolated: true });
const browser = await launchChromium(['--enable-unsafe-webgpu']);
try {
  const page = await browser.context.newPage();
  const problems = await openStudio(page, server.url);
  await train(page, { backend: 'wasm', modelSize: 'tiny', steps, learningRate: 0.003, sampleEvery: 300, timeoutMs: 600_000 });
  await generateText(page, 'HAMLET.', 200, 3);
  await page.screenshot({ path: output, fullPage: true });
  if (problems.length > 0) throw new Error(`docs screenshot: expected no page errors, got ${problems.join('; ')}`);
  console.log(`wrote ${output} after ${steps} steps`);
} finally {
  await browser.close();
  await server.close();
}
