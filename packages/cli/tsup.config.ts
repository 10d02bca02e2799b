import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

export default defineConfig([
  // The library entry: the program and its settings, for embedding and tests.
  packageBuild({ entry: ['src/index.ts'] }),
  // The bin: ESM only, with its shebang kept by esbuild.
  { entry: { cli: 'src/cli.ts' }, format: ['esm'], target: 'es2022', sourcemap: true, dts: false, clean: false },
  // The replica worker of --workers (imports the backend, serves the trainer's replica), spawned by URL next to the bin.
  { entry: { 'replica-worker': 'src/replica-worker.ts' }, format: ['esm'], target: 'es2022', sourcemap: true, dts: false, clean: false },
]);
