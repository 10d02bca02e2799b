/**
 * Drives the studio page in Chromium the way a person would: through its labelled controls,
 * reading results back from the DOM (`data-value` attributes hold the unrounded numbers).
 * Waits with Playwright only (no vitest), so scripts/docs-screenshot.ts uses it too.
 */
import type { Page } from 'playwright-core';

export interface RunOptions {
  readonly backend: 'wasm' | 'webgpu';
  readonly modelSize: 'tiny' | 'micro';
  /** Default: the page's (Shakespeare). */
  readonly corpus?: 'shakespeare' | 'tang-poems';
  /** Default: the page's (characters). */
  readonly tokenizer?: { readonly kind: 'char' } | { readonly kind: 'bpe'; readonly vocabSize: number };
  readonly steps: number;
  readonly learningRate: number;
  readonly sampleEvery: number;
  readonly timeoutMs: number;
}

export async function openStudio(page: Page, url: string): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(`${url}/index.html`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'Ready.', null, { timeout: 30_000 });
  return problems;
}

export async function numberOf(page: Page, selector: string, attribute = 'data-value'): Promise<number> {
  const value = await page.locator(selector).getAttribute(attribute);
  if (value === null) throw new Error(`studio test: expected ${selector}[${attribute}], got none`);
  return Number(value);
}

export async function train(page: Page, options: RunOptions): Promise<void> {
  await page.getByLabel('Backend', { exact: true }).selectOption(options.backend);
  await page.getByLabel('Model size', { exact: true }).selectOption(options.modelSize);
  if (options.corpus === 'tang-poems') await page.getByLabel('Tang poems', { exact: false }).check();
  if (options.corpus === 'shakespeare') await page.getByLabel('Shakespeare', { exact: false }).check();
  if (options.tokenizer) {
    await page.getByLabel('Tokenizer', { exact: true }).selectOption(options.tokenizer.kind);
    if (options.tokenizer.kind === 'bpe') await page.getByLabel('BPE vocabulary', { exact: true }).fill(String(options.tokenizer.vocabSize));
  }
  await page.getByLabel('Steps', { exact: true }).fill(String(options.steps));
  await page.getByLabel('Learning rate', { exact: true }).fill(String(options.learningRate));
  await page.getByLabel('Sample every (steps)').fill(String(options.sampleEvery));
  await page.getByRole('button', { name: 'Start training' }).click();
  const done = `Done: ${options.steps} steps.`;
  await page.waitForFunction(
    (expected) => {
      const status = document.getElementById('status');
      return status?.textContent === expected || status?.dataset.state === 'error';
    },
    done,
    { timeout: options.timeoutMs, polling: 250 },
  );
  const status = page.locator('#status');
  if ((await status.getAttribute('data-state')) === 'error') throw new Error(`studio test: training failed: ${await status.textContent()}`);
}

/** Counts pixels of the chart's canvas within a small distance of `rgb`. */
export async function chartPixels(page: Page, rgb: [number, number, number]): Promise<{ matching: number; total: number }> {
  return page.evaluate((target) => {
    const canvas = document.querySelector<HTMLCanvasElement>('#chart canvas');
    if (!canvas) return { matching: 0, total: 0 };
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let matching = 0;
    for (let i = 0; i < data.length; i += 4) {
      const distance = Math.abs(data[i]! - target[0]) + Math.abs(data[i + 1]! - target[1]) + Math.abs(data[i + 2]! - target[2]);
      if (data[i + 3]! > 200 && distance < 60) matching++;
    }
    return { matching, total: data.length / 4 };
  }, rgb);
}

export async function generateText(page: Page, prompt: string, tokens: number, seed: number): Promise<string> {
  return (await generateStreamed(page, prompt, tokens, seed)).text;
}

/**
 * Generates and records what the page showed while it streamed: the text of the output after
 * every DOM change (a MutationObserver, so no update is missed between polls).
 */
export async function generateStreamed(page: Page, prompt: string, tokens: number, seed: number): Promise<{ text: string; shown: string[] }> {
  await page.locator('#generated').evaluate((element) => {
    element.textContent = '';
    delete element.dataset.state;
    const shown: string[] = [];
    (window as unknown as { __shown: string[] }).__shown = shown;
    const observer = new MutationObserver(() => {
      shown.push(element.textContent ?? '');
      if (element.dataset.state === 'done') observer.disconnect();
    });
    observer.observe(element, { childList: true, characterData: true, subtree: true, attributes: true });
  });
  await page.getByLabel('Prompt', { exact: true }).fill(prompt);
  await page.getByLabel('New tokens', { exact: true }).fill(String(tokens));
  await page.getByLabel('Seed', { exact: true }).fill(String(seed));
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.waitForFunction(() => document.getElementById('generated')?.dataset.state === 'done', null, { timeout: 60_000, polling: 100 });
  const shown = await page.evaluate(() => (window as unknown as { __shown: string[] }).__shown);
  return { text: (await page.getByLabel('Generated text').textContent()) ?? '', shown };
}
