import { setBackend, slice, tensor, type Tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { describe, expect, it } from 'vitest';
import { bertEncode } from './bert';
import { bertParameterShapes, type BertConfig } from './bert-config';
import { BertModel } from './bert-model';

const config: BertConfig = {
  vocabSize: 30,
  maxPositions: 6,
  typeVocabSize: 2,
  modelDim: 12,
  layers: 2,
  heads: 3,
  mlpDim: 20,
  hiddenDropout: 0.1,
  attentionDropout: 0.1,
  layerNormEps: 1e-12,
  initializerRange: 0.2,
  hiddenAct: 'gelu_new',
};
const ids = (rows: number[][]) => tensor(Int32Array.from(rows.flat()), [rows.length, rows[0]!.length], 'i32');
const values = (t: Tensor) => Array.from(t.dataSync());
const close = (a: number[], b: number[], tolerance: number) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);

describe.each(['cpu', 'wasm'])('BERT encoder on %s', (backendName) => {
  it('a padded row gives the logits it gives alone: padding is masked out of every attention', async () => {
    await setBackend(backendName);
    const model = new BertModel(config, { kind: 'sequence-classification', numLabels: 4 }, 1);
    const alone = values(model.forward(ids([[2, 9, 4]])));
    const batched = values(
      model.forward(
        ids([
          [2, 9, 4, 0, 0, 0],
          [5, 6, 7, 8, 9, 10],
        ]),
        { attentionMask: tensor(Float32Array.from([1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1]), [2, 6]) },
      ),
    );
    expect(close(batched.slice(0, 4), alone, 1e-5)).toBe(true);
    // Without the mask the padding tokens are attended to and the logits move.
    const unmasked = values(model.forward(ids([[2, 9, 4, 0, 0, 0]])));
    expect(close(unmasked, alone, 1e-4)).toBe(false);
  });

  it('is bidirectional (the first position sees later tokens) and uses token types', async () => {
    await setBackend(backendName);
    const model = new BertModel(config, { kind: 'none' }, 2);
    const first = (t: Tensor) => values(slice(t, [0, 0, 0], [1, 1, config.modelDim]));
    const a = first(model.forward(ids([[1, 2, 3, 4]])));
    expect(close(first(model.forward(ids([[1, 2, 3, 5]]))), a, 1e-4)).toBe(false);
    const typed = first(model.forward(ids([[1, 2, 3, 4]]), { tokenTypeIds: ids([[0, 0, 1, 1]]) }));
    expect(close(typed, a, 1e-4)).toBe(false);
    expect(values(model.forward(ids([[1, 2, 3, 4]]), { tokenTypeIds: ids([[0, 0, 0, 0]]) }))).toEqual(values(model.forward(ids([[1, 2, 3, 4]]))));
  });

  it('train() turns dropout on (seeded, reproducible); eval() is deterministic', async () => {
    await setBackend(backendName);
    const model = new BertModel(config, { kind: 'masked-lm' }, 3);
    const evalLogits = values(model.forward(ids([[4, 5, 6]])));
    model.train();
    const a = values(model.forward(ids([[4, 5, 6]]), { seed: 9 }));
    expect(a).not.toEqual(evalLogits);
    expect(values(model.forward(ids([[4, 5, 6]]), { seed: 9 }))).toEqual(a);
    expect(values(model.eval().forward(ids([[4, 5, 6]])))).toEqual(evalLogits);
  });
});

describe('BERT input checks', () => {
  it('refuses bad token ids, long sequences, mask and label shapes, and heads without labels', async () => {
    await setBackend('cpu');
    const model = new BertModel(config, { kind: 'token-classification', numLabels: 3 });
    expect(() => model.forward(ids([[1, 30]]))).toThrow(/^model: bert: expected tokens in \[0, 30\), got 30 at \[0, 1\]/);
    expect(() => model.forward(ids([[1, 2, 3, 4, 5, 6, 7]]))).toThrow(/^model: bert: expected tokens of at most 6 positions \(the config's maximum\), got 7/);
    expect(() => model.forward(ids([[1, 2, 3]]), { attentionMask: tensor(Float32Array.from([1, 1]), [1, 2]) })).toThrow(
      /^model: bert: expected attentionMask f32 \[1, 3\] \(1 = token, 0 = padding\), got f32 \[1,2\]/,
    );
    expect(() => model.forward(ids([[1, 2]]), { tokenTypeIds: ids([[0, 2]]) })).toThrow(/expected tokenTypeIds in \[0, 2\), got 2 at \[0, 1\]/);
    expect(() => model.loss(ids([[1, 2]]), tensor(Int32Array.from([1]), [1], 'i32'))).toThrow(
      /^model: BertModel.loss \(token-classification\): expected labels i32 \[1,2\], got i32 \[1\]/,
    );
    expect(() => new BertModel(config, { kind: 'sequence-classification', numLabels: 1 })).toThrow(/expected numLabels an integer ≥ 2, got 1/);
    expect(() => new BertModel({ ...config, typeVocabSize: 0 }).forward(ids([[1]]), { tokenTypeIds: ids([[0]]) })).toThrow(
      /expected no tokenTypeIds \(typeVocabSize is 0\)/,
    );
    expect(bertParameterShapes({ ...config, typeVocabSize: 0 }).has('bert.embeddings.token_type_embeddings.weight')).toBe(false);
    const wrong = new Map(model.parameters).set('classifier.weight', tensor(new Float32Array(24), [2, 12]));
    expect(() => new BertModel(config, { kind: 'token-classification', numLabels: 3 }, wrong)).toThrow(
      /^model: BertModel: expected 'classifier.weight' f32 \[3,12\], got f32 \[2,12\]/,
    );
    expect(() => bertEncode(new Map(), config, ids([[1]]))).toThrow(/^model: bert: expected parameter 'bert.embeddings.word_embeddings.weight', got none/);
  });
});
