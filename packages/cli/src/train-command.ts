/**
 * `wattformer train`: a GPT on any text (`--data`: a file, a folder, or a packaged corpus) with
 * any tokenizer (`--tokenizer`: char, a BPE trained on the data, tiktoken's, or a tokenizer.json),
 * the data tokenized once into a token file and read by window; a progress bar, `metrics.jsonl`,
 * checkpoints every N steps, a carbon ledger with optional budget, a sample, and an HTML report.
 * The run folder is a Hugging Face model folder (see run-folder.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { tensor } from '@wattformer/core';
import { appendEmissionsCsv, NodeTracker, renderHtml, toEstimateJson } from '@wattformer/carbon-estimator/node';
import { countGptParameters, gptLoss, initGptParameters, TextGenerator, type GptConfig } from '@wattformer/model';
import { CarbonLedger, ParallelGptGradients, TokenBatches, type TokenBatch, trainLoop, type TrainEvent, createOptimizer } from '@wattformer/trainer';
import { listCheckpoints, restoreLatestCheckpoint, saveTrainingCheckpoint } from '@wattformer/trainer/node';
import { cliError } from './errors';
import { onInterrupt, resumeCommand } from './interrupt';
import { openMetricsLog } from './metrics-log';
import { createProgress } from './progress';
import { acquireRunLock } from './run-lock';
import { prepareRunData } from './run-data';
import { runPaths, saveRunModel } from './run-folder';
import { renderRunReport } from './run-report';
import type { TrainSettings } from './train-settings';
import { useCliBackend } from './use-backend';

/** The CLI's replica worker (replica-worker.ts, built next to this bin): it imports the backends. */
const REPLICA_WORKER = new URL('./replica-worker.js', import.meta.url);

/**
 * Runs `wattformer train`: data to tokenizer to tokens to a GPT trained with checkpoints, carbon ledger and report, written as a Hugging Face model folder; resolves to the steps run and why it stopped.
 */
