import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setBackend } from '@wattformer/core';
import { decodeSafetensors, loadLoraAdapter } from '@wattformer/model/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, requireBuiltBin } from './test-support/tiny-run';

// The built bin, as users run it (turbo builds before tests).
const bin = CLI_BIN;
let work: string;
const wattformer = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
const lines = (path: string) =>
  readFileSync(join(work, path), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, number>);
const sha = (path: string) =>
  createHash('sha256')
    .update(readFileSync(join(work, path)))
    .digest('hex');
const tiny = ['--steps', '6', '--batch', '8', '--eval-every', '3', '--max-length', '24', '--train-size', '48', '--test-size', '16'];

beforeAll(() => {
  requireBuiltBin('cli test');
  work = mkdtempSync(join(tmpdir(), 'wattformer-finetune-'));
  // A labelled JSONL file whose characters all occur in the pretraining text below.
  const good = ['a good play, well acted', 'the best of them all', 'noble and good'];
  const bad = ['a dull play, badly acted', 'the worst of them all', 'dull and ill made'];
  const rows = Array.from({ length: 40 }, (_, i) => [
    { text: `${good[i % 3]} ${i}`, label: 1 },
    { text: `${bad[i % 3]} ${i}`, label: 0 },
  ]).flat();
  writeFileSync(join(work, 'reviews.jsonl'), rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  writeFileSync(join(work, 'text.txt'), `${[...good, ...bad].join('. ')} 0123456789. `.repeat(30));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('wattformer finetune', () => {
  it('from scratch on IMDB (full): progress, metrics.jsonl with test accuracy, final-metrics.json, the head and the fine-tuned backbone', async () => {
    const run = wattformer('finetune', '--out', 'scratch', '--d-model', '16', '--heads', '2', '--vocab-size', '300', ...tiny);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/IMDB reviews \(Maas et al\., ACL 2011/);
    expect(run.stderr).toMatch(/finetune \|.*\| step 6\/6 \| loss [\d.]+ \| test acc [\d.]+%/); // cli-progress draws on stderr
    expect(run.stdout).toMatch(/test accuracy \d+\.\d\d%, F1 [\d.]+ on 16 examples/);
    const metrics = lines('scratch/metrics.jsonl');
    expect(metrics.filter((m) => 'loss' in m).map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(metrics.filter((m) => 'testAccuracy' in m).map((m) => m.step)).toEqual([3, 6]);
    const final = JSON.parse(readFileSync(join(work, 'scratch/final-metrics.json'), 'utf8')) as {
      mode: string;
      steps: number;
      test: { examples: number; accuracy: number; confusion: number[][] };
      carbon: { co2eKg: number };
    };
    expect(final.mode).toBe('full');
    expect(final.test.examples).toBe(16);
    expect(final.test.confusion.flat().reduce((a, b) => a + b, 0)).toBe(16);
    expect(final.test.accuracy).toBe(metrics.at(-1)!.testAccuracy);
    expect(final.carbon.co2eKg).toBeGreaterThan(0);
    // The output is a GPT2ForSequenceClassification folder: backbone + score.weight, labels, pad token.
    const weights = decodeSafetensors(readFileSync(join(work, 'scratch/model.safetensors'))).tensors;
    expect(weights.get('score.weight')!.shape).toEqual([2, 16]);
    expect(weights.get('transformer.wte.weight')!.shape[1]).toBe(16);
    const config = JSON.parse(readFileSync(join(work, 'scratch/config.json'), 'utf8')) as Record<string, unknown>;
    const tokenizer = JSON.parse(readFileSync(join(work, 'scratch/tokenizer.json'), 'utf8')) as { added_tokens: { id: number; content: string }[] };
    expect(config).toMatchObject({
      architectures: ['GPT2ForSequenceClassification'],
      id2label: { 0: 'negative', 1: 'positive' },
      label2id: { negative: 0, positive: 1 },
      n_embd: 16,
    });
    expect(config.pad_token_id).toBe(tokenizer.added_tokens.find((t) => t.content === '<|endoftext|>')!.id);
    expect(JSON.parse(readFileSync(join(work, 'scratch/tokenizer_config.json'), 'utf8'))).toMatchObject({
      pad_token: '<|endoftext|>',
      tokenizer_class: 'PreTrainedTokenizerFast',
    });
    expect(existsSync(join(work, 'scratch/carbon-report.html'))).toBe(true);
  }, 180_000);

  it('from a `wattformer train` run: frozen keeps the run untouched and saves the head; lora saves a SEQ_CLS adapter', async () => {
    const train = wattformer(
      'train',
      '--data',
      'text.txt',
      '--out',
      'run',
      '--steps',
      '3',
      '--layers',
      '1',
      '--d-model',
      '16',
      '--heads',
      '2',
      '--context',
      '32',
      '--batch',
      '4',
      '--checkpoint-every',
      '3',
      '--workers',
      '1',
    );
    expect(train.status, train.stderr).toBe(0);
    const checkpoint = 'run/model.safetensors';
    const before = sha(checkpoint);
    const frozen = wattformer('finetune', '--model', 'run', '--data', 'reviews.jsonl', '--mode', 'frozen', '--out', 'frozen', ...tiny);
    expect(frozen.status, frozen.stderr).toBe(0);
    expect(frozen.stdout).toMatch(/mode frozen \(32 trainable\)/); // score.weight [2, 16]
    expect(sha(checkpoint)).toBe(before);
    // Frozen: the output folder holds the run's backbone unchanged, and the trained head.
    const frozenWeights = decodeSafetensors(readFileSync(join(work, 'frozen/model.safetensors'))).tensors;
    const runWeights = decodeSafetensors(readFileSync(join(work, 'run/model.safetensors'))).tensors;
    expect(frozenWeights.get('transformer.h.0.attn.c_attn.weight')!.data).toEqual(runWeights.get('transformer.h.0.attn.c_attn.weight')!.data);
    expect(frozenWeights.get('score.weight')!.shape).toEqual([2, 16]);
    expect(JSON.parse(readFileSync(join(work, 'frozen/config.json'), 'utf8'))).toMatchObject({ id2label: { 0: 'LABEL_0', 1: 'LABEL_1' } });
    const lora = wattformer('finetune', '--model', 'run', '--data', 'reviews.jsonl', '--mode', 'lora', '--lora-rank', '2', '--out', 'lora', ...tiny);
    expect(lora.status, lora.stderr).toBe(0);
    const config = JSON.parse(readFileSync(join(work, 'lora/adapter/adapter_config.json'), 'utf8')) as { r: number; task_type: string };
    expect(config).toMatchObject({ r: 2, task_type: 'SEQ_CLS' });
    await setBackend('cpu');
    expect((await loadLoraAdapter(join(work, 'lora/adapter'))).parameters.size).toBe(8); // A and B for attn.c_attn, attn.c_proj, mlp.c_fc, mlp.c_proj
  }, 180_000);

  it.each([
    [['--mode', 'partial'], /^cli: --mode: expected one of full, frozen, lora, got 'partial'/],
    [['--steps', '0'], /^cli: --steps: expected a positive integer, got 0/],
    [['--lr', '-1'], /^cli: --lr: expected a number > 0, got -1/],
    [['--pooling', 'max'], /^cli: --pooling: expected one of mean, last, got 'max'/],
    [
      ['--model', 'nowhere'],
      /^cli: --model: expected a model folder \(config.json, model.safetensors, tokenizer.json\), got 'nowhere' without config.json\nhelp: pass the --out folder of `wattformer train`/m,
    ],
    [['--data', 'missing.jsonl'], /expected --data to be "imdb" or a readable JSONL file of \{"text", "label"\}, got missing.jsonl/],
    [['--train-size', '47'], /expected trainSize to be a positive multiple of the 2 labels, got 47/],
  ])(
    'refuses %j with a clear error (exit 2)',
    (args, message) => {
      const result = wattformer('finetune', '--out', 'bad', ...tiny, ...args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
    },
    60_000,
  );
});
