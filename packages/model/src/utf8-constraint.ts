/**
 * Keeps generated text well-formed UTF-8 when a byte-level tokenizer (byte-level BPE: GPT-2,
 * tiktoken, `trainBpe`) lets the model sample single bytes.
 *
 * A byte-level model can sample byte tokens that together are not UTF-8 at all: a lead byte
 * followed by a non-continuation byte, a continuation byte with no lead, an overlong or surrogate
 * form, or the row ending mid-character. Decoding them prints U+FFFD. This is not the split of a
 * character across tokens that `IncrementalText` already holds back: those bytes are invalid.
 *
 * `Utf8Constraint` is the UTF-8 decoder as a small automaton over the well-formed byte sequences
 * of Unicode's Table 3-7 (lead C2–DF, E0 A0–BF, E1–EC, ED 80–9F, EE–EF, F0 90–BF, F1–F3, F4 80–8F;
 * never C0, C1, F5–FF). Its state after the text generated so far says how many bytes are still
 * expected and the range the next one must fall in. Once per tokenizer it runs every token's bytes
 * from every state (10 states × the vocabulary), so a generation step costs one pass over a
 * precomputed list: the few tokens banned while no character is pending, or the few allowed
 * while one is. Before each draw the banned tokens' logits become −∞ (as Hugging Face's logits
 * processors and llama.cpp's grammars constrain sampling), so greedy, temperature, top-k and
 * top-p all choose among tokens that keep the text well-formed, and where the unconstrained choice
 * was already well-formed nothing changes for greedy decoding.
 *
 * Two rules beyond Table 3-7: U+FFFD itself (EF BF BD) is banned too, so generated text never
 * shows the replacement character; and a state from which no sequence of tokens can complete the
 * character is treated as ill-formed (a tokenizer without all 256 byte tokens can have such dead
 * ends), so a pending character can always be completed. Tokens whose bytes cannot be known
 * (their text has U+FFFD and the tokenizer exposes no bytes) are never generated.
 *
 * Token bytes come from, in order: the tokenizer's `tokenBytes(id)` (tiktoken `Encoding`); for a
 * Hugging Face tokenizer whose decoder is `ByteLevel`, its token string mapped back through
 * GPT-2's byte↔character table; else its text when that has no U+FFFD (`decode([id])`, complete
 * characters). A tokenizer whose every token decodes to complete characters (a
 * character-level one) gets no constraint (`forTokenizer` returns null): it costs nothing per step.
 */
import type { TextTokenizer } from './text-tokenizer';

/** Automaton state: 0 = no character pending (the text so far is complete). */
export type Utf8State = number;

/** No character pending. */
export const UTF8_COMPLETE: Utf8State = 0;
const STATES = 10;
const REJECT = -1;

/**
 * One byte through the automaton. States: 0 complete; 1 one continuation byte (80–BF) expected;
 * 2 two (80–BF, 80–BF); 3 after E0 (A0–BF, then one); 4 after ED (80–9F, then one); 5 after F0
 * (90–BF, then two); 6 after F1–F3 (80–BF, then two); 7 after F4 (80–8F, then two); 8 after EF
 * (80–BF, then one; BF goes to 9); 9 after EF BF (80–BF but not BD, which would be U+FFFD).
 */
export function utf8Step(state: Utf8State, byte: number): Utf8State {
  const continuation = byte >= 0x80 && byte <= 0xbf;
  switch (state) {
    case 0:
      if (byte < 0x80) return 0;
      if (byte < 0xc2) return REJECT; // a continuation byte with no lead, or C0/C1 (overlong)
      if (byte < 0xe0) return 1;
      if (byte === 0xe0) return 3;
      if (byte === 0xed) return 4;
      if (byte === 0xef) return 8;
      if (byte < 0xf0) return 2;
      if (byte === 0xf0) return 5;
      if (byte < 0xf4) return 6;
      if (byte === 0xf4) return 7;
      return REJECT; // F5–FF
    case 1:
      return continuation ? 0 : REJECT;
    case 2:
      return continuation ? 1 : REJECT;
    case 3:
      return byte >= 0xa0 && byte <= 0xbf ? 1 : REJECT;
    case 4:
      return byte >= 0x80 && byte <= 0x9f ? 1 : REJECT;
    case 5:
      return byte >= 0x90 && byte <= 0xbf ? 2 : REJECT;
    case 6:
      return continuation ? 2 : REJECT;
    case 7:
      return byte >= 0x80 && byte <= 0x8f ? 2 : REJECT;
    case 8:
      return byte === 0xbf ? 9 : continuation ? 1 : REJECT;
    case 9:
      return continuation && byte !== 0xbd ? 0 : REJECT;
    default:
      return REJECT;
  }
}

