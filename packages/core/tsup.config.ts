import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

// index: the public API; internal: helpers shared by wattformer's own packages (stateless).
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/internal.ts'] }));
