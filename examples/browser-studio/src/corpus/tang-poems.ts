/**
 * The bundled Chinese text: 2,000 Tang quatrains from the `chinese-poetry` npm package, made at
 * build time by scripts/tang-poems.ts (the `virtual:tang-poems` module of vite.config.ts).
 */
import corpus from 'virtual:tang-poems';

export const TANG_POEMS_NAME = `tang-poems (${corpus.source})`;
export const tangPoems: string = corpus.text;
