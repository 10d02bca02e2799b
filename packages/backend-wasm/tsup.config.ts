import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

// index: Node (reads the .wasm from disk); browser: the same API, fetch only, no Node built-in.
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/browser.ts'] }));
