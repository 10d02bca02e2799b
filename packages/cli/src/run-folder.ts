/**
 * The run folder of `wattformer train` IS a Hugging Face model folder: `config.json`,
 * `model.safetensors`, `tokenizer.json`, `tokenizer_config.json`, `special_tokens_map.json` and
 * `generation_config.json` at the top (what `AutoModelForCausalLM` / `AutoTokenizer.from_pretrained`
 * and `wattformer generate` read), next to the run's `report.html`, `metrics.jsonl`,
 * `carbon-report.html`, `carbon.json` and `emissions.csv`. Everything needed only to continue training lives in
 * `training_state/`: checkpoints (optimizer moments, data position and RNG, each with its model),
 * the tokenizer as trained, and the tokenized data (`tokens.bin` + `tokens.json`).
 */
import { join } from 'node:path';
import type { GptConfig, GptParameters } from '@wattformer/model';
import { saveModelFolder } from '@wattformer/model/node';
import type { TrainingTokenizer } from './tokenizer-choice';

export interface RunPaths {
  readonly root: string;
  /** Training state: checkpoints, tokenizer as trained, token file. */
  readonly state: string;
  readonly checkpoints: string;
  /** The tokenizer the run trains with (source of truth for --resume). */
  readonly stateTokenizer: string;
  readonly metrics: string;
  readonly report: string;
  readonly carbonReport: string;
  /** The run's energy and CO2e figures (carbon-estimator's estimate JSON), for scripts. */
  readonly carbonSummary: string;
  readonly emissions: string;
}

export const TRAINING_STATE = 'training_state';

export function runPaths(out: string): RunPaths {
  const state = join(out, TRAINING_STATE);
  return {
    root: out,
    state,
    checkpoints: join(state, 'checkpoints'),
    stateTokenizer: join(state, 'tokenizer.json'),
    metrics: join(out, 'metrics.jsonl'),
    report: join(out, 'report.html'),
    carbonReport: join(out, 'carbon-report.html'),
    carbonSummary: join(out, 'carbon.json'),
    emissions: join(out, 'emissions.csv'),
  };
}

/** Sampling defaults written to generation_config.json (HF `generate()` and `wattformer generate`). */
export const GENERATION_DEFAULTS = { sample: true, temperature: 0.8, topK: 50, maxNewTokens: 200 } as const;

/** Writes (atomically) the model files at the top of the run folder. */
export async function saveRunModel(paths: RunPaths, parameters: GptParameters, config: GptConfig, tokenizer: TrainingTokenizer): Promise<void> {
  await saveModelFolder(paths.root, {
    parameters,
    config,
    tokenizer: tokenizer.tokenizer,
    generation: GENERATION_DEFAULTS,
    ...(tokenizer.endOfText ? { eosToken: tokenizer.endOfText.token, bosToken: tokenizer.endOfText.token } : {}),
  });
}
