import { setBackend, softmaxCrossEntropy, tensor, tidy, valueAndGrad, type Tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadGptCheckpoint } from './checkpoint-node';
import { createGptClassifier, gptClassifierLogits, initGptClassifierHead, poolHiddenStates } from './gpt-classifier';
import { gptHiddenStates } from './gpt';
import { relativeError } from './test-utils';

interface Fixture {
  lengths: number[];
  tokens: number[];
  labels: number[];
  scoreWeight: { shape: number[]; data: number[] };
  logits: number[];
  loss: number;
  gradients: Record<string, number[]>;
}

const fixtures = new URL('./__fixtures__/', import.meta.url);
const fixture = JSON.parse(readFileSync(new URL('gpt2-classifier-torch.json', fixtures), 'utf8')) as Fixture;

async function tinyClassifier() {
  const { config, parameters } = await loadGptCheckpoint(fileURLToPath(new URL('hf-gpt2-tiny', fixtures)));
  parameters.set('score.weight', tensor(Float32Array.from(fixture.scoreWeight.data), fixture.scoreWeight.shape).keep());
  const B = fixture.lengths.length;
  const T = fixture.tokens.length / B;
  const tokens = tensor(Int32Array.from(fixture.tokens), [B, T], 'i32');
  const mask = tensor(
    Float32Array.from(fixture.tokens, (id) => (id === 0 ? 0 : 1)),
    [B, T],
  );
  return { config, parameters, tokens, mask, B, T };
}

describe.each(['cpu', 'wasm'])('GPT sequence classifier on %s', (backendName) => {
  it('matches HF GPT2ForSequenceClassification (last non-padding token) on a right-padded batch: logits, loss, gradients', async () => {
    await setBackend(backendName);
    const { config, parameters, tokens, mask } = await tinyClassifier();
    const classifier = createGptClassifier(parameters, config, { numLabels: 3 });
    const labels = tensor(Int32Array.from(fixture.labels), [fixture.labels.length], 'i32');
    const names = ['score.weight', 'transformer.ln_f.weight'];
    const { logits, loss, grads } = tidy(() => {
      const result = valueAndGrad(
        () => softmaxCrossEntropy(classifier.logits(tokens, mask), labels),
        names.map((n) => parameters.get(n)!),
      );
      return { logits: classifier.logits(tokens, mask), loss: result.value, grads: result.grads };
    });
    expect(logits.shape).toEqual([3, 3]);
    expect(relativeError(logits.dataSync(), fixture.logits)).toBeLessThan(1e-4);
    expect(Math.abs(loss.dataSync()[0]! - fixture.loss) / fixture.loss).toBeLessThan(1e-5);
    names.forEach((name, i) => expect(relativeError((grads[i] as Tensor).dataSync(), fixture.gradients[name]!), name).toBeLessThan(1e-4));
  });

  it('padding changes nothing: each row alone (unpadded) gives the same logits as in the padded batch', async () => {
    await setBackend(backendName);
    const { config, parameters, tokens, mask, T } = await tinyClassifier();
    for (const pooling of ['last', 'mean'] as const) {
      const batched = tidy(() => gptClassifierLogits(parameters, config, tokens, mask, pooling).dataSync());
      fixture.lengths.forEach((n, b) => {
        const row = tensor(Int32Array.from(fixture.tokens.slice(b * T, b * T + n)), [1, n], 'i32');
        const alone = tidy(() => gptClassifierLogits(parameters, config, row, tensor(new Float32Array(n).fill(1), [1, n]), pooling).dataSync());
        expect(relativeError(batched.slice(b * 3, b * 3 + 3), [...alone]), `${pooling} row ${b}`).toBeLessThan(1e-5);
      });
    }
  });

  it('mean pooling averages the hidden states of the real tokens only', async () => {
    await setBackend(backendName);
    const { config, parameters, tokens, mask, T } = await tinyClassifier();
    const C = config.modelDim;
    const hidden = tidy(() => gptHiddenStates(parameters, config, tokens, { keyMask: mask }).dataSync());
    const pooled = tidy(() => poolHiddenStates(tensor(hidden, [hidden.length / C, C]), mask, 'mean').dataSync());
    fixture.lengths.forEach((n, b) => {
      const want = Array.from({ length: C }, (_, c) => {
        let total = 0;
        for (let t = 0; t < n; t++) total += hidden[(b * T + t) * C + c]!;
        return total / n;
      });
      expect(relativeError(pooled.slice(b * C, (b + 1) * C), want)).toBeLessThan(1e-6);
    });
  });
});

describe('poolHiddenStates', () => {
  it("'last' picks each row's last real token, whether the row is right- or left-padded", async () => {
    await setBackend('cpu');
    const [B, T, C] = [3, 4, 2];
    const hidden = tensor(
      Float32Array.from({ length: B * T * C }, (_, i) => i),
      [B * T, C],
    ); // row b, time t: [2(bT+t), 2(bT+t)+1]
    const mask = tensor(Float32Array.from([1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]), [B, T]);
    expect([...poolHiddenStates(hidden, mask, 'last').dataSync()]).toEqual([2, 3, 14, 15, 22, 23]);
    expect([...poolHiddenStates(hidden, mask, 'mean').dataSync()]).toEqual([1, 2, 13, 14, 19, 20]);
  });
});

describe('GPT classifier arguments', () => {
  it('refuses bad numLabels, pooling and a missing or mis-shaped head with clear errors', async () => {
    await setBackend('cpu');
    const { config, parameters, tokens, mask } = await tinyClassifier();
    expect(() => initGptClassifierHead(config, 1)).toThrow(/model: gptClassifier: expected numLabels to be an integer ≥ 2, got 1/);
    expect(() => createGptClassifier(parameters, config, { numLabels: 3, pooling: 'max' as 'mean' })).toThrow(/pooling among last, mean, got 'max'/);
    expect(() => createGptClassifier(parameters, config, { numLabels: 2 })).toThrow(/'score.weight' with 2 rows/);
    const noHead = new Map(parameters);
    noHead.delete('score.weight');
    expect(() => gptClassifierLogits(noHead, config, tokens, mask)).toThrow(/help: add a head with initGptClassifierHead/);
    expect(() => gptClassifierLogits(parameters, config, tokens, tensor(new Float32Array(3), [3, 1]))).toThrow(
      /tokens and keyMask of the same \[batch, time\]/,
    );
  });

  it('initialises score.weight [numLabels, C] with std ≈ 0.02 and adds it when missing', async () => {
    await setBackend('cpu');
    const { config, parameters } = await tinyClassifier();
    const head = initGptClassifierHead(config, 4, 3).get('score.weight')!;
    expect(head.shape).toEqual([4, config.modelDim]);
    const values = [...head.dataSync()];
    const std = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
    expect(std).toBeGreaterThan(0.01);
    expect(std).toBeLessThan(0.03);
    const base = new Map(parameters);
    base.delete('score.weight');
    expect(createGptClassifier(base, config, { numLabels: 4 }).parameters.get('score.weight')!.shape).toEqual([4, config.modelDim]);
  });
});
