import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

export default defineConfig([
  packageBuild({ entry: ['src/index.ts', 'src/node.ts'] }),
  // The replica worker is its own ES module: data-parallel.ts spawns it by URL (also from CJS).
  { entry: { 'replica-worker': 'src/data-parallel/replica-worker.ts' }, format: ['esm'], target: 'es2022', sourcemap: true, dts: false, clean: false },
]);