export async function runTrain(settings: TrainSettings, log: (line: string) => void = console.log): Promise<{ steps: number; stopReason: string }> {
  const backend = await useCliBackend(settings.backend, 'train', log);
  if (settings.workers > 1 && backend === 'webgpu' && settings.backend === 'auto') {
    log(`train: 1 worker on webgpu (worker threads share gradients through CPU memory; --backend wasm trains on ${settings.workers})`);
    settings.workers = 1;
  } else if (settings.workers > 1 && backend === 'webgpu') {
    throw cliError(
      'E_ARGUMENT',
      '--workers',
      '1 on webgpu (worker threads share gradients through CPU memory)',
      String(settings.workers),
      'add --workers 1, or use --backend wasm for data-parallel training on every core',
    );
  }
  const out = settings.out;
  const paths = runPaths(out);
  await mkdir(out, { recursive: true });
  const lock = acquireRunLock(out, log); // one run per folder (#12); released at the end or on exit
  const data = await prepareRunData(settings, paths, log);
  const { tokenizer, train, validation } = data;
  const source = data.info.source;
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
  const optimizer = createOptimizer(parameters, {
    kind: 'adamw',
    learningRate: settings.learningRate,
    beta1: 0.9,
    beta2: 0.99,
    weightDecay: settings.weightDecay,
  });
  const batches = new TokenBatches(train, { batchSize: B, contextLength: T, seed: settings.seed });
  const validationBatches = new TokenBatches(validation, { batchSize: B, contextLength: T, seed: settings.seed + 1 });
  const checkpoints = paths.checkpoints;
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
  log(
    `wattformer train: ${source}, ${data.info.tokens.toLocaleString()} tokens (${data.info.characters.toLocaleString()} characters), vocabulary ${tokenizer.vocabSize}; GPT ${settings.layers}×${settings.modelDim} (${parameterCount.total.toLocaleString()} parameters), context ${T}, batch ${B}, ${settings.maxSeconds ? `${settings.maxSeconds} s of training (the schedule fitted to it)` : `${settings.steps} steps`} on ${backend}, ${cores}; run folder ${out}`,
  );

  const tracker = new NodeTracker({ projectName: 'wattformer train', region: settings.region, samplingIntervalMs: 5000 });
  await tracker.start();
  const ledger = new CarbonLedger(tracker, {
    ...(settings.budgetCo2eKg ? { co2eKg: settings.budgetCo2eKg } : {}),
    ...(settings.budgetKWh ? { energyKWh: settings.budgetKWh } : {}),
  });
  // Resumed: lines after the checkpoint's step (a kill between checkpoints) and a partial last line are dropped.
  const metrics = await openMetricsLog(paths.metrics, startStep);
  if (metrics.dropped > 0) log(`metrics.jsonl: dropped ${metrics.dropped} line(s) after step ${startStep} or cut short, from the interrupted run`);
  const stepsSeen: { step: number; loss: number }[] = [];
  const evaluations: { step: number; loss: number }[] = [];
  const bar = createProgress({ total: settings.steps, startStep, log, ...(settings.maxSeconds ? { budgetSeconds: settings.maxSeconds } : {}) }); // a bar on a terminal, plain lines otherwise
  // --max-seconds: after a few steps the schedule's length is fitted to the time left, and the
  // run stops at that step or when the time is up, whichever comes first (then as at any end).
  const schedule = {
    kind: 'cosine' as const,
    learningRate: settings.learningRate,
    warmupSteps: settings.warmupSteps,
    totalSteps: settings.steps,
    minLearningRate: settings.minLearningRate,
  };
  let trainingStarted = 0;
  let fitted = false;
  const timeBudget = (step: number): 'stop' | undefined => {
    if (!settings.maxSeconds) return undefined;
    const elapsed = (performance.now() - trainingStarted) / 1000;
    const done = step - startStep;
    if (!fitted && done >= 5 && elapsed >= Math.min(5, settings.maxSeconds / 10)) {
      const left = Math.max(1, Math.floor(((settings.maxSeconds - elapsed) * done) / elapsed));
      schedule.totalSteps = Math.max(step + 1, Math.min(settings.steps, step + left));
      schedule.warmupSteps = Math.min(settings.warmupSteps, Math.max(0, Math.floor(schedule.totalSteps / 10)));
      fitted = true;
      bar.setTotal(schedule.totalSteps);
    }
    return elapsed >= settings.maxSeconds || (fitted && step >= schedule.totalSteps) ? 'stop' : undefined;
  };
  // A checkpoint (training state) and the model files at the top of the run folder, together.
  const save = async (step: number) => {
    await saveTrainingCheckpoint(checkpoints, model, optimizer, { step, batches: batches.state() }, { keepLast: settings.keepLast });
    await saveRunModel(paths, parameters, config, tokenizer);
  };
  const onEvent = async (event: TrainEvent) => {
    if (event.type === 'step') {
      stepsSeen.push({ step: event.step, loss: event.loss });
      const { type: _type, ...fields } = event;
      await metrics.append(fields);
      bar.update(event);
      if (event.step % settings.checkpointEvery === 0) await save(event.step);
      return timeBudget(event.step);
    } else if (event.type === 'eval') {
      evaluations.push({ step: event.step, loss: event.loss });
      await metrics.append({ step: event.step, valLoss: event.loss, perplexity: event.perplexity });
    } else if (event.type === 'carbon') {
      bar.carbon(`${(event.entry.co2eKg * 1000).toPrecision(3)} g`);
      await metrics.append({
        step: event.step,
        energyKWh: event.entry.energyKWh,
        co2eKg: event.entry.co2eKg,
        co2eKgLow: event.entry.co2eKgLow,
        co2eKgHigh: event.entry.co2eKgHigh,
        co2eKgPerToken: event.entry.perToken.co2eKg,
      });
    }
  };
  let result;
  const interrupt = onInterrupt(log); // Ctrl-C / SIGTERM: finish the step, checkpoint, report, exit 130
  try {
    if (settings.workers > 1) {
      parallel = await ParallelGptGradients.create({ config, parameters, replicas: settings.workers, backend, workerUrl: REPLICA_WORKER });
    }
    trainingStarted = performance.now();
    result = await trainLoop({
      model,
      optimizer,
      batches,
      steps: settings.steps,
      startStep,
      schedule,
      gradientClip: settings.gradientClip,
      accumulationSteps: settings.accumulationSteps,
      evaluation: { batches: validationBatches, every: settings.evalEvery, iterations: settings.evalIterations },
      carbon: { ledger, every: 10 },
      onEvent,
      signal: interrupt.signal,
    });
  } catch (error) {
    throw parallel ? await parallel.explain(error) : error;
  } finally {
    bar.stop();
    parallel?.dispose();
  }
  if (!(await listCheckpoints(checkpoints)).includes(result.steps)) await save(result.steps);
  const aborted = result.stopReason === 'aborted';
  const stopped = aborted
    ? ` (stopped by ${result.stopDetail ?? 'a signal'}; checkpoint saved)`
    : result.stopReason === 'carbon-budget'
      ? ` (stopped: ${result.stopDetail}; checkpoint saved)`
      : result.stopReason === 'requested' && settings.maxSeconds
        ? ` (time budget: ${settings.maxSeconds} s)`
        : '';
  log(
    `trained to step ${result.steps}${stopped}; last loss ${stepsSeen.at(-1)?.loss.toFixed(3) ?? '-'}, validation ${evaluations.at(-1)?.loss.toFixed(3) ?? '-'}`,
  );

  data.close();
  // A sample from the start of a text (the end-of-text token), as `wattformer generate` would.
  const sample = aborted
    ? '(interrupted: no sample)'
    : await new TextGenerator(parameters, config, tokenizer.tokenizer).generate('', {
        maxNewTokens: Math.max(T, 64),
        sample: true,
        temperature: 0.8,
        topK: 50,
        seed: settings.seed,
      });
  log(`--- sample ---\n${sample}\n--------------`);

  const measurement = await tracker.stop();
  const figures = toEstimateJson(measurement.report);
  await writeFile(paths.carbonReport, renderHtml(measurement.report));
  await appendEmissionsCsv(paths.emissions, [measurement.record]);
  const method = measurement.report.notes.find((note) => note.startsWith('What was measured')) ?? '';
  const location = `${figures.intensityGramsPerKWh} gCO2e/kWh (${measurement.report.location.name})`;
  await writeFile(paths.carbonSummary, `${JSON.stringify({ ...figures, location: measurement.report.location.name, method }, null, 2)}\n`);
  await writeFile(
    paths.report,
    renderRunReport({
      title: `wattformer run: ${source}`,
      steps: stepsSeen,
      evaluations,
      sample,
      carbon: { energyKWh: figures.energyKWh, co2eKg: figures.co2eKg, co2eKgLow: figures.co2eKgLow, co2eKgHigh: figures.co2eKgHigh, location, method },
      facts: {
        model: `GPT ${settings.layers} layers × ${settings.modelDim}, ${settings.heads} heads, context ${T} (${parameterCount.total.toLocaleString()} parameters)`,
        data: `${source}: ${data.info.tokens.toLocaleString()} tokens, ${tokenizer.description}`,
        steps: `${result.steps} (${result.stopReason})`,
        backend: `${backend}, ${cores}`,
        'final loss': `${stepsSeen.at(-1)?.loss.toFixed(4) ?? '-'} (validation ${evaluations.at(-1)?.loss.toFixed(4) ?? '-'})`,
      },
    }),
  );
  log(
    `carbon: ${(figures.energyKWh * 1000).toPrecision(3)} Wh, ${(figures.co2eKg * 1000).toPrecision(3)} g CO2e (${(figures.co2eKgLow * 1000).toPrecision(3)}–${(figures.co2eKgHigh * 1000).toPrecision(3)} g) at ${location}`,
  );
  log(`report: ${paths.report}`);
  log(`model folder: ${out} (Hugging Face layout: AutoModelForCausalLM.from_pretrained, or wattformer generate --model ${out})`);
  if (aborted) log(`interrupted at step ${result.steps} of ${settings.steps}; to continue:\n  ${resumeCommand()}`);
  interrupt.dispose();
  lock.release();
  return { steps: result.steps, stopReason: result.stopReason };
}
