import { adamw, keep, setBackend, tensor, tidy, valueAndGrad, zerosLike, type Tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { describe, expect, it } from 'vitest';
import { argmax } from './sampling';
import { greedyDecode, seq2seqLogits, sinusoidalPositions } from './seq2seq';
import { Seq2SeqModel, TransformerModel } from './seq2seq-model';
import type { Seq2SeqConfig } from './transformer-config';

const config: Seq2SeqConfig = {
  modelDim: 16,
  heads: 2,
  encoderLayers: 1,
  decoderLayers: 2,
  mlpDim: 32,
  dropout: 0.1,
  layerNormEps: 1e-5,
  sourceVocabSize: 12,
  targetVocabSize: 10,
  maxLength: 8,
};
const ids = (rows: number[][]) => tensor(Int32Array.from(rows.flat()), [rows.length, rows[0]!.length], 'i32');

describe('sinusoidalPositions', () => {
  it("is the paper's PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(…)", () => {
    const pe = sinusoidalPositions(3, 4);
    const want = [0, 1, 0, 1, Math.sin(1), Math.cos(1), Math.sin(0.01), Math.cos(0.01), Math.sin(2), Math.cos(2), Math.sin(0.02), Math.cos(0.02)];
    expect(Array.from(pe).every((v, i) => Math.abs(v - want[i]!) < 1e-7)).toBe(true);
  });
});

describe.each(['cpu', 'wasm'])('Seq2Seq greedy decoding on %s', (backendName) => {
  it('each token is the argmax of the teacher-forced logits of its prefix; a row stops after endToken', async () => {
    await setBackend(backendName);
    const model = new Seq2SeqModel(config, 6);
    const sourceRows = [
      [3, 4, 5, 6],
      [7, 8, 9, 10],
    ];
    const source = ids(sourceRows);
    const rows = await model.generate(source, { startToken: 1, maxNewTokens: 5 });
    expect(rows.map((r) => r.length)).toEqual([5, 5]);
    rows.forEach((row, b) => {
      const prefix = [1, ...row.slice(0, 4)];
      const logits = seq2seqLogits(model.parameters, config, ids([sourceRows[b]!]), ids([prefix])); // (5, V)
      const V = config.targetVocabSize;
      const data = logits.dataSync();
      expect(row.map((_, t) => argmax(data.subarray(t * V, (t + 1) * V)))).toEqual(row);
    });
    const stopped = await model.generate(source, { startToken: 1, endToken: rows[0]![1]!, maxNewTokens: 5 });
    expect(stopped[0]).toEqual(rows[0]!.slice(0, rows[0]!.indexOf(rows[0]![1]!) + 1));
  });

  it('source padding is masked: a padded row decodes as it does alone', async () => {
    await setBackend(backendName);
    const model = new Seq2SeqModel(config, 7);
    const alone = await greedyDecode(model.parameters, config, ids([[5, 9, 2]]), { startToken: 1, maxNewTokens: 6 });
    const batched = await greedyDecode(
      model.parameters,
      config,
      ids([
        [5, 9, 2, 0, 0],
        [4, 4, 4, 4, 4],
      ]),
      {
        startToken: 1,
        maxNewTokens: 6,
        sourceMask: tensor(Float32Array.from([1, 1, 1, 0, 0, 1, 1, 1, 1, 1]), [2, 5]),
      },
    );
    expect(batched[0]).toEqual(alone[0]);
  });
});

describe('Seq2Seq learns to reverse sequences (wasm, AdamW)', () => {
  it('after training, greedy decoding reverses every training sequence', async () => {
    await setBackend('wasm');
    // Vocabulary: 0 pad, 1 start, 2 end, 3..6 symbols. Every length-3 sequence over 4 symbols (64).
    const small: Seq2SeqConfig = { ...config, dropout: 0, sourceVocabSize: 7, targetVocabSize: 7, maxLength: 6, decoderLayers: 1 };
    const sequences = Array.from({ length: 64 }, (_, n) => [3 + (n % 4), 3 + (Math.floor(n / 4) % 4), 3 + Math.floor(n / 16)]);
    const source = ids(sequences);
    const targetInput = ids(sequences.map((s) => [1, ...[...s].reverse()]));
    const targetOutput = ids(sequences.map((s) => [...[...s].reverse(), 2]));
    const model = new Seq2SeqModel(small, 1).train();
    const list = [...model.trainableParameters().values()];
    const moments = list.map((p) => [keep(zerosLike(p)), keep(zerosLike(p))] as const);
    let loss = Infinity;
    for (let step = 1; step <= 300 && loss > 0.01; step++) {
      loss = tidy(() => {
        const { value, grads } = valueAndGrad(() => model.loss(source, targetInput, targetOutput), list);
        list.forEach((p, i) =>
          adamw(p, grads[i] as Tensor, moments[i]![0], moments[i]![1], { learningRate: 1e-2, beta1: 0.9, beta2: 0.98, epsilon: 1e-9, weightDecay: 0, step }),
        );
        return value.dataSync()[0]!;
      });
    }
    model.eval();
    const decoded = await model.generate(source, { startToken: 1, endToken: 2, maxNewTokens: 4 });
    expect(decoded).toEqual(sequences.map((s) => [...[...s].reverse(), 2]));
  }, 300_000);
});

describe('encoder-decoder input checks', () => {
  it('refuses out-of-range ids, long sequences, mask shapes, unembedded inputs and bad decode options', async () => {
    await setBackend('cpu');
    const model = new Seq2SeqModel(config, 1);
    expect(() => model.forward(ids([[1, 12]]), ids([[1]]))).toThrow(/^model: seq2seq: expected source in \[0, 12\), got 12 at \[0, 1\]/);
    expect(() => model.forward(ids([[1]]), ids([[1, 2, 3, 4, 5, 6, 7, 8, 9]]))).toThrow(
      /^model: seq2seq: expected target of at most 8 positions \(the config's maximum\), got 9/,
    );
    expect(() => model.forward(ids([[1, 2]]), ids([[1]]), { sourceMask: tensor(Float32Array.from([1, 1, 1]), [1, 3]) })).toThrow(
      /^model: transformer: expected sourceMask f32 \[1, 2\] \(1 = token, 0 = padding\), got f32 \[1,3\]/,
    );
    expect(() => new TransformerModel(config).forward(ids([[1, 2]]) as Tensor, ids([[1]]))).toThrow(
      /^model: transformer: expected source f32 \[batch, time, 16\], got i32 \[1, 2\]/,
    );
    await expect(model.generate(ids([[1]]), { startToken: 1, maxNewTokens: 8 })).rejects.toThrow(/^model: greedyDecode: expected maxNewTokens in \[1, 7\]/);
    await expect(model.generate(ids([[1]]), { startToken: 10, maxNewTokens: 2 })).rejects.toThrow(/expected startToken in \[0, 10\), got 10/);
    expect(() => model.loss(ids([[1, 2]]), ids([[1, 2]]), ids([[3]]))).toThrow(/^model: seq2seqLoss: expected labels i32 \[1,2\], got i32 \[1,1\]/);
  });
});
