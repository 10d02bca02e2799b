import { ByteTable } from './byte-table';
import { TokenizerError } from './errors';
import { Vocabulary, checkSingleBytes, maxRankFor } from './vocabulary';

/**
 * The `.tiktoken` rank-file format: one `base64(token bytes) rank` per line. Parsed by hand
 * (no atob per line) because o200k_base has 200k lines and load time is user-visible.
 */
const BASE64_VALUE = (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function malformed(line: number, expected: string, got: string): TokenizerError {
  return new TokenizerError('E_MALFORMED_RANKS', {
    op: 'parseTiktokenRanks',
    expected,
    got: `${got} on line ${line}`,
    help: 'a .tiktoken file has one "base64(bytes) rank" pair per line, as in tiktoken\'s published files',
  });
}

/** Parses `.tiktoken` text (or its UTF-8 bytes) into a Vocabulary. */
export function parseTiktokenRanks(data: string | Uint8Array): Vocabulary {
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
  // Ranks are bounded by the number of lines, counted before anything is sized by a rank.
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  const rankBound = maxRankFor(lines);
  const table = new ByteTable(Math.min(lines, text.length / 8), text.length);
  const scratch = new Uint8Array(1024);
  const seenRanks = new Uint8Array(rankBound);
  let pos = 0;
  let line = 0;
  const n = text.length;
  while (pos < n) {
    line++;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    let lineEnd = end;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    if (lineEnd === pos) {
      pos = end + 1;
      continue;
    }
    const space = text.indexOf(' ', pos);
    if (space < 0 || space >= lineEnd) {
      throw malformed(line, '"base64 rank"', JSON.stringify(text.slice(pos, Math.min(lineEnd, pos + 40))));
    }
    // Decode base64 of [pos, space).
    let written = 0;
    let acc = 0;
    let bits = 0;
    let padding = 0;
    for (let i = pos; i < space; i++) {
      const c = text.charCodeAt(i);
      if (c === 61 /* = */) {
        padding++;
        continue;
      }
      const v = c < 128 ? BASE64_VALUE[c]! : -1;
      if (v < 0 || padding > 0) throw malformed(line, 'base64 token bytes', JSON.stringify(text.slice(pos, space)));
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        if (written === scratch.length) throw malformed(line, 'a token of at most 1024 bytes', 'a longer one');
        scratch[written++] = (acc >> bits) & 0xff;
      }
    }
    if ((space - pos) % 4 !== 0 || padding > 2 || written === 0) {
      throw malformed(line, 'base64 token bytes', JSON.stringify(text.slice(pos, space)));
    }
    let rank = 0;
    if (space + 1 >= lineEnd) throw malformed(line, 'a rank after the space', 'nothing');
    for (let i = space + 1; i < lineEnd; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9 || rank > 1e9) {
        throw malformed(line, 'a non-negative integer rank', JSON.stringify(text.slice(space + 1, lineEnd)));
      }
      rank = rank * 10 + d;
    }
    if (rank >= rankBound) {
      throw malformed(
        line,
        `a rank below ${rankBound} (a file of ${lines} lines numbers its tokens 0..${lines - 1}, give or take gaps)`,
        `rank ${text.slice(space + 1, lineEnd)}`,
      );
    }
    if (seenRanks[rank]) throw malformed(line, 'each rank once', `rank ${rank} again`);
    seenRanks[rank] = 1;
    if (table.indexOf(scratch, 0, written) >= 0) throw malformed(line, 'each token once', 'a repeated token');
    table.set(scratch, 0, written, rank);
    pos = end + 1;
  }
  if (table.size === 0) throw malformed(line, 'at least one rank', 'an empty file');
  const vocabulary = new Vocabulary(table, 'parseTiktokenRanks');
  checkSingleBytes(vocabulary, 'parseTiktokenRanks');
  return vocabulary;
}

function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += BASE64_ALPHABET[v >> 18]! + BASE64_ALPHABET[(v >> 12) & 63]! + BASE64_ALPHABET[(v >> 6) & 63]! + BASE64_ALPHABET[v & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = bytes[i]! << 16;
    out += BASE64_ALPHABET[v >> 18]! + BASE64_ALPHABET[(v >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += BASE64_ALPHABET[v >> 18]! + BASE64_ALPHABET[(v >> 12) & 63]! + BASE64_ALPHABET[(v >> 6) & 63]! + '=';
  }
  return out;
}

/** Writes a Vocabulary back to `.tiktoken` text (rank order). */
export function serializeTiktokenRanks(vocabulary: Vocabulary): string {
  const lines: string[] = [];
  for (const [bytes, rank] of vocabulary.entries()) lines.push(`${toBase64(bytes)} ${rank}`);
  return lines.join('\n') + '\n';
}
