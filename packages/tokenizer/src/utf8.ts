/** Shared UTF-8 scratch space: encoding a string never allocates once the buffer is big enough. */
const encoder = new TextEncoder();
let scratch = new Uint8Array(1 << 16);

/**
 * UTF-8 bytes of `text` in a shared buffer (valid until the next call) and their count. Lone
 * surrogates become U+FFFD, as in tiktoken (Rust strings cannot hold them).
 */
export function utf8Scratch(text: string): { bytes: Uint8Array; length: number } {
  const need = text.length * 3;
  if (scratch.length < need) scratch = new Uint8Array(Math.max(need, scratch.length * 2));
  const { written } = encoder.encodeInto(text, scratch);
  return { bytes: scratch, length: written };
}

export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
/** Decodes UTF-8; invalid sequences become U+FFFD (as tiktoken's `errors="replace"`), and a leading U+FEFF is kept, not eaten as a BOM. */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
