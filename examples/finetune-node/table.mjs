// Prints the README's tables (Markdown) from a result file of experiment.mjs, so the figures in
// the README are the file's.
//
//   node examples/finetune-node/table.mjs [bench-results/sentiment-pretraining.json]
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const path = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'bench-results', 'sentiment-pretraining.json');
const result = JSON.parse(readFileSync(path, 'utf8'));
const pct = (x) => `${(x * 100).toFixed(2)}%`;
const names = {
  'scratch-full': 'from scratch, full',
  'pretrained-full': 'pretrained, full',
  'pretrained-lora': 'pretrained, LoRA r 8 + head',
  'scratch-lora': 'from scratch, LoRA r 8 + head',
  'pretrained-frozen': 'pretrained, frozen (head + ln_f)',
};
const scratch = result.runs.find((r) => r.name === 'scratch-full');
console.log(
  `Command: \`${result.command}\` (${result.date}; ${result.machine.cpus} cores, ${result.machine.cpu}, Node ${result.machine.node}), ${Math.round(result.wallSeconds)} s wall for this command.\n`,
);
console.log(
  '| run | trainable | lr, epochs (chosen on validation) | validation accuracy (200) | test accuracy (2,000) | vs scratch | F1 (positive) | macro F1 | confusion [[TN, FP], [FN, TP]] | wall time |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
for (const r of result.runs) {
  const delta =
    scratch && r !== scratch
      ? `${r.test.accuracy >= scratch.test.accuracy ? '+' : ''}${((r.test.accuracy - scratch.test.accuracy) * 100).toFixed(2)} points`
      : '';
  console.log(
    `| ${names[r.name] ?? r.name} | ${r.trainable.toLocaleString('en-US')} | ${r.learningRate}, ${r.epochs} | ${(r.validationAccuracy * 100).toFixed(1)}% | **${pct(r.test.accuracy)}** | ${delta} | ${r.test.f1.toFixed(4)} | ${r.test.macroF1.toFixed(4)} | ${JSON.stringify(r.test.confusion)} | ${Math.round(r.seconds)} s |`,
  );
}
console.log('\nThe search (validation accuracy after each epoch, 800 reviews fit, 200 scored):\n');
console.log(`| run | lr | ${Array.from({ length: result.search.maxEpochs }, (_, i) => `epoch ${i + 1}`).join(' | ')} |`);
console.log(`| --- | ---: | ${Array.from({ length: result.search.maxEpochs }, () => '---:').join(' | ')} |`);
for (const [name, runs] of Object.entries(result.search.runs)) {
  for (const r of runs) console.log(`| ${name} | ${r.learningRate} | ${r.byEpoch.map((e) => `${(e.accuracy * 100).toFixed(1)}%`).join(' | ')} |`);
}
const p = result.pretraining;
if (p.tokens)
  console.log(
    `\nPretraining: ${p.steps.toLocaleString('en-US')} steps, ${p.tokens.toLocaleString('en-US')} tokens (${p.streamTokens ? `a stream of ${p.streamTokens.toLocaleString('en-US')} tokens, ` : ''}${p.reviewsInStream.toLocaleString('en-US')} of the ${p.unlabelledReviews.toLocaleString('en-US')} unlabelled reviews), loss ${p.initialLoss.toFixed(2)} → ${p.finalLoss.toFixed(2)}, ${Math.round(p.seconds)} s.`,
  );
console.log(
  `Carbon of the fine-tunings (all the runs above, each measured in its own process): ${(result.carbon.energyKWh * 1000).toPrecision(3)} Wh, ${(result.carbon.co2eKg * 1000).toPrecision(3)} g CO2e (${(result.carbon.co2eKgLow * 1000).toPrecision(3)}–${(result.carbon.co2eKgHigh * 1000).toPrecision(3)} g) at ${result.carbon.intensityGramsPerKWh} gCO2e/kWh.`,
);
