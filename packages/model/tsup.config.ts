import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

// index: runtime-neutral (checkpoints as bytes); node: + saving/loading checkpoint folders with fs.
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/node.ts'] }));
