/**
 * Shared by the CLI tests that spawn the built bin: where it is, and the flags of the smallest
 * GPT that still exercises every part of a training run (1 layer × 16, 2 heads, context 16, batch 4, wasm).
 */
import { existsSync } from 'node:fs';

/** The built bin, as users run it (turbo builds before tests). */
export const CLI_BIN = new URL('../../dist/cli.js', import.meta.url).pathname;

/** Throws the build hint when the bin is missing (call in beforeAll). */
export function requireBuiltBin(test: string): void {
  if (!existsSync(CLI_BIN)) throw new Error(`${test}: expected dist/cli.js\nhelp: run \`npm run build\` first`);
}

export interface TinyRunOptions {
  /** Evaluate every n steps. */
  readonly evalEvery: number;
  /** Checkpoint every n steps (the CLI's default when left out). */
  readonly checkpointEvery?: number;
}

/** `--layers 1 --d-model 16 --heads 2 --context 16 --batch 4 --eval-every n [--checkpoint-every m] --backend wasm`. */
export function tinyRunFlags({ evalEvery, checkpointEvery }: TinyRunOptions): string[] {
  return [
    ...['--layers', '1', '--d-model', '16', '--heads', '2', '--context', '16', '--batch', '4'],
    ...['--eval-every', String(evalEvery)],
    ...(checkpointEvery === undefined ? [] : ['--checkpoint-every', String(checkpointEvery)]),
    ...['--backend', 'wasm'],
  ];
}
