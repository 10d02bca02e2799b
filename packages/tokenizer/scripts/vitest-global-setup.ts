// Rank data is generated from the pinned gpt-tokenizer devDependency, never committed; make sure
// it exists when vitest runs straight from a fresh checkout.
// @ts-expect-error plain .mjs build script without type declarations
import { generateEncodings } from './generate-encodings.mjs';

export default function setup(): void {
  generateEncodings();
}
