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
      execFile(
        process.execPath,
        ['--input-type=module', '-e', snippet ?? ''],
        { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
    expect(output).toMatch(/^\d+\.\d t CO2e operational \(\d+\.\d–\d+\.\d t\), \d+\.\d t with embodied\n$/);
  });
});

describe('README CLI outputs', () => {
  async function cli(...argv: string[]): Promise<string> {
    const { runCli } = await import('./cli/program');
    let out = '';
    const code = await runCli(argv, { stdout: (t) => void (out += t), stderr: (t) => void (out += t), cwd: process.cwd() });
    expect(code).toBe(0);
    return out;
  }
  const block = (readme: string, after: string) => {
    const start = readme.indexOf('```text\n', readme.indexOf(after)) + '```text\n'.length;
    return readme.slice(start, readme.indexOf('```', start));
  };

  it('the accounting example and the compare table are what the CLI prints now', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    expect(block(readme, 'The first prints (exit 0):')).toBe(
      await cli('estimate', '--hardware', 'a100-80gb', '--devices', '8', '--hours', '24', '--region', 'FR'),
    );
    expect(block(readme, 'ranks them by operational CO2e with intervals')).toBe(
      await cli('compare', '--params', '7B', '--tokens', '2T', '--hardware', 'h100,a100-80gb,v100', '--regions', 'US,FR,DE', '--devices', '256'),
    );
  });
});
