import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as corePackage from './index';

/**
 * Runs every ```js snippet of the README against the source. In the ops snippet each
 * `console.log(...); // X` must print JSON X, and each `t.print();` must print the comment lines
 * that follow it, so the README shows what the code really prints.
 */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const snippets = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);

function expectations(snippet: string): string[] {
  const lines = snippet.split('\n');
  const expected: string[] = [];
  lines.forEach((line, i) => {
    const logged = /^console\.log\(.*\); \/\/ (.+)$/.exec(line);
    if (logged) expected.push(logged[1]!);
    if (/\.print\(\);$/.test(line)) {
      const block: string[] = [];
      for (let j = i + 1; lines[j]?.startsWith('// '); j++) block.push(lines[j]!.slice(3));
      expected.push(block.join('\n'));
    }
  });
  return expected;
}

async function run(snippet: string): Promise<string[]> {
  const body = snippet.replace(/^import \{([^}]+)\} from '@wattformer\/core';$/m, 'const {$1} = pkg;');
  expect(body).not.toContain('import ');
  const printed: string[] = [];
  const capture = { log: (...args: unknown[]) => printed.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')) };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  const original = console.log;
  console.log = capture.log; // t.print() writes through the global console
  try {
    await new AsyncFunction('pkg', 'console', body)(corePackage, capture);
  } finally {
    console.log = original;
  }
  return printed;
}

describe('README', () => {
  it('has the training snippet and the ops snippet', () => {
    expect(snippets).toHaveLength(2);
  });

  // First: its memory() figure counts the tensors of a fresh process.
  it('the training snippet runs and converges as its comments say', async () => {
    const printed = await run(snippets[0]!);
    expect(printed[0]).toBe(JSON.stringify({ 0: -7, 1: -14 }));
    expect(printed[1]).toBe('0.000000 4');
  });

  it('the ops snippet prints exactly what its comments say', async () => {
    const snippet = snippets[1]!;
    const expected = expectations(snippet);
    expect(expected.length).toBeGreaterThanOrEqual(8);
    expect(await run(snippet)).toEqual(expected);
  });
});
