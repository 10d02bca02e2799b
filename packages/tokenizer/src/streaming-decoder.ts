/**
 * Decodes ids as they arrive (e.g. from a sampler). Bytes of a character split across tokens
 * are held back until the character is complete, so no chunk ever ends mid-character and the
 * concatenated chunks equal `decode(allIds)`.
 */
export class StreamingDecoder {
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(private readonly toBytes: (ids: readonly number[]) => Uint8Array) {}

  /** Text completed by these ids (possibly ''). */
  push(ids: number | readonly number[]): string {
    const list = typeof ids === 'number' ? [ids] : ids;
    return this.decoder.decode(this.toBytes(list), { stream: true });
  }

  /** Ends the stream: any incomplete trailing bytes become U+FFFD. */
  flush(): string {
    return this.decoder.decode();
  }
}
