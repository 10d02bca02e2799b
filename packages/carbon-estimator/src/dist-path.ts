/** Test helper: the built dist folder, or a clear failure when the package was not built. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DIST_DIR = fileURLToPath(new URL('../dist/', import.meta.url));

export function requireDist(file: string): string {
  const path = `${DIST_DIR}${file}`;
  if (!existsSync(path)) {
    throw new Error(
      `carbon-estimator tests: expected a built ${path}, got nothing\nhelp: run \`npx tsup\` in packages/carbon-estimator (turbo runs build before test)`,
    );
  }
  return path;
}
