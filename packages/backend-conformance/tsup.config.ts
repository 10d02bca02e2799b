import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

export default defineConfig(
  packageBuild({ entry: ['src/index.ts', 'src/vitest.ts', 'src/browser-harness.ts'], external: ['vitest', '@wattformer/core', 'playwright-core'] }),
);
