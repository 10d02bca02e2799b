import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

// index: Node (reads the .wasm from disk); browser: the same API, fetch only, no Node built-in;
// internal: raw kernels for wattformer's own tests.
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/browser.ts', 'src/internal.ts'] }));
