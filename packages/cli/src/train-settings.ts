import { availableParallelism } from 'node:os';
import { cliError } from './errors';
import { parseTokenizerSpec } from './tokenizer-choice';

/** Every `wattformer train` setting, from flags or a JSON config (flags win). */
export interface TrainSettings {
  /** A file, a folder, or a packaged corpus: shakespeare, chinese-poetry, imdb. */
  data: string;
  /** char, bpe[:VOCAB], r50k_base, cl100k_base, o200k_base, or the path of a tokenizer.json. */
  tokenizer: string;
  /** The text field of .jsonl lines. */
  textField: string;
  /** Use only the first this-many characters of the data. */
  maxChars?: number;
  out: string;
  backend: string;
  steps: number;
  resume: boolean;
  layers: number;
  heads: number;
  modelDim: number;
  contextLength: number;
  batchSize: number;
  learningRate: number;
  minLearningRate: number;
  warmupSteps: number;
  weightDecay: number;
  gradientClip: number;
  accumulationSteps: number;
  evalEvery: number;
  evalIterations: number;
  checkpointEvery: number;
  keepLast: number;
  seed: number;
  region: string;
  budgetCo2eKg?: number;
  budgetKWh?: number;
  /** Threads computing gradients (data-parallel); 1 trains in the calling thread only. */
  workers: number;
  /** Stop (checkpoint, report, sample) after this many seconds of training; the learning-rate schedule is fitted to it. */
  maxSeconds?: number;
}

/** More workers than this rarely pays on one machine: each holds a whole model and activations. */
export const MAX_DEFAULT_WORKERS = 8;

/** Default `--workers`: every core, at most MAX_DEFAULT_WORKERS and at most one per batch row. */
export function defaultWorkers(batchSize: number): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_WORKERS, batchSize));
}

/** Defaults of every `wattformer train` setting (the worker count defaults to the machine's cores). */
export const TRAIN_DEFAULTS: Omit<TrainSettings, 'workers'> = {
  data: 'shakespeare',
  tokenizer: 'bpe',
  textField: 'text',
  out: 'wattformer-run',
  backend: 'wasm',
  steps: 200,
  resume: false,
  layers: 4,
  heads: 4,
  modelDim: 128,
  contextLength: 64,
  batchSize: 12,
  learningRate: 1e-3,
  minLearningRate: 1e-4,
  warmupSteps: 20,
  weightDecay: 0.1,
  gradientClip: 1,
  accumulationSteps: 1,
  evalEvery: 50,
  evalIterations: 5,
  checkpointEvery: 100,
  keepLast: 3,
  seed: 1,
  region: 'WORLD',
};

const INTEGERS = [
  'maxChars',
  'workers',
  'steps',
  'layers',
  'heads',
  'modelDim',
  'contextLength',
  'batchSize',
  'accumulationSteps',
  'evalEvery',
  'evalIterations',
  'checkpointEvery',
  'keepLast',
] as const;
const POSITIVE = ['learningRate', 'gradientClip', 'budgetCo2eKg', 'budgetKWh', 'maxSeconds'] as const;
const NON_NEGATIVE = ['minLearningRate', 'warmupSteps', 'weightDecay', 'seed'] as const;

/** Numbers like `3e-4` or `1_000` from flags; anything else is refused by name. */
function toNumber(name: string, value: unknown): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.replace(/_/g, '')) : NaN;
  if (!Number.isFinite(number)) throw cliError('E_ARGUMENT', trainFlag(name), 'a number', JSON.stringify(value));
  return number;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Settings whose flag is not the kebab-case of their name (errors name the flag a user typed). */
const FLAG_OF: Record<string, string> = {
  modelDim: '--d-model',
  contextLength: '--context',
  batchSize: '--batch',
  learningRate: '--lr',
  minLearningRate: '--min-lr',
  warmupSteps: '--warmup',
  gradientClip: '--clip',
  accumulationSteps: '--accumulation',
  evalIterations: '--eval-iters',
  budgetKWh: '--budget-kwh',
};
/** The flag of a setting, e.g. `--d-model` for modelDim. */
export const trainFlag = (key: string): string => FLAG_OF[key] ?? `--${kebab(key)}`;

/**
 * The train settings from a config file and command-line flags (flags win, then the config, then `TRAIN_DEFAULTS`); unknown keys and bad values are refused naming the flag.
 */
export function resolveTrainSettings(config: Record<string, unknown>, flags: Record<string, unknown>): TrainSettings {
  const known = new Set(Object.keys(TRAIN_DEFAULTS).concat('budgetCo2eKg', 'budgetKWh', 'workers', 'maxSeconds', 'maxChars'));
  for (const key of Object.keys(config)) {
    if (!known.has(key)) throw cliError('E_UNKNOWN_CHOICE', 'train', `config keys among ${[...known].join(', ')}`, `'${key}'`);
  }
  const merged: Record<string, unknown> = { ...TRAIN_DEFAULTS, ...config };
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) merged[key] = value;
  for (const key of [...INTEGERS, ...POSITIVE, ...NON_NEGATIVE]) {
    if (merged[key] === undefined) continue;
    const value = toNumber(key, merged[key]);
    if ((INTEGERS as readonly string[]).includes(key) && (!Number.isInteger(value) || value < 1)) {
      throw cliError('E_ARGUMENT', trainFlag(key), 'a positive integer', String(merged[key]));
    }
    if ((POSITIVE as readonly string[]).includes(key) && !(value > 0)) throw cliError('E_ARGUMENT', trainFlag(key), 'a number > 0', String(merged[key]));
    if ((NON_NEGATIVE as readonly string[]).includes(key) && !(value >= 0)) throw cliError('E_ARGUMENT', trainFlag(key), 'a number ≥ 0', String(merged[key]));
    merged[key] = value;
  }
  const settings = merged as unknown as TrainSettings;
  if (settings.modelDim % settings.heads !== 0) {
    throw cliError(
      'E_ARGUMENT',
      '--d-model',
      `a multiple of --heads (${settings.heads})`,
      String(settings.modelDim),
      'each head gets d-model / heads dimensions: change --d-model or --heads',
    );
  }
  if (merged.workers === undefined) settings.workers = settings.backend === 'webgpu' ? 1 : defaultWorkers(settings.batchSize);
  else if (settings.workers > settings.batchSize) {
    throw cliError(
      'E_ARGUMENT',
      '--workers',
      `at most --batch (${settings.batchSize}): each worker takes at least one row of the batch`,
      String(settings.workers),
      'use fewer --workers or a larger --batch',
    );
  }
  settings.resume = Boolean(merged.resume);
  // Checked here, before the backend or the data is touched: a bad value exits 2 at once.
  parseTokenizerSpec(String(settings.tokenizer));
  return settings;
}
