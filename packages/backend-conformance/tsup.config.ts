import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/vitest.ts'], external: ['vitest', '@wattformer/core'] }));
