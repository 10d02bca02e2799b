import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('runs its snippet as written (built package, wasm backend) and the loss falls', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const snippet = /```js\n([\s\S]*?)```/.exec(readme)![1]!;
    const file = new URL('../readme-snippet.tmp.mjs', import.meta.url); // inside the package so imports resolve
    writeFileSync(file, snippet);
    try {
      const out = execFileSync(process.execPath, [file.pathname], { encoding: 'utf8' });
      const losses = [...out.matchAll(/loss (\d+\.\d+)/g)].map((m) => Number(m[1]));
      expect(losses.length).toBe(5);
      expect(losses[4]!).toBeLessThan(losses[0]!);
      expect(out).toMatch(/^steps \d/m);
    } finally {
      rmSync(file, { force: true });
    }
  }, 60_000);
});
