/**
 * End to end: the built studio (`dist/`) served with COOP/COEP, driven in Debian's Chromium
 * through playwright-core. On WASM and on WebGPU (Chromium's SwiftShader adapter) it trains,
 * and the test reads the loss, validation loss, tokens/s and energy from the DOM, checks the
 * chart's canvas drew the loss line, generates text, saves a checkpoint (two downloads) and
 * loads it into a fresh page, which then generates the same text from the same seed. A BPE
 * tokenizer trained in the page on the bundled Tang poems: progress, Chinese text streamed as it
 * is generated, and its checkpoint (tokenizer.json inside config.json) loaded back.
 * Writes artifacts/studio.png.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, serveStatic } from '@wattformer/backend-conformance/browser-harness';
import type { BrowserContext, Download } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartPixels, generateStreamed, generateText, numberOf, openStudio, train } from './studio-page';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, '../dist');
const artifacts = resolve(here, '../artifacts');
/** Chromium's WebGPU is behind this flag on Linux; the adapter here is SwiftShader (a CPU). */
const WEBGPU_ARGS = ['--enable-unsafe-webgpu'];
/** The train series' stroke in src/ui/loss-chart.ts. */
const TRAIN_STROKE: [number, number, number] = [0x2f, 0x6f, 0xdd];

let context: BrowserContext;
let url: string;
let stop: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(
      'studio test: expected examples/browser-studio/dist/index.html, got nothing\nhelp: run `npm run build -w examples/browser-studio` (or `bash scripts/build.sh`) first',
    );
  }
  const server = await serveStatic(dist, { isolated: true });
  const browser = await launchChromium(WEBGPU_ARGS);
  context = browser.context;
  url = server.url;
  stop = async () => {
    await browser.close();
    await server.close();
  };
});

afterAll(async () => {
  await stop();
});

/** The page showed the text growing (prefixes of the final text, several before the end). */
function expectStreamed(shown: string[], text: string): void {
  const partial = [...new Set(shown)].filter((t) => t.length > 0 && t.length < text.length);
  expect(partial.length, `intermediate texts shown while generating: ${partial.length}`).toBeGreaterThanOrEqual(3);
  for (const t of partial) expect(text.startsWith(t), `${JSON.stringify(t)} is a prefix of the final text`).toBe(true);
  const lengths = partial.map((t) => t.length);
  expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
}

const HAN = /\p{Script=Han}/u;

