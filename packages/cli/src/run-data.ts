/**
 * The data of a run: a new run resolves `--data`, builds `--tokenizer` (one pass for char/bpe) and
 * tokenizes everything into `training_state/tokens.bin` (a second pass); `--resume` reopens that
 * file with the tokenizer saved in `training_state/`. Training reads windows from the file: the
 * first 90% of the tokens train, the last 10% validate.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { splitTokens, type TokenSource } from '@wattformer/trainer';
import { Tokenizer } from '@wattformer/tokenizer';
import { limitCharacters, resolveDataSource } from './data-source';
import { cliError } from './errors';
import { openRunTokens, tokenizeToFile, type TokenFileInfo } from './prepare-tokens';
import type { RunPaths } from './run-folder';
import { buildTokenizer, MAX_TOKENIZER_BYTES, parseTokenizerSpec, trainingTokenizer, type TrainingTokenizer } from './tokenizer-choice';

export interface RunData {
  readonly tokenizer: TrainingTokenizer;
  readonly train: TokenSource;
  readonly validation: TokenSource;
  readonly info: TokenFileInfo;
  close(): void;
}

export interface RunDataSettings {
  readonly data: string;
  readonly tokenizer: string;
  readonly textField: string;
  /** Use only the first this-many characters of the data. */
  readonly maxChars?: number;
  readonly contextLength: number;
  readonly resume: boolean;
}

export async function prepareRunData(settings: RunDataSettings, paths: RunPaths, log: (line: string) => void): Promise<RunData> {
  let tokenizer: TrainingTokenizer;
  if (settings.resume) {
    const size = (await stat(paths.stateTokenizer).catch(() => undefined))?.size ?? 0;
    if (size > MAX_TOKENIZER_BYTES)
      throw cliError('E_ARGUMENT', 'train --resume', `a tokenizer.json of at most ${MAX_TOKENIZER_BYTES} bytes`, `${size} bytes in ${paths.stateTokenizer}`);
    const json = await readFile(paths.stateTokenizer, 'utf8').catch(() => {
      throw cliError('E_ARGUMENT', 'train --resume', `the run's tokenizer ${paths.stateTokenizer}`, 'none', 'start the run without --resume first');
    });
    tokenizer = trainingTokenizer(Tokenizer.fromJSON(json), "the run's tokenizer");
  } else {
    const spec = parseTokenizerSpec(settings.tokenizer);
    const all = await resolveDataSource(settings.data, { textField: settings.textField });
    const data = settings.maxChars ? limitCharacters(all, settings.maxChars) : all;
    log(`data: ${data.description}`);
    tokenizer = await buildTokenizer(spec, data, log);
    log(`tokenizer: ${tokenizer.description}`);
    await mkdir(paths.state, { recursive: true });
    await writeFile(paths.stateTokenizer, `${tokenizer.tokenizer.toString()}\n`);
    await tokenizeToFile(data, tokenizer, paths.state);
  }
  const { file, info } = await openRunTokens(paths.state, tokenizer.vocabSize);
  if (settings.resume)
    log(`data: ${info.source}, ${info.tokens.toLocaleString()} tokens as tokenized when the run started (--data and --tokenizer apply to new runs)`);
  const T = settings.contextLength;
  // 10% validates; each part needs at least one window of T + 1 tokens.
  if (Math.floor(file.length * 0.1) < T + 1) {
    file.close();
    throw cliError(
      'E_ARGUMENT',
      '--data',
      `at least ${10 * (T + 1)} tokens (10% of them validate, in windows of --context + 1 = ${T + 1})`,
      `${info.tokens} tokens`,
      'use more text, a smaller --context, or a smaller vocabulary (--tokenizer char)',
    );
  }
  const { train, validation } = splitTokens(file, 0.1);
  return { tokenizer, train, validation, info, close: () => file.close() };
}
