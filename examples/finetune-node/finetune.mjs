// Fine-tuning for sentiment from a model folder: the folder's tokenizer and architecture, and
// either its pretrained weights or (`scratch: true`) fresh ones, so the two differ only in
// pretraining. `full` trains every weight, `lora` rank-r adapters on every projection plus the
// head (`frozen`: the head and final LayerNorm only). Test accuracy and F1 on held-out reviews.
import { setBackend } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { initGptParameters } from '@wattformer/model';
import { loadTextGenerator } from '@wattformer/model/node';
import { encodeExamples, finetuneClassifier, setupGptFinetune } from '@wattformer/trainer/node';

/**
 * settings: { model, scratch, mode, train, test (LabelledText[]), epochs, batchSize, learningRate,
 * pooling, loraRank, loraAlpha, maxLength, seed, log }
 */
export async function runFinetune(settings) {
  const {
    model,
    scratch = false,
    mode,
    train,
    test,
    epochs,
    batchSize = 16,
    learningRate,
    pooling = 'mean',
    truncation = 'end',
    loraRank = 8,
    loraAlpha = 16,
    seed = 1,
    evaluateEveryEpoch = false,
    log = console.log,
  } = settings;
  await setBackend('wasm');
  const started = performance.now();
  const folder = await loadTextGenerator(model);
  const { config, tokenizer } = folder;
  let parameters = folder.parameters;
  if (scratch) {
    folder.dispose();
    parameters = initGptParameters(config, seed);
  }
  const maxLength = settings.maxLength ?? config.contextLength;
  const encode = (text) => tokenizer.encode(text);
  const trainExamples = encodeExamples(train, encode, { maxLength, truncation });
  const testExamples = encodeExamples(test, encode, { maxLength, truncation });
  const setup = setupGptFinetune(parameters, config, { mode, numLabels: 2, pooling, seed, lora: { rank: loraRank, alpha: loraAlpha }, trainFinalNorm: true });
  const trainable = [...setup.trainable.values()].reduce((n, t) => n + t.size, 0);
  const steps = Math.ceil((epochs * train.length) / batchSize);
  const stepsPerEpoch = Math.ceil(train.length / batchSize);
  const label = `${scratch ? 'from scratch' : 'pretrained'}, ${mode}`;
  log(
    `fine-tune (${label}): ${train.length} labelled reviews, ${epochs} epochs = ${steps} steps of ${batchSize}, lr ${learningRate}, ${pooling} pooling, ${truncation === 'end' ? 'last' : 'first'} ${maxLength} tokens; ${trainable.toLocaleString()} trainable parameters`,
  );
  let last = performance.now();
  const result = await finetuneClassifier({
    classifier: setup.classifier,
    trainable: setup.trainable,
    train: trainExamples,
    steps,
    batchSize,
    seed,
    optimizer: { kind: 'adamw', learningRate, weightDecay: 0.01 },
    schedule: { kind: 'linear', learningRate, warmupSteps: Math.round(steps / 10), totalSteps: steps, minLearningRate: 0 },
    gradientClip: 1,
    // With evaluateEveryEpoch (hyper-parameter search on a validation split), scored after every epoch.
    evaluation: { examples: testExamples, batchSize: 100, ...(evaluateEveryEpoch ? { every: stepsPerEpoch } : {}) },
    onEvent: (event) => {
      if (event.type !== 'step') return undefined;
      if (performance.now() - last > 20_000 || event.step === steps) {
        last = performance.now();
        log(`  step ${event.step}/${steps} | loss ${event.loss.toFixed(3)}`);
      }
      return event.step % 10 === 0 ? new Promise((resolve) => setImmediate(resolve)) : undefined;
    },
  });
  const m = result.final;
  const seconds = (performance.now() - started) / 1000;
  const byEpoch = result.evaluations.map(({ step, metrics }) => ({
    epoch: Math.round((step / stepsPerEpoch) * 100) / 100,
    accuracy: metrics.accuracy,
    macroF1: metrics.macroF1,
  }));
  if (evaluateEveryEpoch) log(`  ${label}, lr ${learningRate}: accuracy by epoch ${byEpoch.map((e) => (e.accuracy * 100).toFixed(1)).join(' ')}`);
  log(
    `  ${label}: ${evaluateEveryEpoch ? 'validation' : 'test'} accuracy ${(m.accuracy * 100).toFixed(2)}%, F1 ${m.f1.toFixed(4)}, macro F1 ${m.macroF1.toFixed(4)} on ${m.examples} reviews; confusion ${JSON.stringify(m.confusion)}; ${seconds.toFixed(0)} s`,
  );
  for (const t of parameters.values()) t.dispose();
  return {
    start: scratch ? 'scratch' : 'pretrained',
    mode,
    trainable,
    steps,
    epochs,
    batchSize,
    learningRate,
    pooling,
    truncation,
    maxLength,
    finalTrainLoss: result.losses.at(-1),
    ...(evaluateEveryEpoch ? { byEpoch } : {}),
    ...(mode === 'lora' ? { loraRank, loraAlpha } : {}),
    seconds,
    test: m,
  };
}
