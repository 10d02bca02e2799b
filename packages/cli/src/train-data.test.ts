import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@wattformer/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, requireBuiltBin, tinyRunFlags } from './test-support/tiny-run';

// The built bin, as users run it: data → tokenizer → token file → GPT → a Hugging Face folder → text.
const bin = CLI_BIN;
let work: string;
const small = [...tinyRunFlags({ evalEvery: 10, checkpointEvery: 10 }), '--workers', '1'];
const wattformer = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
const json = (path: string) => JSON.parse(readFileSync(join(work, path), 'utf8')) as Record<string, unknown>;

const words = 'the king queen castle sword night day love war peace river mountain crown speaks rides falls rises'.split(' ');
function prose(seed: number, lines: number): string {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2 ** 31), x);
  return Array.from({ length: lines }, () => `${Array.from({ length: 10 }, () => words[next() % words.length]).join(' ')}.`).join('\n');
}

beforeAll(() => {
  requireBuiltBin('cli test');
  work = mkdtempSync(join(tmpdir(), 'wattformer-cli-data-'));
  mkdirSync(join(work, 'texts/more'), { recursive: true });
  writeFileSync(join(work, 'texts/a.txt'), prose(1, 150));
  writeFileSync(join(work, 'texts/b.txt'), prose(2, 150).replace(/\n/g, '\r\n'));
  writeFileSync(join(work, 'texts/more/c.md'), `# Notes\n${prose(3, 100)}`);
  writeFileSync(join(work, 'texts/ignored.csv'), 'not,read\n');
  writeFileSync(join(work, 'reviews.jsonl'), Array.from({ length: 120 }, (_, i) => JSON.stringify({ id: i, body: prose(i + 10, 3) })).join('\n'));
  writeFileSync(join(work, 'poems.txt'), '床前明月光，疑是地上霜。\n舉頭望明月，低頭思故鄉。\n'.repeat(60));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('wattformer train: any text, any tokenizer, a Hugging Face folder', () => {
  it('trains a BPE tokenizer on a folder of .txt/.md files, writes a model folder, and generate prints text from it', () => {
    const run = wattformer('train', '--data', 'texts', '--tokenizer', 'bpe:2000', '--steps', '30', '--out', 'run', ...small);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/data: texts \(3 files, /);
    expect(run.stdout).toMatch(/tokenizer: byte-level BPE, \d+ tokens, trained on the data/);
    expect(run.stdout).toMatch(/trained to step 30/);
    // The run folder is a Hugging Face model folder; training state is in its own subfolder.
    for (const file of [
      'config.json',
      'model.safetensors',
      'tokenizer.json',
      'tokenizer_config.json',
      'special_tokens_map.json',
      'generation_config.json',
      'report.html',
      'metrics.jsonl',
    ]) {
      expect(existsSync(join(work, 'run', file)), file).toBe(true);
    }
    const tokenizer = Tokenizer.fromJSON(readFileSync(join(work, 'run/tokenizer.json'), 'utf8'));
    const eos = tokenizer.tokenToId('<|endoftext|>');
    const config = json('run/config.json');
    expect(config.vocab_size).toBe(tokenizer.vocabSize);
    expect([config.bos_token_id, config.eos_token_id]).toEqual([eos, eos]);
    expect(json('run/tokenizer_config.json').eos_token).toBe('<|endoftext|>');
    const tokens = json('run/training_state/tokens.json');
    expect(tokens).toMatchObject({ format: 'wattformer-tokens', dtype: 'uint16', documents: 3, vocabSize: tokenizer.vocabSize });
    expect(statSync(join(work, 'run/training_state/tokens.bin')).size).toBe(2 * (tokens.tokens as number));
    // The token file holds the documents, each ended by <|endoftext|>, CRLF read as LF.
    // A small file's Buffer can be a view into Node's shared pool: copy exactly its own bytes.
    const file = readFileSync(join(work, 'run/training_state/tokens.bin'));
    const ids = new Uint16Array(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
    expect(ids.filter((id) => id === eos).length).toBe(3);
    expect(tokenizer.decode(Array.from(ids.subarray(0, ids.indexOf(eos!))))).toBe(prose(1, 150));

    const greedy = wattformer('generate', '--model', 'run', '--prompt', 'the king', '--max-new-tokens', '40', '--temperature', '0');
    expect(greedy.status, greedy.stderr).toBe(0);
    expect(greedy.stdout.startsWith('the king')).toBe(true);
    expect(greedy.stdout.length).toBeGreaterThan('the king\n'.length);
    const streamed = wattformer('generate', '--model', 'run', '--prompt', 'the king', '--max-new-tokens', '40', '--temperature', '0', '--stream');
    expect(streamed.stdout).toBe(greedy.stdout);
    // Past the context (16) by a sliding window.
    const long = wattformer('generate', '--model', 'run', '--prompt', 'the', '--max-new-tokens', '50', '--seed', '3');
    expect(long.status, long.stderr).toBe(0);
    expect(tokenizer.encode(long.stdout.trimEnd()).length).toBeGreaterThan(16);

    // The folder's tokenizer.json is a valid --tokenizer PATH for another run.
    const reuse = wattformer('train', '--data', 'texts/a.txt', '--tokenizer', 'run/tokenizer.json', '--steps', '2', '--out', 'run-reuse', ...small);
    expect(reuse.status, reuse.stderr).toBe(0);
    expect(json('run-reuse/config.json').vocab_size).toBe(tokenizer.vocabSize);
  }, 180_000);

  it('trains on Chinese: the Tang poems of chinese-poetry with BPE, and a character tokenizer on a Chinese file', () => {
    const run = wattformer('train', '--data', 'chinese-poetry', '--max-chars', '60000', '--tokenizer', 'bpe:800', '--steps', '10', '--out', 'tang', ...small);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Tang poems \(chinese-poetry npm package.*first 60,000 characters/);
    const poem = wattformer('generate', '--model', 'tang', '--prompt', '春眠', '--max-new-tokens', '20', '--stream');
    expect(poem.status, poem.stderr).toBe(0);
    expect(poem.stdout.startsWith('春眠')).toBe(true);
    const tokens = json('tang/training_state/tokens.json');
    expect(tokens.characters).toBe(60_000);
    expect(tokens.documents as number).toBeGreaterThan(100);

    const chars = wattformer('train', '--data', 'poems.txt', '--tokenizer', 'char', '--steps', '5', '--out', 'chars', ...small);
    expect(chars.status, chars.stderr).toBe(0);
    const tokenizer = Tokenizer.fromJSON(readFileSync(join(work, 'chars/tokenizer.json'), 'utf8'));
    // 16 distinct characters (Chinese, punctuation, newline) + <|endoftext|>, one token each.
    expect(tokenizer.vocabSize).toBe(new Set('床前明月光，疑是地上霜。\n舉頭望明月，低頭思故鄉。\n').size + 1);
    expect(tokenizer.encode('明月光')).toHaveLength(3);
    const text = wattformer('generate', '--model', 'chars', '--prompt', '明月', '--max-new-tokens', '8', '--temperature', '0');
    expect(text.status, text.stderr).toBe(0);
    expect([...text.stdout.trimEnd()].length).toBeGreaterThan(2);
    expect(text.stdout).toMatch(/^明月[床前明月光，疑是地上霜。\n舉頭望思故鄉]*$/);
  }, 180_000);

  it('reads .jsonl with --text-field, and tiktoken vocabularies with their own ids', () => {
    const missing = wattformer('train', '--data', 'reviews.jsonl', '--out', 'x', ...small);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(
      /^cli: --data: expected a string "text" field on every line of reviews.jsonl, got line 1 with id, body\nhelp: name the field with --text-field \(e.g. --text-field id\)/,
    );
    const run = wattformer('train', '--data', 'reviews.jsonl', '--text-field', 'body', '--tokenizer', 'r50k_base', '--steps', '2', '--out', 'r50k', ...small);
    expect(run.status, run.stderr).toBe(0);
    const config = json('r50k/config.json');
    expect([config.vocab_size, config.bos_token_id, config.eos_token_id]).toEqual([50257, 50256, 50256]);
    expect(json('r50k/training_state/tokens.json')).toMatchObject({ documents: 120, dtype: 'uint16' });
  }, 120_000);

  it('--max-seconds ends the run at the time budget, as at any end (checkpoint, model folder, report)', () => {
    const run = wattformer('train', '--data', 'texts/a.txt', '--tokenizer', 'char', '--steps', '1000000', '--max-seconds', '3', '--out', 'timed', ...small);
    expect(run.status, run.stderr).toBe(0);
    const [, steps] = /trained to step (\d+) \(time budget: 3 s\)/.exec(run.stdout) ?? [];
    expect(Number(steps)).toBeGreaterThan(0);
    expect(Number(steps)).toBeLessThan(1_000_000);
    expect(existsSync(join(work, 'timed/training_state/checkpoints', `step-${steps!.padStart(6, '0')}`))).toBe(true);
    expect(existsSync(join(work, 'timed/model.safetensors'))).toBe(true);
  }, 60_000);

  it('generates from a Hugging Face GPT-2 folder (save_pretrained) the greedy text transformers generates (--no-constrain-utf8), and well-formed text by default', () => {
    // Fixture of @wattformer/model: scripts/make-folder-fixtures.py (transformers 4.46.3, float64 greedy).
    const fixtures = new URL('../../model/src/__fixtures__/', import.meta.url).pathname;
    const expected = JSON.parse(readFileSync(join(fixtures, 'hf-gpt2-folder.json'), 'utf8')) as {
      greedy: { prompt: string; maxNewTokens: number; text: string }[];
    };
    const generate = (prompt: string, maxNewTokens: number, ...extra: string[]) =>
      wattformer(
        'generate',
        '--model',
        join(fixtures, 'hf-gpt2-folder'),
        '--prompt',
        prompt,
        '--max-new-tokens',
        String(maxNewTokens),
        '--temperature',
        '0',
        ...extra,
      );
    // The tiny random GPT-2's greedy bytes are ill-formed UTF-8 somewhere in these samples.
    expect(expected.greedy.some(({ text }) => text.includes('\uFFFD'))).toBe(true);
    for (const { prompt, maxNewTokens, text } of expected.greedy) {
      const exact = generate(prompt, maxNewTokens, '--no-constrain-utf8');
      expect(exact.status, exact.stderr).toBe(0);
      expect(exact.stdout).toBe(`${prompt}${text}\n`);
      // By default: no U+FFFD, and the same text as transformers up to its first ill-formed byte.
      const constrained = generate(prompt, maxNewTokens);
      expect(constrained.status, constrained.stderr).toBe(0);
      expect(constrained.stdout).not.toContain('\uFFFD');
      const firstBad = text.indexOf('\uFFFD');
      expect(constrained.stdout.startsWith(`${prompt}${firstBad < 0 ? text : text.slice(0, firstBad)}`)).toBe(true);
    }
  }, 60_000);

  it('refuses data too small for the context, with help', () => {
    writeFileSync(join(work, 'tiny.txt'), 'hi');
    const tiny = wattformer('train', '--data', 'tiny.txt', '--tokenizer', 'char', '--out', 'tiny', ...small);
    expect(tiny.status).toBe(2);
    expect(tiny.stderr).toMatch(
      /^cli: --data: expected at least 170 tokens \(10% of them validate, in windows of --context \+ 1 = 17\), got 3 tokens\nhelp: use more text/m,
    );
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const none = wattformer('train', '--data', 'empty', '--out', 'x');
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^cli: --data: expected a folder with .txt, .md or .jsonl files, got 'empty' with none\nhelp:/);
  }, 60_000);
});
