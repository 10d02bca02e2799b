/** The README's first `js` snippet runs as written against the built package. */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireDist } from './dist-path';

describe('README', () => {
  it('has one js snippet that runs as written and prints an interval', async () => {
    requireDist('index.js');
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const snippet = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet).toBeDefined();
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', snippet ?? ''], { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    expect(output).toMatch(/^\d+\.\d t CO2e operational \(\d+\.\d–\d+\.\d t\), \d+\.\d t with embodied\n$/);
  });
});
