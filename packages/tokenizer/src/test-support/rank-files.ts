/** Small valid `.tiktoken` texts for tests: the 256 single bytes (ranks 0..255), plus extra tokens. */
export function base64Of(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

export function singleByteRankLines(): string[] {
  return Array.from({ length: 256 }, (_, b) => `${base64Of(Uint8Array.of(b))} ${b}`);
}

/** The 256 single bytes then `extra` tokens (UTF-8 of each string) at ranks 256, 257, ... */
export function rankFile(extra: readonly string[] = [], newline = '\n'): string {
  const lines = singleByteRankLines();
  extra.forEach((t, i) => lines.push(`${base64Of(new TextEncoder().encode(t))} ${256 + i}`));
  return lines.join(newline) + newline;
}
