import { adamw, setBackend, tensor, tidy, valueAndGrad, zerosLike, keep, type Tensor } from '@wattformer/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bertParameterShapes, bertPresets, type BertConfig } from './bert-config';
import { BertModel } from './bert-model';
import { gptLogits } from './gpt';
import { countGptParameters, type GptConfig } from './gpt-config';
import { GptModel } from './gpt-model';
import { transformerDefaults, transformerParameterShapes } from './transformer-config';

const bert: BertConfig = { ...bertPresets.tiny, vocabSize: 20, maxPositions: 8, modelDim: 8, mlpDim: 16, layers: 1 };
const gpt: GptConfig = { vocabSize: 17, contextLength: 8, modelDim: 8, layers: 2, heads: 2, mlpDim: 16, tiedEmbeddings: false };
const sizeOf = (shapes: Map<string, number[]>) => [...shapes.values()].reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);

beforeAll(async () => {
  await setBackend('cpu');
});

describe('Module', () => {
  it('counts parameters with and without embeddings (the architectures match transformers / torch totals)', () => {
    // BertModel(BertConfig()) and torch.nn.Transformer() report 109,482,240 and 44,140,544 parameters.
    expect(sizeOf(bertParameterShapes(bertPresets['bert-base-uncased']))).toBe(109_482_240);
    expect(sizeOf(transformerParameterShapes(transformerDefaults))).toBe(44_140_544);
    const model = new BertModel(bert, { kind: 'sequence-classification', numLabels: 2 });
    const C = bert.modelDim;
    expect(model.parameterCount()).toBe(sizeOf(bertParameterShapes(bert, { kind: 'sequence-classification', numLabels: 2 })));
    expect(model.parameterCount() - model.parameterCount({ embeddings: false })).toBe((bert.vocabSize + bert.maxPositions + bert.typeVocabSize) * C);
    const g = new GptModel(gpt, 1);
    expect(g.parameterCount()).toBe(countGptParameters(gpt).total);
    expect(g.parameterCount({ embeddings: false })).toBe(countGptParameters(gpt).nonEmbedding);
  });

  it('starts in eval mode; train() and eval() switch it and return the model', () => {
    const model = new GptModel(gpt, 1);
    expect(model.training).toBe(false);
    expect(model.train()).toBe(model);
    expect(model.training).toBe(true);
    expect(model.eval().training).toBe(false);
    expect(model.train(false).training).toBe(false);
  });

  it('GptModel wraps the functional GPT: same Map, same logits', () => {
    const model = new GptModel(gpt, 3);
    const tokens = tensor(Int32Array.from([1, 2, 3, 4, 5, 6]), [2, 3], 'i32');
    expect(Array.from(model.forward(tokens).dataSync())).toEqual(Array.from(gptLogits(model.parameters, gpt, tokens).dataSync()));
  });

  it('freezes by name, prefix and predicate; trainableParameters() leaves frozen ones out', () => {
    const model = new BertModel(bert, { kind: 'sequence-classification', numLabels: 2 });
    model.freeze('bert.embeddings.');
    expect([...model.trainableParameters().keys()].some((n) => n.startsWith('bert.embeddings.'))).toBe(false);
    model.freeze((name) => name.endsWith('.bias')).freeze(['classifier.weight']);
    const trainable = [...model.trainableParameters().keys()];
    expect(trainable.every((n) => !n.endsWith('.bias') && n !== 'classifier.weight' && !n.startsWith('bert.embeddings.'))).toBe(true);
    expect(trainable).toContain('bert.pooler.dense.weight');
    model.unfreeze('classifier.weight');
    expect(model.isFrozen('classifier.weight')).toBe(false);
    model.unfreeze();
    expect(model.trainableParameters().size).toBe(model.parameters.size);
  });

  it('frozen parameters get no optimizer update while the rest learn (AdamW over trainableParameters())', () => {
    const model = new BertModel(bert, { kind: 'sequence-classification', numLabels: 2 }, 4).freeze('bert.encoder.');
    const tokens = tensor(Int32Array.from([1, 5, 7, 2, 3, 9, 4, 4]), [2, 4], 'i32');
    const labels = tensor(Int32Array.from([1, 0]), [2], 'i32');
    const trainable = model.trainableParameters();
    const list = [...trainable.values()];
    const moments = list.map((p) => [keep(zerosLike(p)), keep(zerosLike(p))] as const);
    const before = new Map([...model.parameters].map(([n, t]) => [n, Array.from(t.dataSync())]));
    const losses: number[] = [];
    for (let step = 1; step <= 20; step++) {
      tidy(() => {
        const { value, grads } = valueAndGrad(() => model.loss(tokens, labels), list);
        losses.push(value.dataSync()[0]!);
        list.forEach((p, i) =>
          adamw(p, grads[i] as Tensor, moments[i]![0], moments[i]![1], { learningRate: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, step }),
        );
      });
    }
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.5);
    for (const [name, t] of model.parameters) {
      const unchanged = Array.from(t.dataSync()).every((v, i) => v === before.get(name)![i]);
      expect([name, unchanged]).toEqual([name, name.startsWith('bert.encoder.')]);
    }
  });

  it('refuses unknown names and names the tensor that does not fit on load', () => {
    const model = new GptModel(gpt, 1);
    expect(() => model.freeze('transformer.h.9.ln_1.weight')).toThrow(
      /^model: freeze: expected parameter names of this model, got 'transformer.h.9.ln_1.weight'/,
    );
    expect(() => model.freeze('encoder.')).toThrow(/^model: freeze: expected a prefix of at least one parameter name/);
    expect(() => model.loadParameters(new Map([['transformer.wte.weight', tensor(new Float32Array(8 * 16), [16, 8])]]), { strict: false })).toThrow(
      /^model: loadParameters: expected 'transformer.wte.weight' f32 \[17,8\], got f32 \[16,8\]/,
    );
    expect(() => model.loadParameters(new Map([['wte.weight', tensor(new Float32Array(4), [4])]]))).toThrow(
      /expected parameter names of this model, got unknown 'wte.weight'/,
    );
    expect(() => model.loadParameters(new Map())).toThrow(
      /^model: loadParameters: expected every parameter of this model, got 29 missing, first 'transformer.wte.weight'\nhelp: pass \{ strict: false \}/,
    );
    const wrong = new Map(model.parameters).set('transformer.h.1.mlp.c_fc.weight', tensor(new Float32Array(8 * 12), [8, 12]));
    expect(() => new GptModel(gpt, wrong)).toThrow(/^model: GptModel: expected 'transformer.h.1.mlp.c_fc.weight' f32 \[8,16\], got f32 \[8,12\]/);
    const replacement = tensor(new Float32Array(17 * 8).fill(0.5), [17, 8]);
    model.loadParameters(new Map([['lm_head.weight', replacement]]), { strict: false });
    expect(model.parameters.get('lm_head.weight')).toBe(replacement);
  });
});
