import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as tokenizerPackage from './index';

describe('README', () => {
  it('its snippet runs as written (against the source) and prints what it claims', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const snippet = /```js\n([\s\S]*?)```/.exec(readme)![1]!;
    const body = snippet.replace(/^import \{([^}]+)\} from '@wattformer\/tokenizer';$/m, 'const {$1} = pkg;');
    expect(body).not.toContain('import ');
    const printed: unknown[][] = [];
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
    await new AsyncFunction('pkg', 'console', body)(tokenizerPackage, { log: (...args: unknown[]) => printed.push(args) });
    expect(printed).toHaveLength(2);
    const [ids, text, count] = printed[0] as [number[], string, number];
    expect(text).toBe('Hello, world! 👋');
    expect(count).toBe(ids.length);
    const [trainedIds, vocabSize] = printed[1] as [number[], number];
    expect(trainedIds[trainedIds.length - 1]).toBe(vocabSize - 1); // the special token comes last
  });
});
