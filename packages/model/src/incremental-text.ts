/**
 * Turns a row's generated token ids into text as they arrive, for any tokenizer that can decode a
 * list of ids: no chunk ends in the middle of a character, and text that could be the start of a
 * stop string is held back until it is known not to be one.
 *
 * Byte-level BPE tokens can end mid-character (a Chinese character or an emoji is 3–4 UTF-8 bytes,
 * often split over two tokens); decoding such a prefix gives U+FFFD at the end. As in Hugging Face
 * text-generation-inference, ids are decoded from a recent clean token boundary (`prefix`, one
 * boundary back so decoders that depend on the previous token keep their context) and the text
 * before a trailing U+FFFD is released at once (a token that ends one character and starts
 * another releases the first), so each step decodes a few tokens, not the whole row.
 */
export type DecodeIds = (ids: readonly number[]) => string;

/**
 * Turns a growing list of generated ids into text pieces as they become complete (a character split across tokens is held back), decoding only a few recent tokens per step.
 */
export class IncrementalText {
  /** The row's text so far (decoded, cut at a stop string once one is seen). */
  text = '';
  /** True once a stop string was seen: `text` ends before it and no more ids are taken. */
  stopped = false;
  private readonly ids: number[] = [];
  private prefix = 0;
  private read = 0;
  /** Characters past decode(ids[prefix, read)) already released (whole characters of a token that also starts another). */
  private partial = 0;
  private emitted = 0;
  private checked = 0;
  private readonly longestStop: number;

  constructor(
    private readonly decode: DecodeIds,
    private readonly stops: readonly string[] = [],
  ) {
    this.longestStop = Math.max(0, ...stops.map((s) => s.length));
  }

  /** Takes one id; returns the text that became final (possibly ''). */
  push(id: number): string {
    if (this.stopped) return '';
    this.ids.push(id);
    const before = this.decode(this.ids.slice(this.prefix, this.read));
    const after = this.decode(this.ids.slice(this.prefix));
    // A trailing U+FFFD is an incomplete character: release everything before it now.
    const incomplete = after.endsWith('\uFFFD');
    const stable = incomplete ? after.length - 1 : after.length;
    const from = before.length + this.partial;
    if (stable > from) {
      this.text += after.slice(from, stable);
      this.partial = stable - before.length;
    }
    if (!incomplete && after.length > before.length) {
      this.prefix = this.read;
      this.read = this.ids.length;
      this.partial = 0;
    }
    return this.release(false);
  }

  /**
   * Ends the row: releases held text. An incomplete trailing character becomes U+FFFD, or is left
   * out with `dropIncomplete` (what `TextGenerator` does when it keeps the bytes well-formed: the
   * only U+FFFD left at the end is then a character cut off by the token limit).
   */
  finish(options: { readonly dropIncomplete?: boolean } = {}): string {
    if (!this.stopped && this.read < this.ids.length) {
      const before = this.decode(this.ids.slice(this.prefix, this.read));
      const after = this.decode(this.ids.slice(this.prefix));
      const tail = after.slice(before.length + this.partial);
      this.text += options.dropIncomplete && tail.endsWith('\uFFFD') ? tail.slice(0, -1) : tail;
      this.prefix = this.read = this.ids.length;
      this.partial = 0;
    }
    return this.release(true);
  }

  private release(final: boolean): string {
    if (!this.stopped && this.longestStop > 0) {
      // A stop string that ends in the new text starts at most longestStop − 1 chars before it.
      const from = Math.max(0, this.checked - this.longestStop + 1);
      let at = -1;
      for (const stop of this.stops) {
        const i = this.text.indexOf(stop, from);
        if (i >= 0 && (at < 0 || i < at)) at = i;
      }
      this.checked = this.text.length;
      if (at >= 0) {
        this.stopped = true;
        this.text = this.text.slice(0, at);
      }
    }
    const end = this.stopped || final ? this.text.length : this.text.length - this.heldForStop();
    const out = this.text.slice(this.emitted, Math.max(this.emitted, end));
    this.emitted = Math.max(this.emitted, end);
    return out;
  }

  /** Length of the longest end of `text` that is the start of a stop string (it may still become one). */
  private heldForStop(): number {
    let held = 0;
    for (const stop of this.stops) {
      for (let k = Math.min(stop.length - 1, this.text.length); k > held; k--) {
        if (this.text.endsWith(stop.slice(0, k))) {
          held = k;
          break;
        }
      }
    }
    return held;
  }
}