describe('browser studio without WebGPU', () => {
  it('disables the WebGPU option and says why', async () => {
    const plain = await launchChromium(); // no --enable-unsafe-webgpu: Chromium on Linux gives no adapter
    try {
      const page = await plain.context.newPage();
      const problems = await openStudio(page, url);
      expect(await page.locator('option[value="webgpu"]').isDisabled()).toBe(true);
      expect(await page.locator('#backend').getAttribute('data-webgpu')).toBe('false');
      expect(await page.locator('#backend-note').textContent()).toMatch(
        /^WebGPU unavailable: (no WebGPU implementation: navigator\.gpu is undefined|requestAdapter\(\) returned null: no usable GPU adapter|requestAdapter\(\) failed: .+)$/,
      );
      expect(problems).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});

describe('browser studio', () => {
  it('is cross-origin isolated and finds a WebGPU adapter', async () => {
    const page = await context.newPage();
    const problems = await openStudio(page, url);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.locator('#backend').getAttribute('data-webgpu'), (await page.locator('#backend-note').textContent()) ?? '').toBe('true');
    expect(await page.locator('option[value="webgpu"]').isDisabled()).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('refuses a pasted text too short to train on, trains on a longer one, generates while training, stops on request and refuses bad checkpoints', async () => {
    const page = await context.newPage();
    const problems = await openStudio(page, url);
    await page.getByLabel('Pasted text').check();
    await page.getByLabel('Text to train on').fill('to be');
    await page.getByRole('button', { name: 'Start training' }).click();
    const status = page.locator('#status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 10_000 }).toBe('error');
    expect(await status.textContent()).toMatch(/^browser-studio: start: expected a text of at least \d+ characters, got 5\nhelp: paste a longer text/);
    expect(await page.getByRole('button', { name: 'Start training' }).isDisabled()).toBe(false);

    const text = Array.from({ length: 60 }, (_, i) => `${i % 7} the quick brown fox jumps over the lazy dog;`).join('\n');
    await page.getByLabel('Text to train on').fill(text);
    await page.getByLabel('Steps', { exact: true }).fill('100000');
    await page.getByRole('button', { name: 'Start training' }).click();
    await expect.poll(async () => Number((await page.locator('#step').getAttribute('data-value')) ?? 0), { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
    // Generating while it trains interleaves with the steps and leaves the run going.
    const during = await generateText(page, 'the', 30, 1);
    expect(during.startsWith('the')).toBe(true);
    expect(during.length).toBe(33);
    expect(await page.getByRole('button', { name: 'Stop' }).isDisabled()).toBe(false);
    const stepAtStop = await numberOf(page, '#step');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^Stopped at step \d+\.$/);
    const stoppedAt = Number(/\d+/.exec((await status.textContent()) ?? '')![0]);
    expect(stoppedAt).toBeGreaterThanOrEqual(stepAtStop);
    expect(stoppedAt).toBeLessThan(100_000);
    expect(await numberOf(page, '#step')).toBe(stoppedAt);
    // Stopped means stopped: no step arrives afterwards.
    await page.waitForTimeout(1500);
    expect(await numberOf(page, '#step')).toBe(stoppedAt);
    expect(await page.getByRole('button', { name: 'Start training' }).isDisabled()).toBe(false);
    expect((await page.locator('#model-info').textContent()) ?? '').toContain(`${new Set(text).size} characters`);

    // Bad checkpoints are refused with the reason and the fix.
    await page.locator('#load').setInputFiles({ name: 'weights.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('not a checkpoint') });
    await expect
      .poll(() => status.textContent(), { timeout: 10_000 })
      .toContain('browser-studio: loadCheckpoint: expected a .safetensors file and its .config.json, picked together, got weights.safetensors');
    await page.locator('#load').setInputFiles([
      { name: 'weights.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('not a checkpoint') },
      { name: 'config.json', mimeType: 'application/json', buffer: Buffer.from('{"model_type": "gpt2", "n_layer": 2}') },
    ]);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('browser-studio: loadCheckpoint: expected a config.json saved by the studio');
    expect(await status.getAttribute('data-state')).toBe('error');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('trains a BPE tokenizer in the page on the Tang poems, then the GPT, and streams Chinese text', async () => {
    const page = await context.newPage();
    const problems = await openStudio(page, url);
    // Every text the tokenizer note shows while the tokenizer trains.
    await page.locator('#tokenizer-note').evaluate((element) => {
      const notes: string[] = [];
      (window as unknown as { __notes: string[] }).__notes = notes;
      new MutationObserver(() => notes.push(element.textContent ?? '')).observe(element, { childList: true, characterData: true, subtree: true });
    });
    const steps = 300;
    await train(page, {
      backend: 'wasm',
      modelSize: 'tiny',
      corpus: 'tang-poems',
      tokenizer: { kind: 'bpe', vocabSize: 2000 },
      steps,
      learningRate: 0.01,
      sampleEvery: 100,
      timeoutMs: 150_000,
    });

    const notes = await page.evaluate(() => (window as unknown as { __notes: string[] }).__notes);
    expect(notes.filter((note) => /^counting words: \d+\/\d+$/.test(note)).length, notes.join(' | ')).toBeGreaterThan(5);
    expect(notes).toContain('learning merges…');
    expect(await page.locator('#tokenizer-progress').evaluate((element) => (element as HTMLProgressElement).value)).toBe(1);
    expect(await page.locator('#tokenizer-note').getAttribute('data-vocab')).toBe('2000');
    expect((await page.locator('#model-info').textContent()) ?? '').toContain('BPE vocabulary of 2000 tokens');

    const firstLoss = await numberOf(page, '#loss', 'data-first');
    const lastLoss = await numberOf(page, '#loss');
    const firstValidation = await numberOf(page, '#val-loss', 'data-first');
    const lastValidation = await numberOf(page, '#val-loss');
    console.log(
      `studio BPE on Tang poems: train loss ${firstLoss.toFixed(3)} -> ${lastLoss.toFixed(3)}, validation ${firstValidation.toFixed(3)} -> ${lastValidation.toFixed(3)} in ${steps} steps`,
    );
    expect(firstLoss).toBeGreaterThan(Math.log(2000) - 0.5); // a fresh model: about ln(vocabulary)
    expect(lastLoss).toBeLessThan(firstLoss - 1);
    expect(lastValidation).toBeLessThan(firstValidation - 1);
    const samples = await page.getByLabel('Samples').locator('li pre').allTextContents();
    expect(samples.length).toBe(3);
    console.log(`studio BPE on Tang poems, samples: ${JSON.stringify(samples)}`);
    for (const sample of samples) expect([...sample].filter((ch) => HAN.test(ch)).length).toBeGreaterThan(8);

    const { text, shown } = await generateStreamed(page, '《春夜》', 80, 3);
    console.log(`studio BPE on Tang poems, generated: ${JSON.stringify(text)}`);
    expect(text.startsWith('《春夜》')).toBe(true);
    expect([...text.slice(4)].filter((ch) => HAN.test(ch)).length).toBeGreaterThan(20);
    expect(text).toMatch(/[，。]/u); // it learned the punctuation of the form
    expectStreamed(shown, text);
    for (const t of shown) expect(t.includes('\uFFFD') && !text.includes('\uFFFD'), 'no half character shown').toBe(false);

    // The BPE tokenizer travels inside config.json: a fresh page loads both files and generates the same text.
    const downloads: Download[] = [];
    page.on('download', (download) => downloads.push(download));
    await page.getByRole('button', { name: 'Save checkpoint' }).click();
    await expect.poll(() => downloads.length, { timeout: 20_000 }).toBe(2);
    const folder = join(tmpdir(), `studio-checkpoint-bpe-${process.pid}`);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    const paths: string[] = [];
    for (const download of downloads) {
      const path = join(folder, download.suggestedFilename());
      await download.saveAs(path);
      paths.push(path);
    }
    const config = JSON.parse(readFileSync(paths.find((path) => path.endsWith('.json'))!, 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ vocab_size: 2000, wattformer_studio: { tokenizerKind: 'bpe', step: steps, tokenizer: { model: { type: 'BPE' } } } });
    expect(problems).toEqual([]);
    await page.close();

    const fresh = await context.newPage();
    const freshProblems = await openStudio(fresh, url);
    await fresh.locator('#load').setInputFiles(paths);
    await expect.poll(() => fresh.locator('#status').textContent(), { timeout: 20_000 }).toBe(`Loaded a checkpoint (${steps} steps) onto wasm.`);
    expect((await fresh.locator('#model-info').textContent()) ?? '').toContain('BPE vocabulary of 2000 tokens');
    expect(await generateText(fresh, '《春夜》', 80, 3)).toBe(text);
    expect(freshProblems).toEqual([]);
    await fresh.close();
    rmSync(folder, { recursive: true, force: true });
  }, 240_000);

  // SwiftShader runs WebGPU on one CPU core and kernel launches dominate there: the smaller model, fewer steps.
  const runs = [
    {
      backend: 'wasm',
      modelSize: 'tiny',
      layers: 2,
      modelDim: 48,
      steps: 150,
      learningRate: 0.003,
      sampleEvery: 50,
      generate: 120,
      timeoutMs: 60_000,
      testTimeoutMs: 120_000,
    },
    {
      backend: 'webgpu',
      modelSize: 'micro',
      layers: 1,
      modelDim: 32,
      steps: 30,
      learningRate: 0.01,
      sampleEvery: 30,
      generate: 40,
      timeoutMs: 150_000,
      testTimeoutMs: 240_000,
    },
  ] as const;

  for (const run of runs) {
    it(
      `trains on ${run.backend}: the loss falls, the chart draws it, generate, save and load`,
      async () => {
        const page = await context.newPage();
        const problems = await openStudio(page, url);
        await train(page, run);

        expect(await numberOf(page, '#step')).toBe(run.steps);
        expect((await page.locator('#model-info').textContent()) ?? '').toContain(`GPT on ${run.backend}`);
        const firstLoss = await numberOf(page, '#loss', 'data-first');
        const lastLoss = await numberOf(page, '#loss');
        const firstValidation = await numberOf(page, '#val-loss', 'data-first');
        const lastValidation = await numberOf(page, '#val-loss');
        console.log(
          `studio on ${run.backend}: train loss ${firstLoss.toFixed(3)} -> ${lastLoss.toFixed(3)}, validation ${firstValidation.toFixed(3)} -> ${lastValidation.toFixed(3)} in ${run.steps} steps, ${(await numberOf(page, '#tokens-per-second')).toFixed(0)} tokens/s`,
        );
        // A fresh character model starts near ln(vocabulary) ≈ 4.2 nats; unigram statistics alone take it below 3.4.
        expect(firstLoss).toBeGreaterThan(3.8);
        expect(lastLoss).toBeLessThan(firstLoss - 0.6);
        expect(lastValidation).toBeLessThan(firstValidation - 0.3);
        expect(await numberOf(page, '#tokens-per-second')).toBeGreaterThan(0);
        expect(await numberOf(page, '#energy')).toBeGreaterThan(0);
        expect(await numberOf(page, '#co2e')).toBeGreaterThan(0);
        expect(Number(await page.locator('#chart').getAttribute('data-points'))).toBe(run.steps);
        const pixels = await chartPixels(page, TRAIN_STROKE);
        expect(pixels.total).toBeGreaterThan(10_000);
        expect(pixels.matching, 'pixels of the train loss line on the chart canvas').toBeGreaterThan(200);
        const samples = await page.getByLabel('Samples').locator('li pre').allTextContents();
        expect(samples.length).toBe(Math.floor(run.steps / run.sampleEvery));
        expect(samples.every((text) => text.length >= 100)).toBe(true);

        const { text, shown } = await generateStreamed(page, 'HAMLET.', run.generate, 7);
        expect(text.startsWith('HAMLET.')).toBe(true);
        expect(text.length).toBe('HAMLET.'.length + run.generate);
        expectStreamed(shown, text);

        const downloads: Download[] = [];
        page.on('download', (download) => downloads.push(download));
        await page.getByRole('button', { name: 'Save checkpoint' }).click();
        await expect.poll(() => downloads.length, { timeout: 20_000 }).toBe(2);
        const folder = join(tmpdir(), `studio-checkpoint-${run.backend}-${process.pid}`);
        rmSync(folder, { recursive: true, force: true });
        mkdirSync(folder, { recursive: true });
        const paths: string[] = [];
        for (const download of downloads) {
          const path = join(folder, download.suggestedFilename());
          await download.saveAs(path);
          paths.push(path);
        }
        const names = paths.map((path) => path.slice(folder.length + 1)).sort();
        expect(names).toEqual([`studio-gpt-step-${run.steps}.config.json`, `studio-gpt-step-${run.steps}.safetensors`]);
        const config = JSON.parse(readFileSync(paths.find((path) => path.endsWith('.json'))!, 'utf8')) as Record<string, unknown>;
        expect(config).toMatchObject({ model_type: 'gpt2', n_layer: run.layers, n_embd: run.modelDim, wattformer_studio: { step: run.steps } });

        if (run.backend === 'wasm') {
          mkdirSync(artifacts, { recursive: true });
          await page.screenshot({ path: join(artifacts, 'studio.png'), fullPage: true });
        }
        expect(problems).toEqual([]);
        await page.close();

        // A fresh page has no model; loading the files gives back the same weights: same seed, same text.
        const fresh = await context.newPage();
        const freshProblems = await openStudio(fresh, url);
        await fresh.getByLabel('Backend', { exact: true }).selectOption(run.backend);
        expect(await fresh.getByRole('button', { name: 'Generate', exact: true }).isDisabled()).toBe(true);
        await fresh.locator('#load').setInputFiles(paths);
        await expect
          .poll(() => fresh.locator('#status').textContent(), { timeout: 20_000 })
          .toBe(`Loaded a checkpoint (${run.steps} steps) onto ${run.backend}.`);
        expect(await generateText(fresh, 'HAMLET.', run.generate, 7)).toBe(text);
        expect(freshProblems).toEqual([]);
        await fresh.close();
        rmSync(folder, { recursive: true, force: true });
      },
      run.testTimeoutMs,
    );
  }
});
