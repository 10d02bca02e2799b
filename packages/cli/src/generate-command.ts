/**
 * `wattformer generate`: text from a model folder, a `wattformer train` run or a Hugging Face GPT-2
 * folder (`save_pretrained`), through `loadTextGenerator`: the folder's tokenizer and generation
 * defaults, sampling options from flags, past the context by a sliding window, streamed with `--stream`.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTextGenerator, type TextGenerationOptions } from '@wattformer/model/node';
import { cliError } from './errors';
import { useCliBackend } from './use-backend';

/** Settings of `wattformer generate` (`runGenerate`): model folder, prompt, sampling and length. */
export interface GenerateSettings {
  model: string;
  prompt: string;
  maxNewTokens?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  seed: number;
  stream: boolean;
  /** Keep byte-level output well-formed UTF-8 (the model's `constrainUtf8`); default true. */
  constrainUtf8?: boolean;
  backend: string;
}

/**
 * Runs `wattformer generate`: loads a model folder and writes the continuation of the prompt (streamed through `write`); resolves to the generated text.
 */
export async function runGenerate(settings: GenerateSettings, write: (text: string) => void = (t) => process.stdout.write(t)): Promise<string> {
  for (const [flag, value, ok] of [
    ['--max-new-tokens', settings.maxNewTokens, (v: number) => Number.isInteger(v) && v >= 1],
    ['--temperature', settings.temperature, (v: number) => v >= 0],
    ['--top-k', settings.topK, (v: number) => Number.isInteger(v) && v >= 1],
    ['--top-p', settings.topP, (v: number) => v > 0 && v <= 1],
  ] as const) {
    if (value !== undefined && !ok(value)) {
      const expected = flag === '--temperature' ? '≥ 0 (0 = greedy)' : flag === '--top-p' ? 'in (0, 1]' : 'a positive integer';
      throw cliError('E_ARGUMENT', flag, expected, String(value));
    }
  }
  const folder = await stat(settings.model).catch(() => undefined);
  if (!folder?.isDirectory() || !(await stat(join(settings.model, 'config.json')).catch(() => undefined))) {
    throw cliError(
      'E_ARGUMENT',
      '--model',
      'a model folder (config.json, model.safetensors, tokenizer.json)',
      `'${settings.model}'${folder ? ' without config.json' : ' (no such folder)'}`,
      'pass the --out folder of `wattformer train`, or a folder written by save_pretrained',
    );
  }
  await useCliBackend(settings.backend, 'generate', (line) => process.stderr.write(`${line}\n`));
  const generator = await loadTextGenerator(settings.model);
  const options: TextGenerationOptions = {
    ...(settings.maxNewTokens !== undefined ? { maxNewTokens: settings.maxNewTokens } : {}),
    ...(settings.temperature !== undefined ? (settings.temperature === 0 ? { sample: false } : { sample: true, temperature: settings.temperature }) : {}),
    ...(settings.topK !== undefined ? { topK: settings.topK } : {}),
    ...(settings.topP !== undefined ? { topP: settings.topP } : {}),
    seed: settings.seed,
    ...(settings.constrainUtf8 === false ? { constrainUtf8: false } : {}),
  };
  try {
    write(settings.prompt);
    let text = '';
    if (settings.stream) {
      for await (const chunk of generator.stream(settings.prompt, options)) {
        write(chunk);
        text += chunk;
      }
    } else {
      text = await generator.generate(settings.prompt, options);
      write(text);
    }
    write('\n');
    return text;
  } finally {
    generator.dispose();
  }
}
