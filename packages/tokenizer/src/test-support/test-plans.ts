import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface TestPlanCase {
  readonly encoding: string;
  readonly sample: string;
  readonly expected: number[];
}

/** gpt-tokenizer's `data/TestPlans.txt`: blocks of EncodingName / Sample / Encoded. */
export function loadTestPlans(): TestPlanCase[] {
  const require = createRequire(import.meta.url);
  const file = join(dirname(require.resolve('gpt-tokenizer/package.json')), 'data', 'TestPlans.txt');
  const lines = readFileSync(file, 'utf8').split('\n');
  const cases: TestPlanCase[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('EncodingName: ')) continue;
    const sample = lines[i + 1]!;
    const encoded = lines[i + 2]!;
    if (!sample.startsWith('Sample: ') || !encoded.startsWith('Encoded: ')) {
      throw new Error(`TestPlans.txt: unexpected block at line ${i + 1}`);
    }
    cases.push({
      encoding: line.slice('EncodingName: '.length).trim(),
      sample: sample.slice('Sample: '.length),
      expected: JSON.parse(encoded.slice('Encoded: '.length)) as number[],
    });
    i += 2;
  }
  return cases;
}
