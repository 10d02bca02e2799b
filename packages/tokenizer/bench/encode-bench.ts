import * as gptCl100k from 'gpt-tokenizer/encoding/cl100k_base';
import * as gptO200k from 'gpt-tokenizer/encoding/o200k_base';
import * as gptR50k from 'gpt-tokenizer/encoding/r50k_base';
import { getEncoding as jsTiktokenEncoding } from 'js-tiktoken';
import { get_encoding } from 'tiktoken';
import { type EncodingName, getEncoding } from '../src/get-encoding';
import { wellFormed } from '../src/test-support/corpus';
import { type Summary, summarize, time } from './stats';

interface Implementation {
  readonly name: string;
  encode(text: string): ArrayLike<number>;
  decode(ids: ArrayLike<number>): string;
}

const GPT_TOKENIZER = { r50k_base: gptR50k, cl100k_base: gptCl100k, o200k_base: gptO200k } as const;
const utf8 = new TextDecoder();

async function implementations(encoding: keyof typeof GPT_TOKENIZER): Promise<Implementation[]> {
  const ours = await getEncoding(encoding as EncodingName);
  const gpt = GPT_TOKENIZER[encoding];
  const js = jsTiktokenEncoding(encoding);
  const wasm = get_encoding(encoding);
  return [
    { name: 'wattformer', encode: (t) => ours.encode(t), decode: (ids) => ours.decode(ids) },
    { name: 'gpt-tokenizer', encode: (t) => gpt.encode(t), decode: (ids) => gpt.decode(ids as number[]) },
    { name: 'js-tiktoken', encode: (t) => js.encode(t), decode: (ids) => js.decode(ids as number[]) },
    { name: 'tiktoken (wasm)', encode: (t) => wasm.encode(t), decode: (ids) => utf8.decode(wasm.decode(Uint32Array.from(ids))) },
  ];
}

export interface ThroughputRow {
  readonly implementation: string;
  readonly encodeMBps: Summary;
  readonly decodeMBps: Summary;
}

export interface ThroughputResult {
  readonly encoding: string;
  readonly corpus: string;
  readonly bytes: number;
  readonly tokens: number;
  readonly repeats: number;
  readonly idsVerifiedIdentical: true;
  readonly rows: ThroughputRow[];
  /** Our median MB/s divided by each anchor's median MB/s. */
  readonly ratios: Record<string, { encode: number; decode: number }>;
}

function sameIds(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Encode and decode throughput of every implementation on one text, interleaved round by round
 * (each round runs all of them, in a rotated order) so machine noise hits all alike.
 */
export async function throughput(encoding: keyof typeof GPT_TOKENIZER, corpus: string, text: string, repeats: number): Promise<ThroughputResult> {
  const impls = await implementations(encoding);
  const bytes = Buffer.byteLength(text);
  // Verify before timing: every implementation must produce our ids and decode them back.
  const reference = impls[0]!.encode(text);
  const idsList = Array.from(reference);
  for (const impl of impls) {
    const ids = impl.encode(text);
    if (!sameIds(ids, reference)) throw new Error(`bench: ${impl.name} and wattformer disagree on ${encoding}/${corpus}; refusing to time`);
    if (impl.decode(idsList) !== wellFormed(text)) throw new Error(`bench: ${impl.name} does not decode ${encoding}/${corpus} back to the text`);
  }
  const encodeSeconds: number[][] = impls.map(() => []);
  const decodeSeconds: number[][] = impls.map(() => []);
  for (let round = 0; round < repeats; round++) {
    for (let k = 0; k < impls.length; k++) {
      const i = (k + round) % impls.length;
      const impl = impls[i]!;
      encodeSeconds[i]!.push(time(() => impl.encode(text)));
      decodeSeconds[i]!.push(time(() => impl.decode(idsList)));
    }
  }
  const mbps = (seconds: number[]) => summarize(seconds.map((s) => bytes / 1e6 / s));
  const rows = impls.map((impl, i) => ({ implementation: impl.name, encodeMBps: mbps(encodeSeconds[i]!), decodeMBps: mbps(decodeSeconds[i]!) }));
  const ours = rows[0]!;
  const ratios = Object.fromEntries(
    rows
      .slice(1)
      .map((row) => [row.implementation, { encode: ours.encodeMBps.median / row.encodeMBps.median, decode: ours.decodeMBps.median / row.decodeMBps.median }]),
  );
  return {
    encoding,
    corpus,
    bytes,
    tokens: reference.length,
    repeats,
    idsVerifiedIdentical: true,
    rows,
    ratios,
  };
}
