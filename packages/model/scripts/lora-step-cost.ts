/**
 * What building W + scale·ΔW on every forward costs, against a training step of the `tiny` GPT
 * preset (4 layers, d_model 128, context 128, vocab 256) on wasm. Interleaved rounds, one process;
 * prints median (min–max) milliseconds of process CPU time (user + system: on a shared, oversubscribed
 * machine wall time mostly measures the other processes) and the ratios of medians. Nothing asserted.
 *
 *     npx tsx packages/model/scripts/lora-step-cost.ts [rounds=7] [batch=4] [time=64] [rank=8]
 *
 * - full step:  loss + gradients for every base parameter (ordinary fine-tuning);
 * - LoRA merged: applyLora + loss + gradients for A and B only (base frozen);
 * - LoRA x-path: loss with { lora: adapter } (scale·(x·Aᵀ)·Bᵀ added in the forward) + gradients for A and B;
 * - applyLora:  building the adapted weights alone (the per-forward overhead, without its backward).
 */
import { setBackend, tensor, tidy, valueAndGrad } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { gptLoss, initGptParameters } from '../src/gpt';
import { gptPresets } from '../src/gpt-config';
import { applyLora, createLora } from '../src/lora';

const [rounds = 7, B = 4, T = 64, rank = 8] = process.argv.slice(2).map(Number);
await setBackend('wasm');
const config = gptPresets.tiny;
const base = initGptParameters(config, 1);
const adapter = createLora(base, { rank, alpha: 2 * rank, targets: ['c_attn', 'c_proj', 'c_fc'], fanInFanOut: true }, 2);
const ids = (offset: number) =>
  tensor(
    Int32Array.from({ length: B * T }, (_, i) => (i * 31 + offset) % config.vocabSize),
    [B, T],
    'i32',
  );
const [tokens, targets] = [ids(0), ids(1)];
const baseParameters = [...base.values()];
const loraParameters = [...adapter.parameters.values()];

const cases: Record<string, () => void> = {
  'full step': () => void valueAndGrad(() => gptLoss(base, config, tokens, targets), baseParameters).value.itemSync(),
  'LoRA merged': () => void valueAndGrad(() => gptLoss(applyLora(base, adapter, { training: true }), config, tokens, targets), loraParameters).value.itemSync(),
  'LoRA x-path': () => void valueAndGrad(() => gptLoss(base, config, tokens, targets, { lora: adapter, training: true }), loraParameters).value.itemSync(),
  applyLora: () => {
    for (const t of applyLora(base, adapter).values()) t.dataSync();
  },
};
const samples = new Map(Object.keys(cases).map((name) => [name, [] as number[]]));
for (let round = 0; round <= rounds; round++) {
  for (const [name, run] of Object.entries(cases)) {
    for (const t of baseParameters) t.requiresGrad = name === 'full step'; // frozen except in the full step
    const start = process.cpuUsage();
    tidy(run);
    const used = process.cpuUsage(start);
    if (round > 0) samples.get(name)!.push((used.user + used.system) / 1000); // round 0 warms up
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const full = median(samples.get('full step')!);
console.log(
  `tiny GPT (${config.layers} layers, C ${config.modelDim}), batch ${B}×${T}, LoRA rank ${rank} on c_attn/c_proj/c_fc, wasm, ${rounds} rounds, CPU ms`,
);
for (const [name, xs] of samples) {
  console.log(
    `${name.padEnd(11)} ${median(xs).toFixed(1)} ms (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})  ×${(median(xs) / full).toFixed(3)} of the full step`,
  );
}
