/**
 * Finds literal tokens (tiktoken special tokens, Hugging Face added tokens) in text in one pass,
 * leftmost first and, among tokens that start at the same place, longest first; matches never
 * overlap. Time is linear in the text plus the tokens, whatever they are (the former
 * `indexOf`-per-token loop was quadratic on a text full of one token).
 *
 * How: an Aho–Corasick automaton over the *reversed* tokens, run from the end of the text to
 * its start. At position i its state's longest output is the longest token that starts at i,
 * so one backward pass lists, per start, the longest token there; a forward walk over that list
 * then keeps the leftmost non-overlapping ones. Most text never leaves the root state, which is
 * a single table lookup per UTF-16 unit.
 */
export interface TokenMatch {
  /** Index into the token list given to the constructor. */
  readonly token: number;
  readonly start: number;
  readonly end: number;
}

/** Up to this many distinct last units, `findAll` first checks that one of them occurs at all. */
const MAX_ROOT_STRINGS = 4;

export class TokenMatcher {
  readonly tokens: readonly string[];
  /** Per node: child node by UTF-16 unit. */
  private readonly children: Array<Map<number, number>> = [new Map()];
  private readonly fail: number[] = [0];
  /** Per node: the token (index) of the longest token that is a suffix of the node's string, or -1. */
  private readonly output: number[] = [-1];
  /** Units that can step away from the root (the last unit of some token). */
  private readonly rootUnits = new Uint8Array(65536);
  /**
   * The same units as strings when there are few of them (tiktoken's special tokens all end in
   * '>'), else empty: text with none of them has no match, which the engine's native indexOf
   * tells at memory speed, before the per-unit pass.
   */
  private readonly rootStrings: string[] = [];

  /** Tokens must be non-empty; the caller checks that with its own error. */
  constructor(tokens: readonly string[]) {
    this.tokens = tokens;
    const depth: number[] = [0];
    tokens.forEach((token, index) => {
      let node = 0;
      for (let k = token.length - 1; k >= 0; k--) {
        const unit = token.charCodeAt(k);
        let child = this.children[node]!.get(unit);
        if (child === undefined) {
          child = this.children.length;
          this.children.push(new Map());
          this.fail.push(0);
          this.output.push(-1);
          depth.push(depth[node]! + 1);
          this.children[node]!.set(unit, child);
        }
        node = child;
      }
      // Equal tokens: the first one listed wins.
      if (this.output[node] === -1) this.output[node] = index;
    });
    for (const unit of this.children[0]!.keys()) this.rootUnits[unit] = 1;
    if (this.children[0]!.size <= MAX_ROOT_STRINGS) for (const unit of this.children[0]!.keys()) this.rootStrings.push(String.fromCharCode(unit));
    // Breadth-first failure links; a node's output falls back to its failure node's.
    const queue: number[] = [];
    for (const child of this.children[0]!.values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      if (this.output[node] === -1) this.output[node] = this.output[this.fail[node]!]!;
      for (const [unit, child] of this.children[node]!) {
        let f = this.fail[node]!;
        while (f !== 0 && !this.children[f]!.has(unit)) f = this.fail[f]!;
        const target = this.children[f]!.get(unit);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        queue.push(child);
      }
    }
  }

  /** Leftmost-longest, non-overlapping matches in text order. */
  findAll(text: string): TokenMatch[] {
    if (this.tokens.length === 0) return [];
    if (this.rootStrings.length > 0 && this.rootStrings.every((unit) => !text.includes(unit))) return [];
    // Backward pass: (start, token) of the longest token at each start, in decreasing start order.
    const starts: number[] = [];
    const which: number[] = [];
    const { children, fail, output, rootUnits, tokens } = this;
    let node = 0;
    for (let i = text.length - 1; i >= 0; i--) {
      const unit = text.charCodeAt(i);
      if (node === 0 && rootUnits[unit] === 0) continue;
      for (;;) {
        const next = children[node]!.get(unit);
        if (next !== undefined) {
          node = next;
          break;
        }
        if (node === 0) break;
        node = fail[node]!;
      }
      const out = output[node]!;
      if (out >= 0) {
        starts.push(i);
        which.push(out);
      }
    }
    const matches: TokenMatch[] = [];
    let pos = 0;
    for (let k = starts.length - 1; k >= 0; k--) {
      const start = starts[k]!;
      if (start < pos) continue;
      const token = which[k]!;
      const end = start + tokens[token]!.length;
      matches.push({ token, start, end });
      pos = end;
    }
    return matches;
  }

  /** The leftmost match, or null. */
  findFirst(text: string): TokenMatch | null {
    return this.findAll(text)[0] ?? null;
  }
}
