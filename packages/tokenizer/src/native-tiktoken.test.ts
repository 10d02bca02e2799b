import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chinesePoetry } from '../bench/chinese-corpus';
import { getEncoding } from './get-encoding';
import { findBuiltInPattern } from './pre-tokenizers/patterns';
import { MIXED_SCRIPT_LINES } from './test-support/corpus';

/**
 * Same ids as native tiktoken (Rust core, Python API) on Chinese, when it is installed
 * (packages/tokenizer/scripts/setup-tiktoken-python.sh; CI does not install it). The WASM build
 * of the same Rust core is checked in parity.test.ts on every run.
 */
const here = dirname(fileURLToPath(import.meta.url));
const python = join(here, '../../../.tmp/tiktoken-venv/bin/python');
const available = existsSync(python);
if (!available) console.log(`native tiktoken test skipped: no ${python} (run packages/tokenizer/scripts/setup-tiktoken-python.sh)`);

describe.skipIf(!available)('ids identical to native tiktoken (PyPI)', () => {
  for (const name of ['cl100k_base', 'o200k_base'] as const) {
    it(`${name}: 40 kB of Tang poems and mixed-script lines`, async () => {
      const encoding = await getEncoding(name);
      const spec = ((await import(`./encodings/${name}.ts`)) as { default: { pattern: string; specialTokens: Record<string, number> } }).default;
      const dir = mkdtempSync(join(tmpdir(), 'native-tiktoken-'));
      const text = `${chinesePoetry(40_000)}\n${MIXED_SCRIPT_LINES.join('\n')}`;
      writeFileSync(join(dir, 'text.txt'), text);
      const dataDir = join(dirname(createRequire(import.meta.url).resolve('gpt-tokenizer/package.json')), 'data');
      const commands = [
        { cmd: 'load', name, ranks: join(dataDir, `${name}.tiktoken`), pattern: findBuiltInPattern(spec.pattern)!.source, special: spec.specialTokens },
        { cmd: 'encode', name, file: join(dir, 'text.txt'), cold: false, ids_out: join(dir, 'ids.bin') },
      ];
      const run = spawnSync(python, [join(here, '../bench/tiktoken_native.py')], {
        input: commands.map((c) => JSON.stringify(c)).join('\n') + '\n',
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      const native = Array.from(new Uint32Array(new Uint8Array(readFileSync(join(dir, 'ids.bin'))).buffer));
      expect(native.length).toBeGreaterThan(10_000);
      expect(encoding.encode(text)).toEqual(native);
    });
  }
});