/** The state after `bytes` from `state`, or −1 when they make the sequence ill-formed. */
export function utf8Run(state: Utf8State, bytes: ArrayLike<number>): Utf8State {
  let s = state;
  for (let i = 0; i < bytes.length && s >= 0; i++) s = utf8Step(s, bytes[i]!);
  return s;
}

/** Where a token's bytes come from: see the module comment. undefined: unknown (the token is never generated). */
export type TokenBytes = (id: number) => Uint8Array | undefined;

/**
 * The UTF-8 automaton's transitions for every token of a vocabulary, and the per-state lists a
 * generation step needs. Build one per tokenizer (`forTokenizer`) and share it across calls.
 */
export class Utf8Constraint {
  /** next[state · V + id]: the state after token `id`, −1 where it is banned. */
  private readonly next: Int8Array;
  /** Ids banned while no character is pending (few: tokens starting with a continuation byte, …). */
  private readonly bannedWhenComplete: Int32Array;
  /** Per pending state, the ids allowed (few: those continuing the character). */
  private readonly allowedWhenPending: Int32Array[];
  private readonly kept: Float32Array;

  /**
   * `bytesOf(id)` for each id in [0, vocabSize): the token's bytes, or undefined (never generated).
   */
  constructor(
    readonly vocabSize: number,
    bytesOf: TokenBytes,
  ) {
    const V = vocabSize;
    const next = new Int8Array(STATES * V).fill(REJECT);
    for (let id = 0; id < V; id++) {
      const bytes = bytesOf(id);
      if (bytes === undefined) continue;
      for (let s = 0; s < STATES; s++) next[s * V + id] = utf8Run(s, bytes);
    }
    // A state is live when some tokens lead from it to 0; transitions into dead states are banned.
    const live = new Array<boolean>(STATES).fill(false);
    live[0] = true;
    for (let changed = true; changed; ) {
      changed = false;
      for (let s = 1; s < STATES; s++) {
        if (live[s]) continue;
        for (let id = 0; id < V; id++) {
          const t = next[s * V + id]!;
          if (t >= 0 && live[t]) {
            live[s] = changed = true;
            break;
          }
        }
      }
    }
    for (let k = 0; k < next.length; k++) if (next[k]! >= 0 && !live[next[k]!]) next[k] = REJECT;
    this.next = next;
    const banned: number[] = [];
    for (let id = 0; id < V; id++) if (next[id]! < 0) banned.push(id);
    this.bannedWhenComplete = Int32Array.from(banned);
    this.allowedWhenPending = [new Int32Array(0)];
    let most = 0;
    for (let s = 1; s < STATES; s++) {
      const allowed: number[] = [];
      for (let id = 0; id < V; id++) if (next[s * V + id]! >= 0) allowed.push(id);
      this.allowedWhenPending.push(Int32Array.from(allowed));
      most = Math.max(most, allowed.length);
    }
    this.kept = new Float32Array(most);
  }

  /**
   * The constraint for `tokenizer`'s ids in [0, vocabSize), or null when no token can make the
   * text ill-formed (every token decodes to complete characters: nothing to do per step).
   */
  static forTokenizer(tokenizer: TextTokenizer, vocabSize: number): Utf8Constraint | null {
    const bytesOf = tokenBytesSource(tokenizer);
    const table: (Uint8Array | undefined)[] = new Array(vocabSize);
    let needed = false;
    for (let id = 0; id < vocabSize; id++) {
      const bytes = bytesOf(id);
      table[id] = bytes;
      if (bytes === undefined) {
        // Undecodable ids (a padded model vocabulary) are suppressed anyway; unknown bytes are not.
        if (decodes(tokenizer, id)) needed = true;
        continue;
      }
      if (!needed && utf8Run(0, bytes) !== 0) needed = true;
    }
    return needed ? new Utf8Constraint(vocabSize, (id) => table[id]) : null;
  }

  /** True when some token is allowed while no character is pending (else nothing can be generated). */
  get canStart(): boolean {
    return this.bannedWhenComplete.length < this.vocabSize;
  }

