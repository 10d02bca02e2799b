import * as core from '@wattformer/core';
import '@wattformer/backend-wasm';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as modelNode from './node';

describe('README', () => {
  it('its snippet runs as written (against the source) and prints what it claims', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const snippet = /```js\n([\s\S]*?)```/.exec(readme)![1]!;
    const folder = join(mkdtempSync(join(tmpdir(), 'wattformer-readme-')), 'tiny-gpt');
    const body = snippet
      .replace(/^import \{([^}]+)\} from '@wattformer\/core';$/m, 'const {$1} = core;')
      .replace(/^import '@wattformer\/backend-wasm';$/m, '')
      .replace(/^import \{([^}]+)\} from '@wattformer\/model(\/node)?';$/gm, 'const {$1} = model;')
      .replaceAll("'tiny-gpt'", JSON.stringify(folder));
    expect(body).not.toContain('import ');
    const printed: unknown[][] = [];
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
    await new AsyncFunction('core', 'model', 'console', body)(core, modelNode, { log: (...args: unknown[]) => printed.push(args) });
    expect(core.getBackendName()).toBe('wasm');
    expect(printed).toHaveLength(9);
    expect(printed.slice(0, 8).every(([token]) => Number.isInteger(token) && (token as number) >= 0 && (token as number) < 256)).toBe(true);
    expect(printed[8]).toEqual([8, 'length']);
    await core.setBackend('cpu');
  });
});
