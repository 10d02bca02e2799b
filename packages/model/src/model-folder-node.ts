/**
 * Model folders on disk (Node): `saveModelFolder` writes what `AutoModelForCausalLM` and
 * `AutoTokenizer.from_pretrained(dir)` read, `loadTextGenerator` reads our folders and Hugging Face
 * GPT-2 folders (`tokenizer.json`, or `vocab.json` + `merges.txt`; one `model.safetensors` or shards).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { loadGptCheckpoint, syncFolder } from './checkpoint-node';
import { modelError } from './errors';
import { asObject, assembleTextGenerator, MAX_TOKENIZER_FILE_BYTES, modelFolderFiles, tokenizerFromFiles, type ModelFolderOptions } from './model-folder';
import type { TextGenerator, TextGeneratorOptions } from './text-generator';
import type { TextTokenizer } from './text-tokenizer';

/**
 * Writes a model folder: `config.json`, `model.safetensors`, `tokenizer.json`,
 * `tokenizer_config.json`, `special_tokens_map.json`, `generation_config.json`. Other files in the
 * folder (a run's report, metrics, training state) are left alone.
 *
 * Atomic: a new folder is written under a temporary name beside it and renamed into place; in an
 * existing folder every file is first written and fsynced under a temporary name, then all are
 * renamed, so a crash leaves either the old file or the new one under each name, never a partial one.
 */
export async function saveModelFolder(dir: string, options: ModelFolderOptions): Promise<void> {
  const files = await modelFolderFiles(options);
  const existing = await stat(dir).then(
    (s) => s,
    () => undefined,
  );
  if (existing !== undefined && !existing.isDirectory()) {
    throw modelError('saveModelFolder', `a folder path`, `'${dir}', an existing file`, 'choose another path');
  }
  if (existing === undefined) {
    await mkdir(dirname(dir), { recursive: true });
    const temporary = join(dirname(dir), `.${basename(dir)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(temporary);
      for (const [name, bytes] of files) await writeSynced(join(temporary, name), bytes);
      await syncFolder(temporary);
      await rename(temporary, dir);
    } catch (error) {
      await rm(temporary, { recursive: true, force: true });
      throw error;
    }
    await syncFolder(dirname(dir));
    return;
  }
  const suffix = `.${randomBytes(6).toString('hex')}.tmp`;
  const written: string[] = [];
  try {
    for (const [name, bytes] of files) {
      await writeSynced(join(dir, name + suffix), bytes);
      written.push(name);
    }
    for (const name of written) await rename(join(dir, name + suffix), join(dir, name));
  } catch (error) {
    await Promise.all(written.map((name) => rm(join(dir, name + suffix), { force: true })));
    throw error;
  }
  await syncFolder(dir);
}

/**
 * Options of `loadTextGenerator`: the generator's options, and a tokenizer to use instead of the folder's.
 */
export interface LoadTextGeneratorOptions extends TextGeneratorOptions {
  /** Use this tokenizer instead of the folder's. */
  readonly tokenizer?: TextTokenizer;
}

/**
 * A TextGenerator from a model folder, its parameters on the active backend (call `dispose()` on
 * it to free them). Reads `config.json`, `model.safetensors` (or `model.safetensors.index.json` and
 * its shards), the tokenizer (`tokenizer.json`, or `vocab.json` + `merges.txt`) and, when present,
 * `generation_config.json` (eos/bos ids and sampling defaults).
 */
export async function loadTextGenerator(dir: string, options: LoadTextGeneratorOptions = {}): Promise<TextGenerator> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw modelError(
      'loadTextGenerator',
      'a model folder (config.json, model.safetensors, tokenizer.json)',
      `'${dir}': ${info === undefined ? 'no such folder' : 'not a folder'}`,
      'pass the --out folder of `wattformer train` or a folder written by save_pretrained',
    );
  }
  const configText = await readText(join(dir, 'config.json'), 1 << 20, true);
  const generationText = await readText(join(dir, 'generation_config.json'), 1 << 20, false);
  const { tokenizer: given, ...rest } = options;
  const tokenizer = given ?? (await readTokenizer(dir));
  const checkpoint = await loadGptCheckpoint(dir);
  return assembleTextGenerator(
    checkpoint,
    asObject(configText!, 'config.json'),
    generationText === undefined ? undefined : asObject(generationText, 'generation_config.json'),
    tokenizer,
    rest,
  );
}

async function readTokenizer(dir: string): Promise<TextTokenizer> {
  const tokenizerJson = await readText(join(dir, 'tokenizer.json'), MAX_TOKENIZER_FILE_BYTES, false);
  if (tokenizerJson !== undefined) return tokenizerFromFiles({ tokenizerJson });
  const vocabJson = await readText(join(dir, 'vocab.json'), MAX_TOKENIZER_FILE_BYTES, false);
  const mergesTxt = await readText(join(dir, 'merges.txt'), MAX_TOKENIZER_FILE_BYTES, false);
  const configText = await readText(join(dir, 'tokenizer_config.json'), 1 << 20, false);
  const addPrefixSpace = configText === undefined ? undefined : asObject(configText, 'tokenizer_config.json').add_prefix_space;
  return tokenizerFromFiles({
    ...(vocabJson === undefined ? {} : { vocabJson }),
    ...(mergesTxt === undefined ? {} : { mergesTxt }),
    ...(addPrefixSpace === true ? { addPrefixSpace: true } : {}),
  });
}

/** A text file, its size checked before it is read; undefined when absent and not required. */
async function readText(path: string, maxBytes: number, required: boolean): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) {
    if (!required) return undefined;
    throw modelError(
      'loadTextGenerator',
      `'${basename(path)}' in '${dirname(path)}'`,
      'none',
      'a model folder holds config.json, model.safetensors and its tokenizer (save_pretrained writes them)',
    );
  }
  if (info.size > maxBytes)
    throw modelError('loadTextGenerator', `'${basename(path)}' of at most ${maxBytes} bytes`, `${info.size} bytes`, 'is this the right file?');
  return readFile(path, 'utf8');
}

async function writeSynced(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
