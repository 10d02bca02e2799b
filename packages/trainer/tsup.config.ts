import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

export default defineConfig([
  packageBuild({ entry: ['src/index.ts', 'src/node.ts'] }),
  // The bin: ESM only, with its shebang kept by esbuild.
  { entry: { cli: 'src/cli.ts' }, format: ['esm'], target: 'es2022', sourcemap: true, dts: false, clean: false },
  // The CLI's replica worker is its own ES module, spawned by URL next to the bin.
  { entry: { 'replica-worker': 'src/cli/replica-worker.ts' }, format: ['esm'], target: 'es2022', sourcemap: true, dts: false, clean: false },
]);
