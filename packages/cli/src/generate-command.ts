/** `wattformer generate`: load a run's newest checkpoint and tokenizer, then continue a prompt. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate, loadGptCheckpoint } from '@wattformer/model/node';
import { CharTokenizer } from '@wattformer/tokenizer';
import { listCheckpoints } from '@wattformer/trainer/node';
import { cliError } from './errors';
import { useCliBackend } from './use-backend';

export interface GenerateSettings {
  run: string;
  prompt: string;
  tokens: number;
  temperature: number;
  topK?: number;
  seed: number;
  backend: string;
}

export async function runGenerate(settings: GenerateSettings, write: (text: string) => void = (t) => process.stdout.write(t)): Promise<string> {
  await useCliBackend(settings.backend, 'generate', (line) => process.stderr.write(`${line}\n`));
  const steps = await listCheckpoints(join(settings.run, 'checkpoints'));
  if (steps.length === 0) throw cliError('E_ARGUMENT', 'generate', `checkpoints in ${join(settings.run, 'checkpoints')}`, 'none', 'point --run at a folder written by `wattformer train`');
  const folder = join(settings.run, 'checkpoints', `step-${String(steps.at(-1)).padStart(6, '0')}`);
  const { parameters, config } = await loadGptCheckpoint(folder);
  const tokenizer = CharTokenizer.fromJSON(await readFile(join(settings.run, 'tokenizer.json'), 'utf8'));
  const prompt = tokenizer.encode(settings.prompt || (tokenizer.vocab.includes('\n') ? '\n' : tokenizer.vocab[0]!));
  const room = config.contextLength - prompt.length;
  if (settings.tokens > room) {
    throw cliError('E_ARGUMENT', 'generate', `--tokens ≤ ${room} (context ${config.contextLength} minus the prompt)`, String(settings.tokens), 'use a shorter prompt or fewer tokens');
  }
  const [result] = await generate(parameters, config, [prompt], {
    maxNewTokens: settings.tokens,
    sample: settings.temperature > 0,
    temperature: settings.temperature > 0 ? settings.temperature : 1,
    ...(settings.topK ? { topK: settings.topK } : {}),
    seed: settings.seed,
  });
  const text = tokenizer.decode(result!.tokens);
  write(`${settings.prompt}${text}\n`);
  return text;
}
