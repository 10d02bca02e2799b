import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = process.env.WATTFORMER_REPO_ROOT ?? resolve(here, '../../..');

/** Static export: `next build` writes plain files to `out/` (served from disk by the test). */
export default {
  output: 'export',
  // The build dir, and the repository root as the workspace root (one lockfile, no guessing).
  distDir: process.env.WATTFORMER_NEXT_DIST ?? '.next',
  turbopack: { root },
  outputFileTracingRoot: root,
};
