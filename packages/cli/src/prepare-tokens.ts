/**
 * The data, tokenized once in a streamed pass into a token file (`tokens.bin`, raw uint16/uint32,
 * nanoGPT's layout) plus `tokens.json` describing it; training then reads windows from the file,
 * so a corpus larger than memory trains. Each document ends with the end-of-text token.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openTokenFile, TokenFileWriter, tokenDtypeFor, type TokenDtype, type TokenFile } from '@wattformer/trainer/node';
import type { DataSource } from './data-source';
import { formatBytes } from './data-source';
import { cliError } from './errors';
import { progressLine } from './progress-line';
import type { TrainingTokenizer } from './tokenizer-choice';

export interface TokenFileInfo {
  readonly format: 'wattformer-tokens';
  readonly dtype: TokenDtype;
  readonly tokens: number;
  readonly documents: number;
  readonly characters: number;
  readonly vocabSize: number;
  readonly source: string;
}

export const TOKENS_FILE = 'tokens.bin';
export const TOKENS_INFO = 'tokens.json';

export async function tokenizeToFile(data: DataSource, tokenizer: TrainingTokenizer, folder: string): Promise<TokenFileInfo> {
  const dtype = tokenDtypeFor(tokenizer.vocabSize);
  const partial = join(folder, `${TOKENS_FILE}.partial`);
  const writer = new TokenFileWriter(partial, dtype, tokenizer.vocabSize);
  const progress = progressLine('tokenize', data.size, formatBytes);
  let documents = 0;
  let characters = 0;
  try {
    for await (const piece of data.pieces((done) => progress.update(done, `${writer.count.toLocaleString()} tokens`))) {
      if (piece.text.length > 0) writer.append(tokenizer.encode(piece.text));
      characters += piece.text.length;
      if (piece.endOfDocument) {
        documents++;
        if (tokenizer.endOfText) writer.append([tokenizer.endOfText.id]);
      }
    }
  } finally {
    writer.close();
  }
  progress.finish(`${writer.count.toLocaleString()} tokens, ${documents.toLocaleString()} document${documents === 1 ? '' : 's'}`);
  // The finished file gets its real name only when complete, so a crash never leaves a short one.
  await rename(partial, join(folder, TOKENS_FILE));
  const info: TokenFileInfo = {
    format: 'wattformer-tokens',
    dtype,
    tokens: writer.count,
    documents,
    characters,
    vocabSize: tokenizer.vocabSize,
    source: data.description,
  };
  await writeFile(join(folder, TOKENS_INFO), `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

/** Opens the token file of a run folder (checked against its description and the vocabulary). */
export async function openRunTokens(folder: string, vocabSize: number): Promise<{ file: TokenFile; info: TokenFileInfo }> {
  const op = 'train --resume';
  const infoPath = join(folder, TOKENS_INFO);
  let info: TokenFileInfo;
  try {
    info = JSON.parse(await readFile(infoPath, 'utf8')) as TokenFileInfo;
  } catch {
    throw cliError('E_ARGUMENT', op, `the tokenized data ${infoPath}`, 'none or unreadable', 'start a new run (without --resume) to tokenize the data');
  }
  if (info?.format !== 'wattformer-tokens' || (info.dtype !== 'uint16' && info.dtype !== 'uint32') || info.vocabSize !== vocabSize) {
    throw cliError(
      'E_ARGUMENT',
      op,
      `${infoPath} describing uint16/uint32 tokens of a ${vocabSize}-token vocabulary`,
      JSON.stringify(info).slice(0, 120),
      'start a new run (without --resume)',
    );
  }
  const file = openTokenFile(join(folder, TOKENS_FILE), { dtype: info.dtype, vocabSize });
  if (file.length !== info.tokens) {
    file.close();
    throw cliError(
      'E_ARGUMENT',
      op,
      `${info.tokens} tokens in ${join(folder, TOKENS_FILE)}`,
      String(file.length),
      'the token file is damaged: start a new run',
    );
  }
  return { file, info };
}
