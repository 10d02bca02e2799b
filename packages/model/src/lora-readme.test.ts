import * as core from '@wattformer/core';
import '@wattformer/backend-wasm';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as modelNode from './node';

describe('README, LoRA section', () => {
  it('its snippet runs as written (against the source): the loss falls, the adapter saves, loads and merges', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## LoRA adapters'));
    const snippet = /```js\n([\s\S]*?)```/.exec(section)![1]!;
    const folder = join(mkdtempSync(join(tmpdir(), 'wattformer-lora-readme-')), 'my-adapter');
    const body = snippet
      .replace(/^import \{([^}]+)\} from '@wattformer\/core';$/m, 'const {$1} = core;')
      .replace(/^import '@wattformer\/backend-wasm';$/m, '')
      .replace(/^import \{([^}]+)\} from '@wattformer\/model(\/node)?';$/gm, 'const {$1} = model;')
      .replaceAll("'my-adapter'", JSON.stringify(folder));
    expect(body).not.toContain('import ');
    const printed: unknown[][] = [];
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
    await new AsyncFunction('core', 'model', 'console', body)(core, modelNode, { log: (...args: unknown[]) => printed.push(args) });
    expect(printed.slice(0, 3).map(([step]) => step)).toEqual([1, 2, 3]);
    const losses = printed.slice(0, 3).map(([, loss]) => loss as number);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[2]!).toBeLessThan(losses[0]!);
    expect(printed[3]).toEqual([true]);
    expect(existsSync(join(folder, 'adapter_model.safetensors')) && existsSync(join(folder, 'adapter_config.json'))).toBe(true);
    await core.setBackend('cpu');
  });
});
