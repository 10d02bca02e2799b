import { setBackend, type Tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { initGptParameters, type GptConfig } from '@wattformer/model';
import { trainBpe } from '@wattformer/tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImdb } from '../data/imdb';
import { encodeExamples, type EncodedExample } from './classification-batches';
import { finetuneClassifier } from './finetune-classifier';
import { setupGptFinetune } from './gpt-finetune-setup';
import { balancedSplit } from './labelled-data';

const snapshot = (parameters: ReadonlyMap<string, Tensor>) =>
  new Map([...parameters].map(([name, t]) => [name, Float32Array.from(t.dataSync() as Float32Array)]));
const changed = (before: Map<string, Float32Array>, parameters: ReadonlyMap<string, Tensor>) =>
  [...before]
    .filter(([name, values]) => {
      const now = parameters.get(name)!.dataSync();
      return values.some((v, i) => !Object.is(v, now[i]));
    })
    .map(([name]) => name);

let train: EncodedExample[];
let test: EncodedExample[];
let config: GptConfig;

beforeAll(async () => {
  await setBackend('wasm');
  // A small seeded IMDB subset: 960 training and 240 test reviews, a 2,048-token BPE vocabulary
  // trained on the (lowercased) training texts, the first 64 tokens of each review.
  const split = balancedSplit(await readImdb(), { trainSize: 960, testSize: 240, seed: 1 });
  const lower = (text: string) => text.toLowerCase();
  const tokenizer = await trainBpe(
    split.train.map((e) => lower(e.text)),
    { vocabSize: 2048 },
  );
  const encode = (text: string) => tokenizer.encode(lower(text));
  train = encodeExamples(split.train, encode, { maxLength: 64 });
  test = encodeExamples(split.test, encode, { maxLength: 64 });
  config = { vocabSize: tokenizer.vocabSize, contextLength: 64, modelDim: 32, layers: 1, heads: 2, mlpDim: 128, tiedEmbeddings: true };
}, 120_000);

describe('finetuneClassifier on IMDB (wasm)', () => {
  it('full fine-tuning from scratch beats chance on held-out reviews by a margin chance cannot reach', async () => {
    const setup = setupGptFinetune(initGptParameters(config, 1), config, { mode: 'full', numLabels: 2, seed: 1 });
    const events: string[] = [];
    const result = await finetuneClassifier({
      classifier: setup.classifier,
      trainable: setup.trainable,
      train,
      steps: 60,
      batchSize: 32,
      seed: 1,
      optimizer: { kind: 'adamw', learningRate: 3e-3, weightDecay: 0.01 },
      evaluation: { examples: test, every: 30, batchSize: 60 },
      onEvent: (event) => void events.push(event.type),
    });
    const final = result.final!;
    console.log(
      `tiny IMDB fine-tune: accuracy ${final.accuracy.toFixed(3)}, F1 ${final.f1.toFixed(3)}, loss ${final.loss.toFixed(3)}, ${result.epochs.toFixed(2)} epochs`,
    );
    expect(result.evaluations.map((e) => e.step)).toEqual([30, 60]);
    expect(events.filter((type) => type === 'classification-eval')).toHaveLength(2);
    expect(final.examples).toBe(240);
    expect(final.confusion.flat().reduce((a, b) => a + b, 0)).toBe(240);
    // A balanced test set of 240: a classifier no better than chance scores 0.5 ± 0.032 (1 σ);
    // 0.6 is 3.1 σ above it (one-sided p < 0.001). (Seeded and deterministic: it gives 0.667 on wasm.)
    expect(final.accuracy).toBeGreaterThan(0.6);
    expect(final.f1).toBeGreaterThan(0.55);
    expect(final.loss).toBeLessThan(Math.log(2));
  }, 300_000);

  it('frozen mode trains only the head: every backbone parameter stays bit-identical', async () => {
    const backbone = initGptParameters(config, 2);
    const before = snapshot(backbone);
    const setup = setupGptFinetune(backbone, config, { mode: 'frozen', numLabels: 2, seed: 2 });
    expect([...setup.trainable.keys()]).toEqual(['score.weight']);
    const head = Float32Array.from(setup.head.dataSync() as Float32Array);
    await finetuneClassifier({ classifier: setup.classifier, trainable: setup.trainable, train: train.slice(0, 64), steps: 4, batchSize: 16, seed: 1 });
    expect(changed(before, backbone)).toEqual([]);
    expect(head.some((v, i) => v !== setup.head.dataSync()[i])).toBe(true);
  }, 120_000);

  it('lora mode updates only the adapter matrices and the head; the backbone stays bit-identical', async () => {
    const backbone = initGptParameters(config, 3);
    const before = snapshot(backbone);
    const setup = setupGptFinetune(backbone, config, { mode: 'lora', numLabels: 2, seed: 3, lora: { rank: 4, alpha: 8 } });
    const adapterNames = [...setup.adapter!.parameters.keys()];
    expect(adapterNames).toContain('base_model.model.transformer.h.0.attn.c_attn.lora_A.weight');
    expect([...setup.trainable.keys()]).toEqual([...adapterNames, 'score.weight']);
    const trainableBefore = snapshot(setup.trainable);
    await finetuneClassifier({ classifier: setup.classifier, trainable: setup.trainable, train: train.slice(0, 64), steps: 4, batchSize: 16, seed: 1 });
    expect(changed(before, backbone)).toEqual([]);
    // Every B (zero at the start) and the head moved.
    const moved = changed(trainableBefore, setup.trainable);
    expect(moved).toEqual(expect.arrayContaining([...adapterNames.filter((n) => n.includes('lora_B')), 'score.weight']));
  }, 120_000);

  it('refuses bad settings with clear errors', async () => {
    const backbone = initGptParameters(config, 4);
    expect(() => setupGptFinetune(backbone, config, { mode: 'partial' as 'full', numLabels: 2, seed: 1 })).toThrow(
      /trainer: finetune: expected mode among full, frozen, lora, got 'partial'/,
    );
    const setup = setupGptFinetune(backbone, config, { mode: 'full', numLabels: 2, seed: 1 });
    const base = { classifier: setup.classifier, trainable: setup.trainable, train: train.slice(0, 32), batchSize: 16, seed: 1 };
    await expect(finetuneClassifier({ ...base, steps: 0 })).rejects.toThrow(/trainer: train: expected steps to be a positive integer, got 0/);
    await expect(finetuneClassifier({ ...base, steps: 2, batchSize: 64 })).rejects.toThrow(/at least batchSize = 64 examples, got 32/);
    await expect(finetuneClassifier({ ...base, steps: 2, optimizer: { kind: 'adamw', learningRate: -1 } })).rejects.toThrow(
      /positive finite learningRate, got -1/,
    );
    await expect(finetuneClassifier({ ...base, steps: 2, trainable: new Map() })).rejects.toThrow(/at least one trainable parameter/);
    await expect(finetuneClassifier({ ...base, steps: 2, train: [{ tokens: Int32Array.from([1]), label: 5 }, ...base.train] })).rejects.toThrow(
      /labels in 0 … 1 \(the classifier's numLabels\), got 5/,
    );
    await expect(finetuneClassifier({ ...base, steps: 2, evaluation: { examples: test, every: 0 } })).rejects.toThrow(
      /evaluation.every to be a positive integer, got 0/,
    );
  }, 120_000);
});
