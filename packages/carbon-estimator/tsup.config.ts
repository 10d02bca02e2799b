import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

export default defineConfig(
  packageBuild({
    // index: runtime-neutral; browser: + BrowserTracker (no Node imports); node: + NodeTracker; cli: the bin.
    entry: ['src/index.ts', 'src/browser.ts', 'src/node.ts', 'src/cli.ts'],
  }),
);
