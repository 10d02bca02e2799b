// Aggregates the per-seed results of both trainers (mean, sample standard deviation, min–max)
// and renders the Markdown summary.
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));

/** { mean, std, min, max, n } of one field over runs. */
export function stats(runs, pick) {
  const xs = runs.map(pick);
  return { mean: mean(xs), std: std(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

const FIELDS = {
  validationLoss: (r) => r.validationLoss,
  validationLoss20: (r) => r.validationLoss20,
  trainLoss20: (r) => r.trainLoss20,
  trainSeconds: (r) => r.trainSeconds,
  tokensPerSecond: (r) => r.tokensPerSecond,
  trainCpuSeconds: (r) => r.trainCpuSeconds,
  tokensPerCpuSecond: (r) => r.tokensPerCpuSecond,
  processSeconds: (r) => r.process.wallSeconds,
  cpuSeconds: (r) => r.process.cpuSeconds,
  energyKWh: (r) => r.process.energyKWh,
  cpuEnergyKWh: (r) => r.process.cpuEnergyKWh,
  ramEnergyKWh: (r) => r.process.ramEnergyKWh,
  co2eGrams: (r) => r.process.co2eGrams,
};

export function summarize(runs, { tolerance = 0.05, nanogptLoss = 1.88 } = {}) {
  const sides = {};
  for (const side of ['wattformer', 'torch']) {
    const mine = runs.filter((r) => r.side === side);
    if (mine.length)
      sides[side] = { implementation: mine[0].implementation, ...Object.fromEntries(Object.entries(FIELDS).map(([name, pick]) => [name, stats(mine, pick)])) };
  }
  const ours = sides.wattformer?.validationLoss.mean;
  const theirs = sides.torch?.validationLoss.mean;
  const difference = ours !== undefined && theirs !== undefined ? ours - theirs : undefined;
  return {
    sides,
    difference,
    withinTolerance: difference === undefined ? undefined : difference <= tolerance,
    tolerance,
    oursAtMostNanogpt: ours === undefined ? undefined : ours <= nanogptLoss,
    nanogptLoss,
  };
}

const f = (x, digits = 3) => x.toFixed(digits);
const cell = (s, digits = 3) => (s.n > 1 ? `${f(s.mean, digits)} ± ${f(s.std, digits)} (${f(s.min, digits)}–${f(s.max, digits)})` : f(s.mean, digits));
const sci = (s) => (s.n > 1 ? `${s.mean.toPrecision(3)} (${s.min.toPrecision(3)}–${s.max.toPrecision(3)})` : s.mean.toPrecision(3));

export function renderSummary(result) {
  const { summary, settings, machine, runs } = result;
  const partial = result.complete ? [] : [`**Partial: ${runs.length} of ${result.plannedRuns} planned runs finished.**`, ''];
  const rows = Object.entries(summary.sides);
  const line = (label, render) => `| ${label} | ${rows.map(([, s]) => render(s)).join(' | ')} |`;
  const lines = [
    `# nanoGPT CPU reference: wattformer vs PyTorch`,
    '',
    ...partial,
    `${settings.iters} iterations, batch ${settings.batchSize}, context ${settings.contextLength}, ${settings.layers} layers × ${settings.modelDim}, ${settings.heads} heads, AdamW (lr ${settings.learningRate} → ${settings.minLearningRate}, warmup ${settings.warmupIters}, β ${settings.beta1}/${settings.beta2}, wd ${settings.weightDecay} on matrices), clip ${settings.gradClip}, dropout 0. Data: ${result.data.source}, ${result.data.characters.toLocaleString('en-US')} characters, vocabulary ${result.data.vocabSize}, ${result.data.trainTokens.toLocaleString('en-US')} train / ${result.data.validationTokens.toLocaleString('en-US')} validation tokens (first 90 % / last 10 %).`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.nproc} logical CPUs (nproc), shared with other work: ${machine.loadAverageRange ? `1-minute load average ${machine.loadAverageRange.map((x) => x.toFixed(2)).join(' to ')} at the runs' starts and ends` : `load average ${machine.loadAverageBefore.map((x) => x.toFixed(2)).join(' / ')} before, ${(machine.loadAverageAfter ?? runs.at(-1).process.loadAverageAfter).map((x) => x.toFixed(2)).join(' / ')} after (1/5/15 min)`}. ${result.collectedFrom ? 'Runs from more than one invocation, some at the same time as others (see the README), each' : settings.parallel > 1 ? `${settings.parallel} of our runs went at a time (besides the other work), each` : 'Each trainer ran alone, one at a time,'} on ${settings.threads} thread; wall times (and the RAM part of the energy, modelled per wall second) are inflated by the other load; CPU-time figures much less. ${result.collectedFrom ? `Summary rebuilt (--collect) from the ${runs.length} finished runs in ${result.collectedFrom.split('/').slice(-2).join('/')}.` : `Started ${result.startedAt}, ${(result.wallSeconds / 60).toFixed(1)} min in all.`}`,
    '',
    'Values: mean ± sample standard deviation (min–max) over seeds.',
    '',
    `| | ${rows.map(([side]) => side).join(' | ')} |`,
    `|---|${rows.map(() => '---').join('|')}|`,
    line('implementation', (s) => s.implementation ?? ''),
    line('seeds', (s) => String(s.validationLoss.n)),
    line('**validation loss, whole split**', (s) => `**${cell(s.validationLoss)}**`),
    line('validation loss, 20 random batches (nanoGPT)', (s) => cell(s.validationLoss20)),
    line('train loss, 20 random batches', (s) => cell(s.trainLoss20)),
    line('training wall time (s)', (s) => cell(s.trainSeconds, 0)),
    line('training tokens/s (wall)', (s) => cell(s.tokensPerSecond, 0)),
    line('training CPU time (s)', (s) => cell(s.trainCpuSeconds, 0)),
    line('training tokens per CPU-second', (s) => cell(s.tokensPerCpuSecond, 0)),
    line('process wall time (s)', (s) => cell(s.processSeconds, 0)),
    line('process CPU time (s)', (s) => cell(s.cpuSeconds, 0)),
    line('energy per run (kWh)', (s) => sci(s.energyKWh)),
    line('… of which CPU (kWh, ∝ CPU time)', (s) => sci(s.cpuEnergyKWh)),
    line('… of which RAM (kWh, ∝ wall time)', (s) => sci(s.ramEnergyKWh)),
    line('CO2e per run (g)', (s) => sci(s.co2eGrams)),
    '',
  ];
  if (summary.difference !== undefined) {
    lines.push(
      `Difference (wattformer − PyTorch, whole-split validation loss means): **${summary.difference >= 0 ? '+' : ''}${f(summary.difference)}** → ${summary.withinTolerance ? 'within' : 'NOT within'} ${summary.tolerance}.`,
    );
  }
  if (summary.oursAtMostNanogpt !== undefined) {
    lines.push(
      `wattformer ≤ ${summary.nanogptLoss} (nanoGPT's tiny-Shakespeare figure, a different and ~3× larger text): ${summary.oursAtMostNanogpt ? 'yes' : 'no'}.`,
    );
  }
  const energy = runs[0]?.process;
  if (energy) {
    lines.push(
      '',
      `Energy: @wattformer/carbon-estimator NodeTracker around each trainer's whole process (start, data load, training, evaluation), CPU time of the child from the shell's \`times\`; grid ${energy.region} at ${energy.intensityGramsPerKWh} gCO2e/kWh, PUE 1.0. First run's figures: ${energy.method}`,
    );
  }
  lines.push(
    '',
    '## Runs',
    '',
    '| side | seed | val loss (whole) | val loss (20) | train s | tokens/s | tokens/CPU-s | process s | CPU s | Wh | g CO2e | load avg before → after |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of runs) {
    const p = r.process;
    lines.push(
      `| ${r.side} | ${r.seed} | ${f(r.validationLoss, 4)} | ${f(r.validationLoss20, 4)} | ${f(r.trainSeconds, 0)} | ${f(r.tokensPerSecond, 0)} | ${f(r.tokensPerCpuSecond, 0)} | ${f(p.wallSeconds, 0)} | ${f(p.cpuSeconds, 0)} | ${f(p.energyKWh * 1000, 2)} | ${f(p.co2eGrams, 3)} | ${f(p.loadAverageBefore[0], 2)} → ${f(p.loadAverageAfter[0], 2)} |`,
    );
  }
  lines.push('', `Command: \`${result.command}\``, '');
  return lines.join('\n');
}
