import { readFileSync } from 'node:fs';
import * as core from '@wattformer/core';
import { describe, expect, it } from 'vitest';
import './index';

describe('README', () => {
  it('its snippet runs as written (against the source) and prints what it claims', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const snippet = /```js\n([\s\S]*?)```/.exec(readme)![1]!;
    const body = snippet
      .replace(/^import \{([^}]+)\} from '@wattformer\/core';$/m, 'const {$1} = core;')
      .replace(/^import '@wattformer\/backend-webgpu';.*$/m, '');
    expect(body).not.toContain('import ');
    const printed: unknown[][] = [];
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
    try {
      await new AsyncFunction('core', 'console', body)(core, { log: (...args: unknown[]) => printed.push(args) });
    } finally {
      await core.setBackend('cpu');
    }
    expect(printed).toEqual([[Float32Array.of(3, 7)]]);
  });
});