  /** The state after `token` from `state`; −1 when the token was banned there. */
  advance(state: Utf8State, token: number): Utf8State {
    if (state < 0 || !(token >= 0 && token < this.vocabSize)) return REJECT;
    return this.next[state * this.vocabSize + token]!;
  }

  /** True when `token` keeps the text well-formed from `state`. */
  allows(state: Utf8State, token: number): boolean {
    return this.advance(state, token) >= 0;
  }

  /**
   * Sets to −∞ the logits of every token banned in `state`, and of `endTokens` while a character
   * is pending (ending there would leave it incomplete). O(banned) with no character pending,
   * O(V) (a fill) with one pending.
   */
  mask(logits: Float32Array, state: Utf8State, endTokens: readonly number[] = []): void {
    if (state === 0) {
      const banned = this.bannedWhenComplete;
      for (let k = 0; k < banned.length; k++) logits[banned[k]!] = -Infinity;
      return;
    }
    const allowed = this.allowedWhenPending[state];
    if (allowed === undefined) throw new RangeError(`model: Utf8Constraint.mask: expected a state in [0, ${STATES}), got ${state}`);
    const kept = this.kept;
    for (let k = 0; k < allowed.length; k++) kept[k] = logits[allowed[k]!]!;
    logits.fill(-Infinity, 0, this.vocabSize);
    for (let k = 0; k < allowed.length; k++) logits[allowed[k]!] = kept[k]!;
    for (const id of endTokens) if (id >= 0 && id < logits.length) logits[id] = -Infinity;
  }
}

/** True when decode([id]) does not throw. */
function decodes(tokenizer: TextTokenizer, id: number): boolean {
  try {
    tokenizer.decode([id]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where token bytes come from for `tokenizer`: its `tokenBytes`; else, for a Hugging Face
 * tokenizer with a `ByteLevel` decoder, the token string through GPT-2's table (what that decoder
 * does; an added token with other characters falls through); else its text (`decode([id])`) when
 * that has no U+FFFD; else unknown.
 */
export function tokenBytesSource(tokenizer: TextTokenizer): TokenBytes {
  if (typeof tokenizer.tokenBytes === 'function') {
    const own = tokenizer.tokenBytes.bind(tokenizer);
    return (id) => {
      try {
        return own(id);
      } catch {
        return undefined;
      }
    };
  }
  const encoder = new TextEncoder();
  const byteLevel = hfByteLevelTokens(tokenizer);
  return (id) => {
    const bytes = byteLevel?.(id);
    if (bytes !== undefined) return bytes;
    let text: string;
    try {
      text = tokenizer.decode([id]);
    } catch {
      return undefined;
    }
    return text.includes('\uFFFD') ? undefined : encoder.encode(text);
  };
}

interface HfLikeTokenizer {
  idToToken(id: number): string | undefined;
  readonly decoder?: { toJSON(): unknown } | null;
}

/** For a Hugging Face tokenizer whose decoder is (or contains) `ByteLevel`: a token's bytes from its string. */
function hfByteLevelTokens(tokenizer: TextTokenizer): TokenBytes | undefined {
  const hf = tokenizer as Partial<HfLikeTokenizer>;
  if (typeof hf.idToToken !== 'function' || hf.decoder === null || typeof hf.decoder?.toJSON !== 'function') return undefined;
  if (!isByteLevel(hf.decoder.toJSON())) return undefined;
  const idToToken = hf.idToToken.bind(tokenizer);
  return (id) => {
    const token = idToToken(id);
    if (token === undefined) return undefined;
    const out: number[] = [];
    for (const ch of token) {
      const byte = CHAR_TO_BYTE.get(ch);
      if (byte === undefined) return undefined; // not a byte-level string: unknown
      out.push(byte);
    }
    return Uint8Array.from(out);
  };
}

function isByteLevel(json: unknown): boolean {
  if (json === null || typeof json !== 'object') return false;
  const { type, decoders } = json as { type?: unknown; decoders?: unknown };
  if (type === 'ByteLevel') return true;
  return type === 'Sequence' && Array.isArray(decoders) && decoders.some(isByteLevel);
}

/**
 * GPT-2's byte↔character table (Hugging Face `ByteLevel`, public since GPT-2's encoder.py):
 * printable bytes stand for themselves, the others for U+0100 upward in byte order.
 */
const CHAR_TO_BYTE: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    map.set(String.fromCharCode(printable ? b : next++), b);
  }
  return map;
})();
