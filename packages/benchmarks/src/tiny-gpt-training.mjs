/**
 * The tiny-GPT training set-up the train-step benches share (train-step-child.mjs,
 * train-step-profile.mjs, data-parallel-profile.mjs), on the packages each bench loaded (`core`
 * and `model` of the checkout under test): gptPresets.tiny, its parameters from seed 1, a
 * deterministic token batch of B rows, and AdamW moments with the benches' optimizer settings.
 */

/** B rows of `config.contextLength` tokens and their next-token targets (the same for every build). */
export function tinyBatch(config, B) {
  const T = config.contextLength;
  return {
    tokens: Int32Array.from({ length: B * T }, (_, i) => (i * 7 + (i >> 7)) % config.vocabSize),
    targets: Int32Array.from({ length: B * T }, (_, i) => (i * 7 + (i >> 7) + 7) % config.vocabSize),
  };
}

/** gptPresets.tiny with parameters (seed 1), the batch of B rows, and AdamW moments and settings. */
export function tinyGptTraining(core, model, B) {
  const config = model.gptPresets.tiny;
  const p = model.initGptParameters(config, 1);
  const list = [...p.values()];
  return {
    config,
    T: config.contextLength,
    ...tinyBatch(config, B),
    optimizer: { learningRate: 1e-3, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0 },
    p,
    list,
    m: list.map((x) => core.keep(core.zerosLike(x))),
    v: list.map((x) => core.keep(core.zerosLike(x))),
  };
}
