import * as core from '@wattformer/core';
import '@wattformer/backend-wasm';
import * as tokenizerModule from '@wattformer/tokenizer';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as modelNode from './node';

describe('README, text generation section', () => {
  it('its snippet runs as written (against the source) and prints what it claims', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('## Text generation and model folders');
    expect(start).toBeGreaterThan(0);
    const snippet = /```js\n([\s\S]*?)```/.exec(readme.slice(start))![1]!;
    const folder = join(mkdtempSync(join(tmpdir(), 'wattformer-readme-')), 'tiny-run');
    const body = snippet
      .replace(/^import \{([^}]+)\} from '@wattformer\/core';$/m, 'const {$1} = core;')
      .replace(/^import '@wattformer\/backend-wasm';$/m, '')
      .replace(/^import \{([^}]+)\} from '@wattformer\/model(\/node)?';$/gm, 'const {$1} = model;')
      .replace(/^import \{([^}]+)\} from '@wattformer\/tokenizer';$/m, 'const {$1} = tokenizerModule;')
      .replaceAll("'tiny-run'", JSON.stringify(folder));
    expect(body).not.toContain('import ');
    const printed: unknown[][] = [];
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
    await new AsyncFunction('core', 'model', 'tokenizerModule', 'console', body)(core, modelNode, tokenizerModule, {
      log: (...args: unknown[]) => printed.push(args),
    });
    const chunks = printed.slice(0, -2).map(([chunk]) => chunk as string);
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((c) => typeof c === 'string' && c.length > 0)).toBe(true);
    expect(printed.slice(-2)).toEqual([[2], [true]]);
    expect(readdirSync(folder).sort()).toEqual([
      'config.json',
      'generation_config.json',
      'model.safetensors',
      'special_tokens_map.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    await core.setBackend('cpu');
  });
});
