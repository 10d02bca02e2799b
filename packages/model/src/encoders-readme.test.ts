import * as core from '@wattformer/core';
import '@wattformer/backend-wasm';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as modelNode from './node';

/** Runs the first ```js block after `heading` in the README against the source; returns what it printed. */
async function runSnippet(heading: string): Promise<unknown[][]> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf(heading);
  expect(start).toBeGreaterThan(0);
  const snippet = /```js\n([\s\S]*?)```/.exec(readme.slice(start))![1]!;
  const body = snippet
    .replace(/^import \{([^}]+)\} from '@wattformer\/core';$/m, 'const {$1} = core;')
    .replace(/^import '@wattformer\/backend-wasm';$/m, '')
    .replace(/^import \{([^}]+)\} from '@wattformer\/model(\/node)?';$/gm, 'const {$1} = model;');
  expect(body).not.toContain('import ');
  const printed: unknown[][] = [];
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  await new AsyncFunction('core', 'model', 'console', body)(core, modelNode, { log: (...args: unknown[]) => printed.push(args) });
  expect(core.getBackendName()).toBe('wasm');
  await core.setBackend('cpu');
  return printed;
}

describe('README, encoder sections', () => {
  it('the BERT snippet runs as written and prints what its comments claim', async () => {
    const printed = await runSnippet('## BERT-style encoder');
    expect(printed).toEqual([[[2, 2]], [[], 36], [[]]]);
  });

  it('the encoder-decoder snippet runs as written and prints what its comments claim', async () => {
    const printed = await runSnippet('## Encoder-decoder Transformer');
    expect(printed).toEqual([[[]], [2, true]]);
  });
});
